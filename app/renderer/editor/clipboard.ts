import { z } from 'zod';
import { GraphLink, GraphNode, type GraphDocument } from '../../core/document';
import { parseJson, stringifyJson } from '../../core/support/json';
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
  /** Links into the copied nodes from nodes not copied, with the type of the node they came from: Ctrl+Shift+V keeps them. */
  inputs: z.array(z.strictObject({ link: GraphLink, fromType: z.string().max(200) })).max(20_000).optional(),
});

export function copyNodes(doc: GraphDocument, ids: readonly number[]): string | undefined {
  const set = new Set(ids);
  const nodes = doc.nodes.filter((n) => set.has(n.id));
  if (!nodes.length) return undefined;
  return stringifyJson({
    format: 'wan-graph-clipboard',
    nodes: nodes.map((node) => ({ node, pos: doc.layout.nodes[node.id]?.pos ?? [0, 0], ...(doc.layout.nodes[node.id]?.size && { size: doc.layout.nodes[node.id]!.size }) })),
    links: doc.links.filter((l) => set.has(l.from.node) && set.has(l.to.node)),
    inputs: doc.links.filter((l) => !set.has(l.from.node) && set.has(l.to.node)).flatMap((link) => {
      const from = doc.nodes.find((n) => n.id === link.from.node);
      return from ? [{ link, fromType: from.type }] : [];
    }),
  });
}

/**
 * Nodes from the clipboard, with fresh ids, their top-left corner at `at`, in one undoable
 * command. With `keepInputLinks` (Ctrl+Shift+V, as in ComfyUI) the links that came into them from
 * nodes not copied come along, where that node is still in this document (same id and type) and
 * the port types still fit. Undefined when the text holds no nodes of ours.
 */
export function pasteNodes(doc: GraphDocument, registry: Registry, text: string, at: [number, number], opts: { keepInputLinks?: boolean } = {}): { cmd: Command; ids: number[] } | undefined {
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
  let kept = 0;
  if (opts.keepInputLinks) {
    const typeOf = new Map(known.map((c) => [c.node.id, c.node.type]));
    for (const { link, fromType } of clip.inputs ?? []) {
      const to = ids.get(link.to.node);
      const source = doc.nodes.find((n) => n.id === link.from.node && n.type === fromType);
      const out = source && registry.get(fromType)?.outputs[link.from.port];
      const inp = to !== undefined ? registry.get(typeOf.get(link.to.node)!)?.inputs[link.to.port] : undefined;
      if (to === undefined || !out || !inp || out.type !== inp.type) continue;
      ops.push({ kind: 'addLink', link: { id: linkId++, from: link.from, to: { ...link.to, node: to } } });
      kept++;
    }
  }
  const what = known.length === 1 ? 'node' : `${known.length} nodes`;
  return { cmd: { label: `Paste ${what}${kept ? ' with links' : ''}`, ops }, ids: [...ids.values()] };
}
