import { z } from 'zod';
import { GraphLink, GraphNode, type GraphDocument } from '../../core/document';
import { parseJson, stringifyJson } from '../../core/json';
import type { Registry } from '../../core/node-def';
import type { Command } from './history';
import { nextId } from './commands';
import type { NodeLayout, Op } from './ops';

// Copy and paste of nodes with the links among them, as text on the system clipboard (so it
// travels between windows), checked like a file when it comes back.

const Clip = z.strictObject({
  format: z.literal('wan-graph-clipboard'),
  nodes: z.array(z.strictObject({ node: GraphNode, pos: z.tuple([z.number(), z.number()]), size: z.tuple([z.number(), z.number()]).optional() })).max(10_000),
  links: z.array(GraphLink).max(20_000),
});

export function copyNodes(doc: GraphDocument, ids: readonly number[]): string | undefined {
  const set = new Set(ids);
  const nodes = doc.nodes.filter((n) => set.has(n.id));
  if (!nodes.length) return undefined;
  return stringifyJson({
    format: 'wan-graph-clipboard',
    nodes: nodes.map((node) => ({ node, pos: doc.layout.nodes[node.id]?.pos ?? [0, 0], ...(doc.layout.nodes[node.id]?.size && { size: doc.layout.nodes[node.id]!.size }) })),
    links: doc.links.filter((l) => set.has(l.from.node) && set.has(l.to.node)),
  });
}

/** Nodes from the clipboard, with fresh ids, their top-left corner at `at`. Undefined when the text holds no nodes of ours. */
export function pasteNodes(doc: GraphDocument, registry: Registry, text: string, at: [number, number]): { cmd: Command; ids: number[] } | undefined {
  let clip: z.infer<typeof Clip>;
  try {
    const parsed = Clip.safeParse(parseJson(text));
    if (!parsed.success) return undefined;
    clip = parsed.data;
  } catch {
    return undefined;
  }
  const known = clip.nodes.filter((c) => registry.get(c.node.type));
  if (!known.length) return undefined;
  const minX = Math.min(...known.map((c) => c.pos[0]));
  const minY = Math.min(...known.map((c) => c.pos[1]));
  const ids = new Map<number, number>();
  let id = nextId(doc.nodes);
  const ops: Op[] = known.map((c) => {
    ids.set(c.node.id, id);
    const layout: NodeLayout = { pos: [c.pos[0] - minX + at[0], c.pos[1] - minY + at[1]], ...(c.size && { size: c.size }) };
    return { kind: 'addNode', node: { ...c.node, id: id++ }, layout };
  });
  let linkId = nextId(doc.links);
  for (const l of clip.links) {
    const from = ids.get(l.from.node);
    const to = ids.get(l.to.node);
    if (from && to) ops.push({ kind: 'addLink', link: { id: linkId++, from: { ...l.from, node: from }, to: { ...l.to, node: to } } });
  }
  return { cmd: { label: known.length === 1 ? 'Paste node' : `Paste ${known.length} nodes`, ops }, ids: [...ids.values()] };
}
