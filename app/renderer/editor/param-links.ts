import type { GraphDocument, GraphLink, GraphNode } from '../../core/document';
import { VALUE_PORT, type NodeDefinition, type Registry } from '../../core/node-def';
import type { ParamSpec } from '../../core/params';

// Parameters driven by links: which parameters take them, what a Values or Primitive node is typed
// as by the parameters it feeds, and which node drives each parameter (its widget says so).

/**
 * Whether a node type's parameters take links (each then has an input dot at its widget). Value
 * nodes themselves (Values, Prompt List, Primitive) are what feeds parameters: theirs are typed.
 */
export const paramsTakeLinks = (def: NodeDefinition): boolean => !def.sweep && !Object.values(def.outputs).some((o) => o.type === VALUE_PORT.name);

/** The parameters of a node type a link may drive, in order: all of them but those only the editor or the compiler reads. */
export const linkableParams = (def: NodeDefinition): string[] => (paramsTakeLinks(def) ? Object.keys(def.params).filter((name) => def.params[name]!.linkable !== false) : []);

/** The parameter a link ends at, when it ends at one a link may drive. */
export function linkedParam(def: NodeDefinition | undefined, port: string): ParamSpec | undefined {
  if (!def || Object.hasOwn(def.inputs, port) || !Object.hasOwn(def.params, port) || !paramsTakeLinks(def)) return undefined;
  const spec = def.params[port]!;
  return spec.linkable === false ? undefined : spec;
}

/** What kind of value a parameter takes, as a Values or Primitive node is typed by what it feeds: the spec's kind, an enum by its choices. */
export function valueKind(spec: ParamSpec): { key: string; name: string } {
  switch (spec.kind) {
    case 'int':
      return { key: 'int', name: 'whole numbers' };
    case 'float':
      return { key: 'float', name: 'numbers' };
    case 'seed':
      return { key: 'seed', name: 'seeds' };
    case 'bool':
      return { key: 'bool', name: 'on/off values' };
    case 'string':
      return { key: 'string', name: 'text' };
    case 'enum':
      return { key: `enum:${JSON.stringify(spec.values)}`, name: `choices of ${spec.label}` };
  }
}

/** What a value node's output is typed as by the parameters it feeds (the first one's kind), or undefined while it feeds none (`except`: a link about to be replaced). */
export function valueTypeOf(doc: GraphDocument, registry: Registry, from: GraphLink['from'], except?: GraphLink['to']): { key: string; name: string; param: string; node: GraphNode } | undefined {
  for (const l of doc.links) {
    if (l.from.node !== from.node || l.from.port !== from.port || (except && l.to.node === except.node && l.to.port === except.port)) continue;
    const target = doc.nodes.find((n) => n.id === l.to.node);
    const spec = target && linkedParam(registry.get(target.type), l.to.port);
    if (spec) return { ...valueKind(spec), param: spec.label, node: target };
  }
  return undefined;
}

/** The node driving a parameter: by "nodeId:param", from the document's links into parameters that take them. */
export function paramSources(doc: GraphDocument, registry: Registry): Map<string, GraphNode> {
  const out = new Map<string, GraphNode>();
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  for (const l of doc.links) {
    const target = byId.get(l.to.node);
    const source = byId.get(l.from.node);
    if (target && source && linkedParam(registry.get(target.type), l.to.port)) out.set(`${l.to.node}:${l.to.port}`, source);
  }
  return out;
}

/**
 * What a linked parameter's widget says instead of its value: where the value comes from ("← Seeds
 * #6"). A muted or bypassed source gives the widget's own value back, and the widget says that too.
 */
export function linkedText(source: GraphNode, ownValue: string): string {
  const name = `${source.title || source.type} #${source.id}`;
  return source.mode === 'active' ? `← ${name}` : `${ownValue} (${name} is ${source.mode})`;
}

/**
 * How a sweep node's axis is named where its tasks are told apart ("Seed 2 · CFG scale 1.5"): by
 * what it feeds (the parameters' or inputs' labels), or by its title where the artist renamed it.
 */
export function axisName(doc: GraphDocument, registry: Registry, nodeId: number): string {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return `#${nodeId}`;
  const def = registry.get(node.type);
  if (!def || (node.title && node.title !== def.title)) return node.title || node.type;
  const fed: string[] = [];
  for (const l of doc.links) {
    if (l.from.node !== nodeId) continue;
    const target = registry.get(doc.nodes.find((n) => n.id === l.to.node)?.type ?? '');
    const label = target && (Object.hasOwn(target.inputs, l.to.port) ? target.inputs[l.to.port]!.label : Object.hasOwn(target.params, l.to.port) ? target.params[l.to.port]!.label : undefined);
    if (label && !fed.includes(label)) fed.push(label);
  }
  return fed.length ? fed.join('/') : node.title || def.title;
}
