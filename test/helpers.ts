import { readFileSync } from 'node:fs';
import { compileGraph } from '../app/core/compile';
import type { GraphDocument, GraphNode } from '../app/core/document';
import { emptyDocument } from '../app/core/document';
import { loadGraph } from '../app/core/load';
import { registry } from '../nodes';

/** A deterministic UUID v4 source: 00000000-0000-4000-8000-000000000001, …02, … */
export function counterUuid(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}

export function loadFile(path: string): GraphDocument {
  const r = loadGraph(readFileSync(path), registry);
  if (!r.ok) throw new Error(`${path}: ${JSON.stringify(r.errors)}`);
  return r.doc;
}

export const compile = (doc: GraphDocument) => compileGraph(doc, registry, { uuid: counterUuid() });

/** Builds documents in tests: nodes by type with params, links by "node.port". */
export class GraphBuilder {
  readonly doc = emptyDocument();
  node(type: string, params: GraphNode['params'] = {}, extra: Partial<GraphNode> = {}): number {
    const id = this.doc.nodes.length + 1;
    this.doc.nodes.push({ id, type, typeVersion: 1, title: `${type} ${id}`, mode: 'active', params, ...extra });
    this.doc.layout.nodes[String(id)] = { pos: [id * 10, id * 10] };
    return id;
  }
  link(from: number, fromPort: string, to: number, toPort: string): number {
    const id = this.doc.links.length + 1;
    this.doc.links.push({ id, from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
    return id;
  }
  /** Model + positive prompt + Video Inference, the smallest graph that compiles. */
  static minimal(model = 'runware:200@6', viParams: GraphNode['params'] = {}) {
    const g = new GraphBuilder();
    const m = g.node('Model', { model });
    const p = g.node('Prompt', { text: 'a calm lake at dawn' });
    const vi = g.node('VideoInference', viParams);
    g.link(m, 'model', vi, 'model');
    g.link(p, 'text', vi, 'positive');
    return { g, m, p, vi };
  }
}

/** The Turbo example with a sweep: one Values node per entry (parameter of its Video Inference → the list's text). */
export function turboSweep(lists: Record<string, string> = { seed: '1 ×3', CFGScale: '1..2 step 0.5' }): GraphDocument {
  const doc = loadFile('graphs/turbo-lantern-market-text-to-video.wgraph.json');
  const vi = doc.nodes.find((n) => n.type === 'VideoInference')!.id;
  for (const [param, values] of Object.entries(lists)) {
    const id = Math.max(...doc.nodes.map((n) => n.id)) + 1;
    doc.nodes.push({ id, type: 'Values', typeVersion: 1, title: 'Values', mode: 'active', params: { values } });
    doc.layout.nodes[String(id)] = { pos: [40, 800 + id * 10] };
    doc.links.push({ id: Math.max(...doc.links.map((l) => l.id)) + 1, from: { node: id, port: 'values' }, to: { node: vi, port: param } });
  }
  return doc;
}
