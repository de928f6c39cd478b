import type { Diagnostic } from './diagnostics';
import type { GraphDocument, GraphNode } from './document';
import type { NodeDefinition, Origin, Registry } from './node-def';
import type { ParamValue } from './params';
import { checkVideoTask } from './task-check';
import { indexGraph, inputLink, nodeById, positionOf, type GraphIndex } from './graph-index';
import { validateGraph } from './validate';

// Compiling is a pure function: a document in, Runware tasks (or diagnostics pinned to a node
// and a field) out. UUIDs come from the caller, so the same input gives the same output.

export interface CompiledTask {
  nodeId: number;
  task: Record<string, unknown>;
  /** Where each payload path ("lora.0.weight") came from. */
  origins: ReadonlyMap<string, Origin>;
}

export interface CompileResult {
  ok: boolean;
  tasks: CompiledTask[];
  diagnostics: Diagnostic[];
}

export interface CompileOptions {
  uuid: () => string;
}

const FAILED = Symbol('failed');
class Muted {
  constructor(readonly nodeId: number) {}
}
type Outputs = Record<string, unknown> | typeof FAILED;

export function compileGraph(doc: GraphDocument, registry: Registry, opts: CompileOptions): CompileResult {
  // Per-node state lives in arrays indexed by node position (see GraphIndex), built fresh on every
  // call: the editor compiles after each edit of the same, mutated, document.
  const index = indexGraph(doc);
  const { nodes } = doc;
  const validParams: (Record<string, ParamValue> | undefined)[] = new Array(nodes.length);
  const found = validateGraph(doc, registry, { index, validParams });
  const taskNodes = nodes.filter((n) => n.mode === 'active' && registry.get(n.type)?.producesTask);

  // Problems in nodes that feed no active task do not stop a run; they stay visible as warnings.
  const used = upstreamOf(taskNodes, index);
  const isUsed = (id: number) => {
    const at = positionOf(index, id);
    return at !== undefined && used[at] === 1;
  };
  const diagnostics: Diagnostic[] = found.map((d) =>
    d.severity === 'error' && d.nodeId !== undefined && !isUsed(d.nodeId) ? { ...d, severity: 'warning', message: `${d.message} (not used by any task)` } : d,
  );
  const failed = new Uint8Array(nodes.length);
  for (const d of diagnostics) {
    const at = d.severity === 'error' && d.nodeId !== undefined ? positionOf(index, d.nodeId) : undefined;
    if (at !== undefined) failed[at] = 1;
  }

  const memo: (Outputs | undefined)[] = new Array(nodes.length);
  const visiting = new Uint8Array(nodes.length);
  const emitted: CompiledTask[] = [];

  /** The value arriving at an input of `node`, which sits at position `at`. */
  const inputValue = (node: GraphNode, at: number, port: string): unknown => {
    const li = inputLink(index, at, port);
    if (li < 0) return undefined;
    const link = doc.links[li]!;
    const srcAt = index.linkFrom[li]!;
    if (srcAt < 0) return FAILED;
    const src = nodes[srcAt]!;
    if (src.mode === 'muted') return new Muted(src.id);
    if (src.mode === 'bypassed') {
      // a bypassed node in a cycle would pass its own output back to itself forever
      if (failed[srcAt] || visiting[srcAt]) return FAILED;
      const srcDef = registry.get(src.type);
      const type = srcDef?.outputs[link.from.port]?.type;
      const through = srcDef && Object.keys(srcDef.inputs).find((name) => srcDef.inputs[name]!.type === type && inputLink(index, srcAt, name) >= 0);
      if (through === undefined) return undefined;
      visiting[srcAt] = 1;
      const value = inputValue(src, srcAt, through);
      visiting[srcAt] = 0;
      return value;
    }
    const outputs = evaluate(src, srcAt);
    return outputs === FAILED ? FAILED : outputs[link.from.port];
  };

  const evaluate = (node: GraphNode, at: number): Outputs => {
    const cached = memo[at];
    if (cached) return cached;
    const def = registry.get(node.type);
    if (!def || failed[at] || visiting[at]) return FAILED;
    visiting[at] = 1;
    const result = run(node, at, def);
    visiting[at] = 0;
    memo[at] = result;
    return result;
  };

  const run = (node: GraphNode, at: number, def: NodeDefinition): Outputs => {
    const inputs: Record<string, unknown> = {};
    let ok = true;
    for (const name in def.inputs) {
      const spec = def.inputs[name]!;
      const value = inputValue(node, at, name);
      if (value === FAILED) return FAILED; // the cause is already reported upstream
      if (value instanceof Muted || value === undefined) {
        if (!spec.optional) {
          ok = false;
          const why = value instanceof Muted ? `comes from node ${value.nodeId}, which is muted` : 'is not linked';
          diagnostics.push({ severity: 'error', code: 'missingInput', message: `${spec.label} ${why}; link a ${spec.type} output to it`, nodeId: node.id, nodeTitle: node.title, field: name });
        }
        continue;
      }
      inputs[name] = value;
    }
    if (!ok) return FAILED;
    let errored = false;
    const outputs = def.evaluate({
      nodeId: node.id,
      params: validParams[at] ?? {},
      inputs,
      report(severity, field, message) {
        if (severity === 'error') errored = true;
        diagnostics.push({ severity, code: severity === 'error' ? 'invalidNode' : 'nodeWarning', message, nodeId: node.id, nodeTitle: node.title, field });
      },
      emitTask(task, origins) {
        const full = { taskType: 'videoInference', taskUUID: opts.uuid(), ...task };
        if (checkTask(full, origins, node)) emitted.push({ nodeId: node.id, task: full, origins });
      },
    });
    return errored ? FAILED : outputs;
  };

  /** Runs the task rules; each issue lands on the node and field its value came from. */
  const checkTask = (task: Record<string, unknown>, origins: ReadonlyMap<string, Origin>, taskNode: GraphNode): boolean => {
    let ok = true;
    // Every value in the task comes from a node parameter validated above: only the rules across
    // fields and per model are left to check.
    for (const issue of checkVideoTask(task, { fieldsChecked: true })) {
      const origin = originOf(issue.parameter, origins) ?? { nodeId: taskNode.id, field: issue.parameter };
      const node = nodeById(index, origin.nodeId);
      const dup = diagnostics.some((d) => d.severity === 'error' && d.nodeId === origin.nodeId && d.field === origin.field);
      if (issue.severity === 'error') {
        ok = false;
        if (dup) continue;
      }
      diagnostics.push({ severity: issue.severity, code: issue.code, message: issue.message, nodeId: origin.nodeId, ...(node ? { nodeTitle: node.title } : {}), field: origin.field });
    }
    return ok;
  };

  for (const node of taskNodes) evaluate(node, positionOf(index, node.id)!); // in document order, so tasks come out in that order
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { ok, tasks: emitted, diagnostics };
}

/** The node field a payload path came from: the longest recorded prefix of the path. */
export function originOf(parameter: string, origins: ReadonlyMap<string, Origin>): Origin | undefined {
  const parts = parameter.split('.');
  for (let k = parts.length; k > 0; k--) {
    const o = origins.get(parts.slice(0, k).join('.'));
    if (o) return o;
  }
  return undefined;
}

/**
 * Marks, by position, the nodes the task nodes (all active) depend on through links of any kind.
 * A muted node ends a path: what feeds it is not used.
 */
function upstreamOf(start: readonly GraphNode[], index: GraphIndex): Uint8Array {
  const { doc, linkFrom, linksInto } = index;
  const seen = new Uint8Array(doc.nodes.length);
  const stack = start.map((n) => positionOf(index, n.id)!);
  while (stack.length) {
    const at = stack.pop()!;
    if (seen[at] || doc.nodes[at]!.mode === 'muted') continue; // never a start node: those are active
    seen[at] = 1;
    const links = linksInto[at];
    if (links) for (const li of links) if (linkFrom[li]! >= 0) stack.push(linkFrom[li]!);
  }
  return seen;
}
