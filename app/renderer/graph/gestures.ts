import type { LGraph, LGraphGroup, LGraphNode } from '@comfyorg/litegraph';
import type { GraphDocument } from '../../core/document';
import type { Registry } from '../../core/node-def';
import { layoutChanges, relink, type LinkEnds } from '../editor/commands';
import type { Command } from '../editor/history';
import type { GroupBounding, NodeLayout } from '../editor/ops';

// litegraph → document: after a gesture (drag, resize, collapse, link drawn or pulled off), what
// changed in the view is read back as one command. Nothing else writes the document from the view.

const round = (n: number) => Math.round(n);

export interface GestureView {
  graph: LGraph;
  nodes: ReadonlyMap<number, LGraphNode>;
  groups: ReadonlyMap<number, LGraphGroup>;
  /** Node sizes when the pointer went down: litegraph grows nodes to fit as it draws, so only a change during a gesture is the artist's. */
  sizesAtDown: ReadonlyMap<number, [number, number]>;
}

export function sizesNow(nodes: ReadonlyMap<number, LGraphNode>): Map<number, [number, number]> {
  return new Map([...nodes].map(([id, n]) => [id, [round(n.size[0]), round(n.size[1])]]));
}

export function gestureCommand(view: GestureView, doc: GraphDocument, registry: Registry): Command {
  const nodes = new Map<number, NodeLayout>();
  for (const [id, n] of view.nodes) {
    const before = doc.layout.nodes[id];
    const pos: [number, number] = [round(n.pos[0]), round(n.pos[1])];
    const size: [number, number] = [round(n.size[0]), round(n.size[1])];
    const shown = view.sizesAtDown.get(id);
    const resized = !n.flags.collapsed && !!shown && (size[0] !== shown[0] || size[1] !== shown[1]);
    const collapsed = !!n.flags.collapsed;
    nodes.set(id, { pos, ...((resized || before?.size) && { size: resized ? size : before!.size }), ...(collapsed && { collapsed }) });
  }
  const groups = new Map<number, GroupBounding>();
  for (const [id, g] of view.groups) groups.set(id, [round(g.pos[0]), round(g.pos[1]), round(g.size[0]), round(g.size[1])]);
  const layout = layoutChanges(doc, nodes, groups);
  const links = relink(doc, registry, linksInView(view.graph));
  return { label: links.ops.length && !layout.ops.length ? links.label : layout.label, ops: [...links.ops, ...layout.ops] };
}

/** The links litegraph holds, in document terms. */
function linksInView(graph: LGraph): LinkEnds[] {
  const out: LinkEnds[] = [];
  for (const link of graph._links.values()) {
    const a = graph.getNodeById(link.origin_id);
    const b = graph.getNodeById(link.target_id);
    if (a && b) out.push({ from: { node: Number(a.id), port: a.outputs[link.origin_slot]!.name }, to: { node: Number(b.id), port: b.inputs[link.target_slot]!.name } });
  }
  return out;
}
