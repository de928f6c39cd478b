import type { Diagnostic } from './diagnostics';
import type { GraphDocument, GraphNode } from './document';
import type { NodeDefinition, Origin, Registry } from './node-def';
import type { ParamValue } from './params';
import { checkVideoTask } from './task-check';
import { indexGraph, validateGraph } from './validate';

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
  const validParams = new Map<number, Record<string, ParamValue>>();
  const found = validateGraph(doc, registry, validParams);
  const { nodes, incoming } = indexGraph(doc);
  const taskNodes = doc.nodes.filter((n) => n.mode === 'active' && registry.get(n.type)?.producesTask);

  // Problems in nodes that feed no active task do not stop a run; they stay visible as warnings.
  const used = upstreamOf(taskNodes, doc, nodes);
  const diagnostics: Diagnostic[] = found.map((d) =>
    d.severity === 'error' && d.nodeId !== undefined && !used.has(d.nodeId) ? { ...d, severity: 'warning', message: `${d.message} (not used by any task)` } : d,
  );
  const failed = new Set(diagnostics.filter((d) => d.severity === 'error' && d.nodeId !== undefined).map((d) => d.nodeId!));

  const memo = new Map<number, Outputs>();
  const visiting = new Set<number>();
  const emitted: CompiledTask[] = [];

  const inputValue = (node: GraphNode, port: string): unknown => {
    const link = incoming.get(`${node.id}:${port}`);
    if (!link) return undefined;
    const src = nodes.get(link.from.node);
    if (!src) return FAILED;
    if (src.mode === 'muted') return new Muted(src.id);
    if (src.mode === 'bypassed') {
      const srcDef = registry.get(src.type);
      const type = srcDef?.outputs[link.from.port]?.type;
      const through = srcDef && Object.entries(srcDef.inputs).find(([name, spec]) => spec.type === type && incoming.has(`${src.id}:${name}`));
      return through ? inputValue(src, through[0]) : undefined;
    }
    const outputs = evaluate(src);
    return outputs === FAILED ? FAILED : outputs[link.from.port];
  };

  const evaluate = (node: GraphNode): Outputs => {
    const cached = memo.get(node.id);
    if (cached) return cached;
    const def = registry.get(node.type);
    if (!def || failed.has(node.id) || visiting.has(node.id)) return FAILED;
    visiting.add(node.id);
    const result = run(node, def);
    visiting.delete(node.id);
    memo.set(node.id, result);
    return result;
  };

  const run = (node: GraphNode, def: NodeDefinition): Outputs => {
    const inputs: Record<string, unknown> = {};
    let ok = true;
    for (const [name, spec] of Object.entries(def.inputs)) {
      const value = inputValue(node, name);
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
      params: validParams.get(node.id) ?? {},
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
    for (const issue of checkVideoTask(task)) {
      const origin = originOf(issue.parameter, origins) ?? { nodeId: taskNode.id, field: issue.parameter };
      const node = nodes.get(origin.nodeId);
      const dup = diagnostics.some((d) => d.severity === 'error' && d.nodeId === origin.nodeId && d.field === origin.field);
      if (issue.severity === 'error') {
        ok = false;
        if (dup) continue;
      }
      diagnostics.push({ severity: issue.severity, code: issue.code, message: issue.message, nodeId: origin.nodeId, ...(node ? { nodeTitle: node.title } : {}), field: origin.field });
    }
    return ok;
  };

  for (const node of taskNodes) evaluate(node); // in document order, so tasks come out in that order
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

function upstreamOf(start: GraphNode[], doc: GraphDocument, nodes: Map<number, GraphNode>): Set<number> {
  const into = new Map<number, number[]>();
  for (const l of doc.links) {
    const list = into.get(l.to.node);
    if (list) list.push(l.from.node);
    else into.set(l.to.node, [l.from.node]);
  }
  const seen = new Set<number>();
  const stack = start.map((n) => n.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    const node = nodes.get(id);
    if (!node || (node.mode === 'muted' && !start.includes(node))) continue;
    seen.add(id);
    stack.push(...(into.get(id) ?? []));
  }
  return seen;
}
