import type { Diagnostic } from './diagnostics';
import type { GraphDocument, GraphLink, GraphNode } from './document';
import type { NodeDefinition, Registry } from './node-def';
import { checkParam, describeAllowed, type ParamValue } from './params';

// Checks a loaded document against the node types it uses: unknown types and parameters, values
// out of range, links between ports that do not exist or do not fit, inputs linked twice, cycles.

export interface GraphIndex {
  nodes: Map<number, GraphNode>;
  /** The link feeding each input, keyed "nodeId:port". */
  incoming: Map<string, GraphLink>;
}

export function indexGraph(doc: GraphDocument): GraphIndex {
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, GraphLink>();
  for (const link of doc.links) if (!incoming.has(`${link.to.node}:${link.to.port}`)) incoming.set(`${link.to.node}:${link.to.port}`, link);
  return { nodes, incoming };
}

const at = (node: GraphNode, field?: string): Pick<Diagnostic, 'nodeId' | 'nodeTitle' | 'field'> => ({ nodeId: node.id, nodeTitle: node.title, ...(field ? { field } : {}) });

/** Reports every problem in a node's parameters; returns the valid ones in the node type's order. */
export function validateNodeParams(node: GraphNode, def: NodeDefinition, out: Diagnostic[]): Record<string, ParamValue> {
  for (const key of Object.keys(node.params)) {
    if (Object.hasOwn(def.params, key)) continue;
    const known = Object.keys(def.params);
    out.push({ severity: 'error', code: 'unknownParameter', message: `unknown parameter "${key.slice(0, 60)}" for ${def.title} (known: ${known.join(', ') || 'none'})`, ...at(node, key) });
  }
  const valid: Record<string, ParamValue> = {};
  for (const [key, spec] of Object.entries(def.params)) {
    if (!Object.hasOwn(node.params, key)) {
      if (!spec.optional) out.push({ severity: 'error', code: 'missingParameter', message: `${spec.label} is required (${describeAllowed(spec)})`, ...at(node, key) });
      continue;
    }
    const r = checkParam(spec, node.params[key]);
    if (r.ok) valid[key] = r.value;
    else out.push({ severity: 'error', code: 'invalidParameter', message: `${spec.label} ${r.message}`, ...at(node, key) });
  }
  return valid;
}

/** `validParams`, when given, receives each known node's parameters that passed validation. */
export function validateGraph(doc: GraphDocument, registry: Registry, validParams?: Map<number, Record<string, ParamValue>>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { nodes } = indexGraph(doc);
  const known = registry.all().map((d) => d.type);

  for (const node of doc.nodes) {
    const def = registry.get(node.type);
    if (!def) {
      out.push({ severity: 'error', code: 'unknownNodeType', message: `unknown node type "${node.type.slice(0, 60)}" (known: ${known.join(', ')}); it is kept as it is`, ...at(node) });
      continue;
    }
    if (node.typeVersion > def.version) {
      out.push({ severity: 'error', code: 'newerNodeType', message: `made by a newer version of ${def.title} (type version ${node.typeVersion}; this app knows ${def.version}); update the app`, ...at(node) });
      continue;
    }
    const params = validateNodeParams(node, def, out);
    validParams?.set(node.id, params);
  }

  const linked = new Set<string>();
  for (const link of doc.links) {
    const from = nodes.get(link.from.node);
    const to = nodes.get(link.to.node);
    const where = { linkId: link.id };
    if (!from || !to) {
      const missing = !from ? link.from.node : link.to.node;
      out.push({ severity: 'error', code: 'danglingLink', message: `link ${link.id} points at node ${missing}, which does not exist`, ...where, ...(to ? at(to, link.to.port) : from ? at(from, link.from.port) : {}) });
      continue;
    }
    const fromDef = registry.get(from.type);
    const toDef = registry.get(to.type);
    const outPort = fromDef && Object.hasOwn(fromDef.outputs, link.from.port) ? fromDef.outputs[link.from.port] : undefined;
    const inPort = toDef && Object.hasOwn(toDef.inputs, link.to.port) ? toDef.inputs[link.to.port] : undefined;
    if (fromDef && !outPort) out.push({ severity: 'error', code: 'unknownPort', message: `${fromDef.title} has no output "${link.from.port}" (outputs: ${Object.keys(fromDef.outputs).join(', ') || 'none'})`, ...where, ...at(from, link.from.port) });
    if (toDef && !inPort) out.push({ severity: 'error', code: 'unknownPort', message: `${toDef.title} has no input "${link.to.port}" (inputs: ${Object.keys(toDef.inputs).join(', ') || 'none'})`, ...where, ...at(to, link.to.port) });
    if (outPort && inPort && outPort.type !== inPort.type)
      out.push({ severity: 'error', code: 'incompatibleLink', message: `input "${link.to.port}" takes ${inPort.type}, but it is linked to "${link.from.port}" of node ${from.id}, which gives ${outPort.type}`, ...where, ...at(to, link.to.port) });
    const key = `${link.to.node}:${link.to.port}`;
    if (linked.has(key)) out.push({ severity: 'error', code: 'inputLinkedTwice', message: `input "${link.to.port}" has more than one link; an input takes one`, ...where, ...at(to, link.to.port) });
    linked.add(key);
  }

  for (const cycle of findCycles(doc)) {
    const path = [...cycle, cycle[0]].join(' → ');
    for (const id of cycle) {
      const node = nodes.get(id)!;
      out.push({ severity: 'error', code: 'cycle', message: `part of a cycle (${path}); links must not loop back`, ...at(node) });
    }
  }
  return out;
}

/** Strongly connected components with more than one node (or a self-link), iteratively. */
export function findCycles(doc: GraphDocument): number[][] {
  const succ = new Map<number, number[]>();
  const selfLoops = new Set<number>();
  const ids = new Set(doc.nodes.map((n) => n.id));
  for (const l of doc.links) {
    if (!ids.has(l.from.node) || !ids.has(l.to.node)) continue;
    if (l.from.node === l.to.node) selfLoops.add(l.from.node);
    const list = succ.get(l.from.node);
    if (list) list.push(l.to.node);
    else succ.set(l.from.node, [l.to.node]);
  }
  let counter = 0;
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const cycles: number[][] = [];
  for (const start of ids) {
    if (index.has(start)) continue;
    const work: Array<{ v: number; i: number }> = [{ v: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const next = succ.get(frame.v) ?? [];
      if (frame.i < next.length) {
        const w = next[frame.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(frame.v)!));
      if (low.get(frame.v) === index.get(frame.v)) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.v);
        if (comp.length > 1 || selfLoops.has(comp[0]!)) cycles.push(comp.reverse());
      }
    }
  }
  return cycles;
}
