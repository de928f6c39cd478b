import type { GraphDocument, GraphGroup, GraphLink, GraphNode, Layout, NodeMode } from '../../core/document';
import type { JsonValue } from '../../core/support/json';

// Every edit of the document is a list of small operations. Applying one returns its inverse, so
// undo and redo replay operations on the same document: no snapshots, no reloads.

export type NodeLayout = Layout['nodes'][string];
export type GroupBounding = Layout['groups'][string]['bounding'];

export type Op =
  | { kind: 'addNode'; node: GraphNode; layout?: NodeLayout; at?: number }
  | { kind: 'removeNode'; id: number }
  | { kind: 'setParam'; nodeId: number; name: string; value: JsonValue | undefined }
  | { kind: 'setTitle'; nodeId: number; title: string }
  | { kind: 'setMode'; nodeId: number; mode: NodeMode }
  | { kind: 'setLayout'; nodeId: number; layout: NodeLayout | undefined }
  | { kind: 'addLink'; link: GraphLink; at?: number }
  | { kind: 'removeLink'; id: number }
  | { kind: 'addGroup'; group: GraphGroup; bounding: GroupBounding; at?: number }
  | { kind: 'removeGroup'; id: number }
  | { kind: 'setGroup'; id: number; title: string; color: string | undefined; bounding: GroupBounding }
  | { kind: 'setName'; name: string | undefined };

export class OpError extends Error {}

const indexOf = <T extends { id: number }>(list: T[], id: number, what: string) => {
  const at = list.findIndex((x) => x.id === id);
  if (at < 0) throw new OpError(`${what} ${id} is not in the graph`);
  return at;
};
const clone = <T>(v: T): T => structuredClone(v);

/** Applies one operation in place and returns the operation that undoes it. */
export function applyOp(doc: GraphDocument, op: Op): Op {
  switch (op.kind) {
    case 'addNode': {
      if (doc.nodes.some((n) => n.id === op.node.id)) throw new OpError(`node ${op.node.id} already exists`);
      const at = Math.min(op.at ?? doc.nodes.length, doc.nodes.length);
      doc.nodes.splice(at, 0, clone(op.node));
      if (op.layout) doc.layout.nodes[op.node.id] = clone(op.layout);
      return { kind: 'removeNode', id: op.node.id };
    }
    case 'removeNode': {
      const at = indexOf(doc.nodes, op.id, 'node');
      if (doc.links.some((l) => l.from.node === op.id || l.to.node === op.id)) throw new OpError(`node ${op.id} still has links`);
      const [node] = doc.nodes.splice(at, 1);
      const layout = doc.layout.nodes[op.id];
      delete doc.layout.nodes[op.id];
      return { kind: 'addNode', node: node!, ...(layout && { layout }), at };
    }
    case 'setParam': {
      const node = doc.nodes[indexOf(doc.nodes, op.nodeId, 'node')]!;
      const before = Object.hasOwn(node.params, op.name) ? node.params[op.name] : undefined;
      if (op.value === undefined) delete node.params[op.name];
      else node.params[op.name] = clone(op.value);
      return { kind: 'setParam', nodeId: op.nodeId, name: op.name, value: before };
    }
    case 'setTitle': {
      const node = doc.nodes[indexOf(doc.nodes, op.nodeId, 'node')]!;
      const before = node.title;
      node.title = op.title;
      return { kind: 'setTitle', nodeId: op.nodeId, title: before };
    }
    case 'setMode': {
      const node = doc.nodes[indexOf(doc.nodes, op.nodeId, 'node')]!;
      const before = node.mode;
      node.mode = op.mode;
      return { kind: 'setMode', nodeId: op.nodeId, mode: before };
    }
    case 'setLayout': {
      indexOf(doc.nodes, op.nodeId, 'node');
      const before = doc.layout.nodes[op.nodeId];
      if (op.layout) doc.layout.nodes[op.nodeId] = clone(op.layout);
      else delete doc.layout.nodes[op.nodeId];
      return { kind: 'setLayout', nodeId: op.nodeId, layout: before };
    }
    case 'addLink': {
      if (doc.links.some((l) => l.id === op.link.id)) throw new OpError(`link ${op.link.id} already exists`);
      const at = Math.min(op.at ?? doc.links.length, doc.links.length);
      doc.links.splice(at, 0, clone(op.link));
      return { kind: 'removeLink', id: op.link.id };
    }
    case 'removeLink': {
      const at = indexOf(doc.links, op.id, 'link');
      const [link] = doc.links.splice(at, 1);
      return { kind: 'addLink', link: link!, at };
    }
    case 'addGroup': {
      if (doc.groups.some((g) => g.id === op.group.id)) throw new OpError(`group ${op.group.id} already exists`);
      const at = Math.min(op.at ?? doc.groups.length, doc.groups.length);
      doc.groups.splice(at, 0, clone(op.group));
      doc.layout.groups[op.group.id] = { bounding: [...op.bounding] };
      return { kind: 'removeGroup', id: op.group.id };
    }
    case 'removeGroup': {
      const at = indexOf(doc.groups, op.id, 'group');
      const [group] = doc.groups.splice(at, 1);
      const bounding = doc.layout.groups[op.id]?.bounding ?? [0, 0, 0, 0];
      delete doc.layout.groups[op.id];
      return { kind: 'addGroup', group: group!, bounding, at };
    }
    case 'setGroup': {
      const group = doc.groups[indexOf(doc.groups, op.id, 'group')]!;
      const before: Op = { kind: 'setGroup', id: op.id, title: group.title, color: group.color, bounding: doc.layout.groups[op.id]?.bounding ?? [0, 0, 0, 0] };
      group.title = op.title;
      if (op.color === undefined) delete group.color;
      else group.color = op.color;
      doc.layout.groups[op.id] = { bounding: [...op.bounding] };
      return before;
    }
    case 'setName': {
      const before = doc.name;
      if (op.name === undefined) delete doc.name;
      else doc.name = op.name;
      return { kind: 'setName', name: before };
    }
  }
}

/** Which nodes an operation touches, so the view updates only those. */
export function touchedNodes(op: Op): number[] {
  switch (op.kind) {
    case 'addNode':
      return [op.node.id];
    case 'removeNode':
      return [op.id];
    case 'setParam':
    case 'setTitle':
    case 'setMode':
    case 'setLayout':
      return [op.nodeId];
    case 'addLink':
      return [op.link.from.node, op.link.to.node];
    default:
      return [];
  }
}
