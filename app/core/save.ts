import type { GraphDocument } from './document';
import { stringifyJson } from './support/json';

// Saving is deterministic: the same graph gives the same bytes, whatever order edits happened
// in, so graph files diff well. Node and link order is meaning (tasks run in node order) and kept;
// parameter names and layout entries are sorted.

const sortKeys = <T>(obj: Record<string, T>, compare?: (a: string, b: string) => number): Record<string, T> =>
  Object.fromEntries(Object.keys(obj).sort(compare).map((k) => [k, obj[k]!]));
const byNumber = (a: string, b: string) => Number(a) - Number(b);

export function serializeGraph(doc: GraphDocument): string {
  return stringifyJson({
    format: doc.format,
    version: doc.version,
    name: doc.name,
    nodes: doc.nodes.map((n) => ({ id: n.id, type: n.type, typeVersion: n.typeVersion, title: n.title, mode: n.mode, params: sortKeys(n.params) })),
    links: doc.links.map((l) => ({ id: l.id, from: { node: l.from.node, port: l.from.port }, to: { node: l.to.node, port: l.to.port } })),
    groups: doc.groups.map((g) => ({ id: g.id, title: g.title, color: g.color })),
    layout: {
      nodes: sortKeys(
        Object.fromEntries(Object.entries(doc.layout.nodes).map(([k, v]) => [k, { pos: v.pos, size: v.size, collapsed: v.collapsed }])),
        byNumber,
      ),
      groups: sortKeys(Object.fromEntries(Object.entries(doc.layout.groups).map(([k, v]) => [k, { bounding: v.bounding }])), byNumber),
      viewport: { offset: doc.layout.viewport.offset, scale: doc.layout.viewport.scale },
    },
  });
}
