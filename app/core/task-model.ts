import type { GraphDocument } from './document';
import type { Registry } from './node-def';
import type { ParamSpec } from './params';
import { fieldSpecFor, modelSpec, TASK_FIELDS, type ModelSpec } from './wan-spec';

// Which model a task node's task runs on, read from the graph as the compiler would find it, and
// the node's parameters as that model takes them. Editors take a parameter's limits from here,
// so they agree with the task check (Turbo: Results 1–4) before anything is compiled.

/** The model linked into a task node's MODEL input; undefined when none is linked or it is not active. */
export function modelOfTaskNode(doc: GraphDocument, registry: Registry, nodeId: number): ModelSpec | undefined {
  const node = doc.nodes.find((n) => n.id === nodeId);
  const def = node && registry.get(node.type);
  if (!def?.producesTask) return undefined;
  const port = Object.keys(def.inputs).find((name) => def.inputs[name]!.type === 'MODEL');
  const link = port !== undefined ? doc.links.find((l) => l.to.node === nodeId && l.to.port === port) : undefined;
  const source = link && doc.nodes.find((n) => n.id === link.from.node);
  const sourceDef = source && source.mode === 'active' ? registry.get(source.type) : undefined;
  if (!source || !sourceDef) return undefined;
  // the model node's identifier is its parameter of the model format
  const field = Object.keys(sourceDef.params).find((name) => { const s = sourceDef.params[name]!; return s.kind === 'string' && s.format === 'model'; });
  if (field === undefined) return undefined;
  const value = Object.hasOwn(source.params, field) ? source.params[field] : sourceDef.params[field]!.default;
  return typeof value === 'string' && value ? modelSpec(value) : undefined;
}

/** A node parameter's spec with the limits of the model its task runs on; undefined for an unknown node or parameter. */
export function paramSpecInGraph(doc: GraphDocument, registry: Registry, nodeId: number, name: string): ParamSpec | undefined {
  const node = doc.nodes.find((n) => n.id === nodeId);
  const def = node && registry.get(node.type);
  const spec = def && Object.hasOwn(def.params, name) ? def.params[name] : undefined;
  if (!spec || !def?.producesTask || !Object.hasOwn(TASK_FIELDS, name)) return spec;
  const model = modelOfTaskNode(doc, registry, nodeId);
  return model ? fieldSpecFor(model, name, spec) : spec;
}

/** The task nodes a node is wired into, following links downstream through any nodes between. */
export function tasksWiredFrom(doc: GraphDocument, registry: Registry, nodeId: number): number[] {
  const found = new Set<number>();
  const seen = new Set<number>([nodeId]);
  const stack = [nodeId];
  while (stack.length) {
    const at = stack.pop()!;
    for (const l of doc.links) {
      if (l.from.node !== at || seen.has(l.to.node)) continue;
      seen.add(l.to.node);
      const to = doc.nodes.find((n) => n.id === l.to.node);
      if (to && registry.get(to.type)?.producesTask) found.add(to.id);
      else stack.push(l.to.node);
    }
  }
  return [...found].sort((a, b) => a - b);
}
