import type { Diagnostic } from './diagnostics';
import type { GraphDocument, GraphNode } from './document';
import { findCycles, indexGraph, nodeById, positionOf, type GraphIndex } from './graph-index';
import { linkableParam, type NodeDefinition, type Registry } from './node-def';
import { describeAllowed, paramProblem, type ParamValue } from './params';

// Checks a loaded document against the node types it uses: unknown types and parameters, values
// out of range, links between ports that do not exist or do not fit, inputs linked twice, cycles.

/** Links (by position in doc.links) to an input that an earlier link from an existing node already feeds. */
function secondLinks({ doc, linkFrom, linksInto }: GraphIndex): Uint8Array {
  const second = new Uint8Array(doc.links.length);
  for (const list of linksInto) {
    if (!list || list.length < 2) continue;
    const ports = new Set<string>();
    for (const li of list) {
      if (linkFrom[li]! < 0) continue; // dangling: reported as such, and it counts for nothing
      const port = doc.links[li]!.to.port;
      if (ports.has(port)) second[li] = 1;
      else ports.add(port);
    }
  }
  return second;
}

const at = (node: GraphNode, field?: string): Pick<Diagnostic, 'nodeId' | 'nodeTitle' | 'field'> => ({ nodeId: node.id, nodeTitle: node.title, ...(field ? { field } : {}) });

/** Reports every problem in a node's parameters; returns the valid ones in the node type's order. */
export function validateNodeParams(node: GraphNode, def: NodeDefinition, out: Diagnostic[], linked?: ReadonlySet<string>): Record<string, ParamValue> {
  // for…in walks keys without building an array per node: with hasOwn it visits what
  // Object.keys would (a definition's own keys are all there is to visit).
  for (const key in node.params) {
    if (!Object.hasOwn(node.params, key) || Object.hasOwn(def.params, key)) continue;
    const known = Object.keys(def.params);
    out.push({ severity: 'error', code: 'unknownParameter', message: `unknown parameter "${key.slice(0, 60)}" for ${def.title} (known: ${known.join(', ') || 'none'})`, ...at(node, key) });
  }
  const valid: Record<string, ParamValue> = {};
  for (const key in def.params) {
    const spec = def.params[key]!;
    if (linked?.has(key)) continue; // its value comes by the link; the hidden widget's counts for nothing
    if (!Object.hasOwn(node.params, key)) {
      if (!spec.optional) out.push({ severity: 'error', code: 'missingParameter', message: `${spec.label} is required (${describeAllowed(spec)})`, ...at(node, key) });
      continue;
    }
    const value = node.params[key];
    const problem = paramProblem(spec, value);
    if (problem === undefined) valid[key] = value as ParamValue;
    else out.push({ severity: 'error', code: 'invalidParameter', message: `${spec.label} ${problem}`, ...at(node, key) });
  }
  return valid;
}

/** The node's parameters fed by links from active nodes (undefined when none is): a muted value node gives the widget back. */
function linkedParams(index: GraphIndex, node: GraphNode, def: NodeDefinition): Set<string> | undefined {
  const links = index.linksInto[positionOf(index, node.id)!];
  let linked: Set<string> | undefined;
  if (links)
    for (const li of links) {
      if (index.doc.nodes[index.linkFrom[li]!]?.mode !== 'active') continue;
      const port = index.doc.links[li]!.to.port;
      if (!Object.hasOwn(def.inputs, port) && Object.hasOwn(def.params, port)) (linked ??= new Set()).add(port);
    }
  return linked;
}

export interface ValidateOptions {
  /** The document's index, when the caller has one already (it is built otherwise). */
  index?: GraphIndex;
  /** Receives each known node's parameters that passed validation, at the position of its id. */
  validParams?: (Record<string, ParamValue> | undefined)[];
}

export function validateGraph(doc: GraphDocument, registry: Registry, opts: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const index = opts.index ?? indexGraph(doc);

  for (const node of doc.nodes) {
    const def = registry.get(node.type);
    if (!def) {
      const known = registry.all().map((d) => d.type);
      out.push({ severity: 'error', code: 'unknownNodeType', message: `unknown node type "${node.type.slice(0, 60)}" (known: ${known.join(', ')}); it is kept as it is`, ...at(node) });
      continue;
    }
    if (node.typeVersion > def.version) {
      out.push({ severity: 'error', code: 'newerNodeType', message: `made by a newer version of ${def.title} (type version ${node.typeVersion}; this app knows ${def.version}); update the app`, ...at(node) });
      continue;
    }
    const params = validateNodeParams(node, def, out, linkedParams(index, node, def));
    if (opts.validParams) opts.validParams[positionOf(index, node.id)!] = params;
  }

  const second = secondLinks(index);
  doc.links.forEach((link, li) => {
    const fromAt = index.linkFrom[li]!;
    const toAt = index.linkTo[li]!;
    const from = fromAt >= 0 ? doc.nodes[fromAt] : undefined;
    const to = toAt >= 0 ? doc.nodes[toAt] : undefined;
    if (!from || !to) {
      const missing = !from ? link.from.node : link.to.node;
      out.push({ severity: 'error', code: 'danglingLink', message: `link ${link.id} points at node ${missing}, which does not exist`, linkId: link.id, ...(to ? at(to, link.to.port) : from ? at(from, link.from.port) : {}) });
      return;
    }
    const fromDef = registry.get(from.type);
    const toDef = registry.get(to.type);
    const outPort = fromDef && Object.hasOwn(fromDef.outputs, link.from.port) ? fromDef.outputs[link.from.port] : undefined;
    const inPort = toDef && Object.hasOwn(toDef.inputs, link.to.port) ? toDef.inputs[link.to.port] : undefined;
    const inParam = toDef && !inPort && Object.hasOwn(toDef.params, link.to.port) ? toDef.params[link.to.port] : undefined;
    if (fromDef && !outPort) out.push({ severity: 'error', code: 'unknownPort', message: `${fromDef.title} has no output "${link.from.port}" (outputs: ${Object.keys(fromDef.outputs).join(', ') || 'none'})`, linkId: link.id, ...at(from, link.from.port) });
    if (toDef && !inPort && !inParam) out.push({ severity: 'error', code: 'unknownPort', message: `${toDef.title} has no input or parameter "${link.to.port}" (inputs: ${Object.keys(toDef.inputs).join(', ') || 'none'})`, linkId: link.id, ...at(to, link.to.port) });
    if (inParam?.linkable === false) out.push({ severity: 'error', code: 'incompatibleLink', message: `${inParam.label} is set on its node only: it takes no link`, linkId: link.id, ...at(to, link.to.port) });
    else if (outPort && inParam && !linkableParam(outPort.type))
      out.push({ severity: 'error', code: 'incompatibleLink', message: `${inParam.label} takes a link from a Values or Primitive node, but it is linked to "${link.from.port}" of node ${from.id}, which gives ${outPort.type}`, linkId: link.id, ...at(to, link.to.port) });
    if (outPort && inPort && outPort.type !== inPort.type)
      out.push({ severity: 'error', code: 'incompatibleLink', message: `input "${link.to.port}" takes ${inPort.type}, but it is linked to "${link.from.port}" of node ${from.id}, which gives ${outPort.type}`, linkId: link.id, ...at(to, link.to.port) });
    if (second[li]) out.push({ severity: 'error', code: 'inputLinkedTwice', message: `input "${link.to.port}" has more than one link; an input takes one`, linkId: link.id, ...at(to, link.to.port) });
  });

  for (const cycle of findCycles(index)) {
    const path = [...cycle, cycle[0]].join(' → ');
    for (const id of cycle) {
      const node = nodeById(index, id)!;
      out.push({ severity: 'error', code: 'cycle', message: `part of a cycle (${path}); links must not loop back`, ...at(node) });
    }
  }
  return out;
}
