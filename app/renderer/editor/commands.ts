import type { GraphDocument, GraphLink, GraphNode, NodeMode } from '../../core/document';
import { imageName } from '../../core/image-ref';
import type { JsonValue } from '../../core/support/json';
import { linkableParam, type NodeDefinition, type Registry } from '../../core/node-def';
import { coerceParam, type ParamSpec } from '../../core/params';
import type { Command } from './history';
import { linkedParam, paramsTakeLinks, valueKind, valueTypeOf } from './param-links';
import type { GroupBounding, NodeLayout, Op } from './ops';

// The edits an artist makes, each built as one command of operations on the document.

export const nextId = (items: readonly { id: number }[]): number => items.reduce((m, x) => Math.max(m, x.id), 0) + 1;

/** A fresh node: required parameters start at their default, optional ones unset unless the type gives an initial value. */
function newNode(def: NodeDefinition, id: number): GraphNode {
  const params: Record<string, JsonValue> = {};
  for (const [name, spec] of Object.entries(def.params)) if (!spec.optional && spec.default !== undefined) params[name] = spec.default;
  Object.assign(params, structuredClone(def.initialParams));
  return { id, type: def.type, typeVersion: def.version, title: def.title, mode: 'active', params };
}

export function addNode(doc: GraphDocument, def: NodeDefinition, pos: [number, number]): { cmd: Command; id: number } {
  const id = nextId(doc.nodes);
  return { id, cmd: { label: `Add ${def.title}`, ops: [{ kind: 'addNode', node: newNode(def, id), layout: { pos } }] } };
}

/** Links out of or into the given nodes, removed first (a node leaves with its links). */
function detach(doc: GraphDocument, ids: ReadonlySet<number>): Op[] {
  return doc.links.filter((l) => ids.has(l.from.node) || ids.has(l.to.node)).map((l): Op => ({ kind: 'removeLink', id: l.id }));
}

export function deleteNodes(doc: GraphDocument, ids: readonly number[]): Command {
  const set = new Set(ids.filter((id) => doc.nodes.some((n) => n.id === id)));
  return { label: set.size === 1 ? 'Delete node' : `Delete ${set.size} nodes`, ops: [...detach(doc, set), ...[...set].map((id): Op => ({ kind: 'removeNode', id }))] };
}

/** The parameter that holds a node type's image: its node shows it, offers Browse…, and is titled after it (until renamed). */
export const IMAGE_PARAM: Readonly<Partial<Record<string, string>>> = { FrameImage: 'image' };

/** A number in [0, 1) from the system's random source: what "random ×N" in a Values node draws its seeds with. */
const drawRandom = (): number => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

/**
 * Sets a parameter (or unsets it), as the node type rewrites what the artist set (`normalize`:
 * "random ×5" in a Values node becomes five drawn seeds, kept and undoable with the edit). Where
 * the node's title follows its image, the title changes with it unless the artist renamed the
 * node: a title that is still the type's default (`def`) or the previous image's name was not
 * chosen by anyone.
 */
export function setParam(node: GraphNode, name: string, value: JsonValue | undefined, label: string, def: NodeDefinition | undefined, random: () => number = drawRandom): Command {
  if (value !== undefined) value = def?.normalize?.(name, value, random) ?? value;
  const ops: Op[] = [{ kind: 'setParam', nodeId: node.id, name, value }];
  const title = IMAGE_PARAM[node.type] === name ? followingTitle(node, node.params[name], value, def) : undefined;
  if (title !== undefined && title !== node.title) ops.push({ kind: 'setTitle', nodeId: node.id, title });
  return { label: value === undefined ? `Unset ${label}` : `Set ${label}`, ops };
}

function followingTitle(node: GraphNode, before: JsonValue | undefined, after: JsonValue | undefined, def: NodeDefinition | undefined): string | undefined {
  const previous = typeof before === 'string' ? imageName(before) : undefined;
  const untouched = (def !== undefined && node.title === def.title) || (previous !== undefined && node.title === previous);
  if (!untouched) return undefined;
  return (typeof after === 'string' ? imageName(after) : undefined) ?? def?.title;
}

/** Seeds picked for a run, written into the graph first so the seed that runs is the one shown. */
export const seedsForRun = (seeds: readonly { nodeId: number; seed: JsonValue }[]): Command => ({
  label: 'Seeds for run',
  ops: seeds.map((s): Op => ({ kind: 'setParam', nodeId: s.nodeId, name: 'seed', value: s.seed })),
});

export const setTitle = (nodeId: number, title: string): Command => ({ label: 'Rename node', ops: [{ kind: 'setTitle', nodeId, title }] });

/** Ctrl+B / Ctrl+M: toggles the mode on every selected node (back to active if all have it already). */
export function toggleMode(doc: GraphDocument, ids: readonly number[], mode: Exclude<NodeMode, 'active'>): Command {
  const nodes = doc.nodes.filter((n) => ids.includes(n.id));
  const target: NodeMode = nodes.every((n) => n.mode === mode) ? 'active' : mode;
  return { label: target === 'active' ? 'Make active' : mode === 'bypassed' ? 'Bypass' : 'Mute', ops: nodes.filter((n) => n.mode !== target).map((n): Op => ({ kind: 'setMode', nodeId: n.id, mode: target })) };
}

/** What a link dragged out of a port and dropped on empty canvas carries. */
export interface PendingLink {
  nodeId: number;
  port: string;
  /** A port type's name. */
  type: string;
  /** 'output' when dragged from an output (the new node's input takes it). */
  from: 'output' | 'input';
}

/** An input takes one link: the one already there is replaced. */
const linkOps = (doc: GraphDocument, from: GraphLink['from'], to: GraphLink['to']): Op[] => [
  ...doc.links.filter((l) => l.to.node === to.node && l.to.port === to.port).map((l): Op => ({ kind: 'removeLink', id: l.id })),
  { kind: 'addLink', link: { id: nextId(doc.links), from, to } },
];

const article = (type: string) => (/^[AEIOU]/.test(type) ? 'an' : 'a');
const nodeName = (node: GraphNode, registry: Registry) => node.title || registry.get(node.type)?.title || node.type;

/** Why an output cannot feed an input or a parameter, naming both ends ("Video Inference › Model takes a MODEL; Prompt › Text gives a PROMPT"); undefined when it can. */
export function linkRefusal(doc: GraphDocument, registry: Registry, from: GraphLink['from'], to: GraphLink['to']): string | undefined {
  const a = doc.nodes.find((n) => n.id === from.node);
  const b = doc.nodes.find((n) => n.id === to.node);
  const out = a && registry.get(a.type)?.outputs[from.port];
  const toDef = b && registry.get(b.type);
  if (!a || !b || !out || !toDef) return 'no such port';
  const inp = Object.hasOwn(toDef.inputs, to.port) ? toDef.inputs[to.port] : undefined;
  const param = inp ? undefined : linkedParam(toDef, to.port);
  if (inp && out.type !== inp.type) return `${nodeName(b, registry)} › ${inp.label} takes ${article(inp.type)} ${inp.type}; ${nodeName(a, registry)} › ${out.label} gives ${article(out.type)} ${out.type}`;
  if (!inp && !param) {
    if (!Object.hasOwn(toDef.params, to.port)) return 'no such port';
    return paramsTakeLinks(toDef) ? `${nodeName(b, registry)} › ${toDef.params[to.port]!.label} is set on its node only: it takes no link` : `${nodeName(b, registry)} is a value node: its parameters are set on it, and take no links`;
  }
  if (param) {
    if (!linkableParam(out.type)) return `${nodeName(b, registry)} › ${param.label} takes a link from a Values or Primitive node; ${nodeName(a, registry)} › ${out.label} gives ${article(out.type)} ${out.type}`;
    // typed by what it feeds: a list of seeds cannot also be a list of scheduler names
    const typed = valueTypeOf(doc, registry, from, to);
    const kind = valueKind(param);
    if (typed && typed.key !== kind.key) return `${nodeName(a, registry)} gives ${typed.name} (to ${nodeName(typed.node, registry)} › ${typed.param}); ${nodeName(b, registry)} › ${param.label} takes ${kind.name}`;
  }
  if (from.node === to.node) return 'a node cannot feed itself';
  return undefined;
}

/**
 * A prompt node feeds the input it was made for or first linked to, a value node (Values,
 * Primitive) the parameter: while it still has its type's own title and feeds nothing else, it
 * takes that input's or parameter's name ("Negative prompt", "Seed"), in the same command. Only
 * prompts and values name their sources so; other nodes keep their titles.
 */
function titleFromInput(doc: GraphDocument, registry: Registry, source: GraphNode | undefined, to: GraphLink['to']): Op[] {
  const target = doc.nodes.find((n) => n.id === to.node);
  const targetDef = target && registry.get(target.type);
  const def = source && registry.get(source.type);
  if (!source || !def || !targetDef || source.title !== def.title) return [];
  const input = Object.hasOwn(targetDef.inputs, to.port) ? targetDef.inputs[to.port] : undefined;
  const name = input ? (input.type === 'PROMPT' ? input.label : undefined) : linkedParam(targetDef, to.port)?.label;
  if (!name || source.title === name) return [];
  if (doc.links.some((l) => l.from.node === source.id)) return [];
  return [{ kind: 'setTitle', nodeId: source.id, title: name }];
}

/** Links an output to an input, or a value node's output to a parameter. Port types must match; the refusal says why. */
export function connect(doc: GraphDocument, registry: Registry, from: GraphLink['from'], to: GraphLink['to']): Command | string {
  const refused = linkRefusal(doc, registry, from, to);
  if (refused) return refused;
  return { label: 'Connect', ops: [...linkOps(doc, from, to), ...titleFromInput(doc, registry, doc.nodes.find((n) => n.id === from.node), to)] };
}

/** A node added where a dragged link was dropped: its first port of the link's type takes the link (where it may), in one undoable step. */
export function addNodeLinked(doc: GraphDocument, registry: Registry, def: NodeDefinition, pos: [number, number], link: PendingLink): { cmd: Command; id: number } {
  const { cmd, id } = addNode(doc, def, pos);
  const port = Object.entries(link.from === 'output' ? def.inputs : def.outputs).find(([, p]) => p.type === link.type)?.[0];
  const there = { node: link.nodeId, port: link.port };
  // checked on the document with the node it adds, as that is not in `doc` yet
  const added = (cmd.ops[0] as Extract<Op, { kind: 'addNode' }>).node;
  const withAdded = { ...doc, nodes: [...doc.nodes, added] };
  if (!port) return { cmd, id };
  const [from, to] = link.from === 'output' ? [there, { node: id, port }] : [{ node: id, port }, there];
  if (linkRefusal(withAdded, registry, from, to)) return { cmd, id };
  cmd.ops.push(...linkOps(doc, from, to));
  if (link.from === 'input') {
    // named for the input it was made for
    const title = titleFromInput(withAdded, registry, added, there);
    for (const op of title) if (op.kind === 'setTitle') added.title = op.title;
  }
  return { cmd, id };
}

export type LinkEnds = Pick<GraphLink, 'from' | 'to'>;

/** The links as a gesture left them in the view: removals and refused-free additions, as one command. */
export function relink(doc: GraphDocument, registry: Registry, links: readonly LinkEnds[]): Command {
  const key = (l: LinkEnds) => `${l.from.node}:${l.from.port}>${l.to.node}:${l.to.port}`;
  const seen = new Set(links.map(key));
  const have = new Set(doc.links.map(key));
  const ops: Op[] = doc.links.filter((l) => !seen.has(key(l))).map((l): Op => ({ kind: 'removeLink', id: l.id }));
  let linkId = nextId(doc.links);
  const titled = new Set<number>();
  for (const l of links) {
    if (have.has(key(l))) continue;
    if (linkRefusal(doc, registry, l.from, l.to)) continue; // refused: the view takes it out again
    // a replaced link is already among the removals, so only the new one is added
    ops.push({ kind: 'addLink', link: { id: linkId++, from: l.from, to: l.to } });
    if (titled.has(l.from.node)) continue;
    titled.add(l.from.node);
    ops.push(...titleFromInput(doc, registry, doc.nodes.find((n) => n.id === l.from.node), l.to));
  }
  return { label: ops.some((o) => o.kind === 'addLink') ? 'Connect' : 'Disconnect', ops };
}

export const disconnect = (ids: readonly number[]): Command => ({ label: 'Disconnect', ops: ids.map((id): Op => ({ kind: 'removeLink', id })) });

/** Where nodes and groups were dragged, resized or collapsed to: one command per gesture. */
export function layoutChanges(doc: GraphDocument, nodes: ReadonlyMap<number, NodeLayout>, groups: ReadonlyMap<number, GroupBounding>): Command {
  const ops: Op[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  // compared by meaning, not by key order: an unchanged node must record nothing
  const meaning = (l: NodeLayout | undefined) => l && [l.pos, l.size ?? null, l.collapsed ?? false];
  for (const [id, layout] of nodes) if (!same(meaning(doc.layout.nodes[id]), meaning(layout))) ops.push({ kind: 'setLayout', nodeId: id, layout });
  for (const [id, bounding] of groups) {
    const g = doc.groups.find((x) => x.id === id);
    if (g && !same(doc.layout.groups[id]?.bounding, bounding)) ops.push({ kind: 'setGroup', id, title: g.title, color: g.color, bounding });
  }
  return { label: ops.some((o) => o.kind === 'setLayout' && o.layout?.size !== doc.layout.nodes[o.nodeId]?.size) ? 'Resize' : 'Move', ops };
}

/** Collapsing is kept as `collapsed: true`; an expanded node has no such key (as a gesture reads it back). */
export function setCollapsed(doc: GraphDocument, nodeId: number, collapsed: boolean): Command {
  const { collapsed: _was, ...layout } = doc.layout.nodes[nodeId] ?? { pos: [0, 0] as [number, number] };
  return { label: collapsed ? 'Collapse' : 'Expand', ops: [{ kind: 'setLayout', nodeId, layout: { ...layout, ...(collapsed && { collapsed }) } }] };
}

export function renameGroup(doc: GraphDocument, id: number, title: string): Command {
  const group = doc.groups.find((g) => g.id === id);
  const bounding = doc.layout.groups[id]?.bounding ?? [0, 0, 400, 300];
  return { label: 'Rename group', ops: group ? [{ kind: 'setGroup', id, title, color: group.color, bounding }] : [] };
}

export function addGroup(doc: GraphDocument, title: string, bounding: GroupBounding): Command {
  return { label: 'Add group', ops: [{ kind: 'addGroup', group: { id: nextId(doc.groups), title }, bounding }] };
}

export const removeGroups = (ids: readonly number[]): Command => ({ label: 'Delete group', ops: ids.map((id): Op => ({ kind: 'removeGroup', id })) });

/** One swept value of a Compare Grid's cell: the sweep node and the item's label (as a job's coordinates hold them). */
export interface SweptValue {
  nodeId: number;
  title: string;
  label: string;
}

/** The nodes a task node depends on through links, itself included. */
function upstreamIds(doc: GraphDocument, nodeId: number): Set<number> {
  const seen = new Set<number>();
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const l of doc.links) if (l.to.node === id) stack.push(l.from.node);
  }
  return seen;
}

/**
 * "Use these values": the values of a Compare Grid's cell written back into the graph as one
 * command, and the sweeps that made it removed. A value list (VALUE output) sets each parameter it
 * feeds in this task's graph to the cell's value and gives up those links; a prompt list is
 * replaced by a Prompt node holding the cell's prompt, linked where the list was. A list that
 * still feeds something else stays. Refused (a message) when a list is gone or a value no longer
 * fits its parameter.
 */
export function useSweptValues(doc: GraphDocument, registry: Registry, taskNodeId: number, values: readonly SweptValue[], specOf: (nodeId: number, name: string) => ParamSpec | undefined): Command | string {
  const upstream = upstreamIds(doc, taskNodeId);
  const adds: Op[] = [];
  const edits: Op[] = [];
  const removals: Op[] = [];
  let linkId = nextId(doc.links);
  let nodeId = nextId(doc.nodes);
  const said: string[] = [];
  for (const v of values) {
    const list = doc.nodes.find((n) => n.id === v.nodeId);
    const def = list && registry.get(list.type);
    if (!list || !def) return `the list "${v.title}" is no longer in the graph`;
    const links = doc.links.filter((l) => l.from.node === list.id);
    const used = links.filter((l) => upstream.has(l.to.node));
    if (!used.length) return `"${list.title}" no longer feeds this task`;
    /** The node holding the list's one item, made for the first link that needs it. */
    let item: GraphNode | undefined;
    for (const l of used) {
      const target = doc.nodes.find((n) => n.id === l.to.node)!;
      const out = def.outputs[l.from.port];
      if (out && linkableParam(out.type)) {
        const spec = specOf(target.id, l.to.port);
        if (!spec) return `${target.title} has no parameter "${l.to.port}"`;
        const coerced = coerceParam(spec, v.label);
        if ('problem' in coerced) return `"${v.label}" no longer fits ${target.title}: ${coerced.problem}`;
        edits.push({ kind: 'setParam', nodeId: target.id, name: l.to.port, value: coerced.value });
        removals.push({ kind: 'removeLink', id: l.id });
        said.push(`${spec.label} ${v.label}`);
        continue;
      }
      const single = out && SINGLE_ITEM[out.type];
      const singleDef = single && registry.get(single.type);
      if (!single || !singleDef) return `"${list.title}" cannot be replaced by one of its items`;
      if (!item) {
        item = newNode(singleDef, nodeId++);
        item.params[single.param] = v.label;
        item.title = registry.get(target.type)?.inputs[l.to.port]?.label ?? singleDef.title;
        const at = doc.layout.nodes[list.id]?.pos ?? [0, 0];
        // in the list's place, or beside it when the list stays for something else
        adds.push({ kind: 'addNode', node: item, layout: { pos: used.length < links.length ? [at[0], at[1] + 80] : [at[0], at[1]] } });
        said.push(`“${v.label.length > 30 ? `${v.label.slice(0, 29)}…` : v.label}”`);
      }
      removals.push({ kind: 'removeLink', id: l.id });
      edits.push({ kind: 'addLink', link: { id: linkId++, from: { node: item.id, port: single.port }, to: l.to } });
    }
    if (used.length === links.length) removals.push({ kind: 'removeNode', id: list.id });
  }
  // links go before the nodes they join; a list leaves once its links are gone
  const ops = [...adds, ...removals.filter((o) => o.kind === 'removeLink'), ...edits, ...removals.filter((o) => o.kind === 'removeNode')];
  return { label: `Use these values (${[...new Set(said)].join(', ')})`, ops };
}

/** The node that holds one item of a list, by the list's output type: a prompt list's item is a Prompt. */
const SINGLE_ITEM: Readonly<Partial<Record<string, { type: string; param: string; port: string }>>> = { PROMPT: { type: 'Prompt', param: 'text', port: 'text' } };
