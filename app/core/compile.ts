import type { Diagnostic } from './diagnostics';
import type { GraphDocument, GraphNode } from './document';
import type { EvalContext, NodeDefinition, Origin, PortSpec, RawValue, Registry, SweepItems, SweepSource, TaskInput } from './node-def';
import { coerceParam, type ParamValue } from './params';
import { joinLabel, type JoinStep, type LocalStep, type StepBody, type StepInput, type VideoSource } from './plan';
import { TaskBuilder, type OriginsRecord } from './task-builder';
import { checkVideoTask } from './task-check';
import { indexGraph, inputLink, nodeById, positionOf, type GraphIndex } from './graph-index';
import { validateGraph } from './validate';

// Compiling is a pure function: a document in, Runware tasks (or diagnostics pinned to a node
// and a field) out. UUIDs come from the caller, so the same input gives the same output.
//
// Sweeps: a task node that depends on sweep nodes (Values, Prompt List) runs once per combination
// of their items, in document order of the sweep nodes, the last varying fastest. Only the nodes
// that depend on a sweep are evaluated again for each combination.

/** One swept value that made a task: the sweep node, the item (from 0) and its label. */
export interface Coordinate {
  nodeId: number;
  title: string;
  index: number;
  label: string;
}

export interface CompiledTask {
  nodeId: number;
  task: Record<string, unknown>;
  /** Where each payload path ("lora.0.weight") came from. */
  origins: ReadonlyMap<string, Origin>;
  /** The swept values that made this task, one per sweep it depends on (none for a plain task). */
  coordinates: readonly Coordinate[];
  /** Its step in the plan, and the local steps whose outputs its placeholders wait for. */
  step: string;
  needs: readonly string[];
}

export interface CompileResult {
  ok: boolean;
  /** The remote steps of the plan, in document order and, in a sweep, last list fastest. */
  tasks: CompiledTask[];
  /** The local steps: frames taken from videos, videos joined; each after the steps it needs. */
  steps: LocalStep[];
  diagnostics: Diagnostic[];
}

export interface CompileOptions {
  uuid: () => string;
  /** The most tasks one run may send (the artist's setting); DEFAULT_MAX_TASKS when unset. */
  maxTasks?: number;
}

export const DEFAULT_MAX_TASKS = 200;

const FAILED = Symbol('failed');
class Muted {
  constructor(readonly nodeId: number) {}
}
type Outputs = Record<string, unknown> | typeof FAILED;
interface Compilation {
  report(d: Diagnostic): void;
  emitTask(run: NodeRun): void;
  emitStep(run: NodeRun, body: StepBody): string;
}

/**
 * What a node's evaluate is given: one object per evaluation. Declared once, outside any compile,
 * so that its shape is one V8 knows: a class made per compile cost a fifth of a sweep's time.
 */
class NodeRun implements EvalContext {
  errored = false;
  constructor(
    readonly compilation: Compilation,
    readonly node: GraphNode,
    readonly at: number,
    readonly def: NodeDefinition,
    readonly params: Record<string, ParamValue>,
    readonly inputs: Record<string, unknown>,
    readonly pick: number,
    readonly builder: TaskBuilder | undefined,
  ) {}
  get nodeId() {
    return this.node.id;
  }
  report(severity: 'error' | 'warning', field: string, message: string) {
    if (severity === 'error') this.errored = true;
    this.compilation.report({ severity, code: severity === 'error' ? 'invalidNode' : 'nodeWarning', message, nodeId: this.node.id, nodeTitle: this.node.title, field });
  }
  get task(): TaskBuilder {
    if (!this.builder) throw new Error(`${this.def.type} is no task node: it has no task`);
    return this.builder;
  }
  emitTask() {
    this.compilation.emitTask(this);
  }
  emitStep(body: StepBody): string {
    return this.compilation.emitStep(this, body);
  }
}

interface Shape {
  inputs: { name: string; spec: PortSpec; into: TaskInput | undefined }[];
  params: string[];
  /** Parameters a link may feed: those that are not also an input's name. */
  linkable: Set<string>;
  outputs: string[];
}

export function compileGraph(doc: GraphDocument, registry: Registry, opts: CompileOptions): CompileResult {
  // Per-node state lives in arrays indexed by node position (see GraphIndex), built fresh on every
  // call: the editor compiles after each edit of the same, mutated, document.
  const index = indexGraph(doc);
  const { nodes } = doc;
  const maxTasks = opts.maxTasks ?? DEFAULT_MAX_TASKS;
  const validParams: (Record<string, ParamValue> | undefined)[] = new Array(nodes.length);
  const found = validateGraph(doc, registry, { index, validParams });
  // compiling starts from task nodes and the last step node of each chain (a Sequence feeding none)
  const chainLink = new Uint8Array(nodes.length);
  doc.links.forEach((_, li) => {
    const from = nodes[index.linkFrom[li]!];
    const to = nodes[index.linkTo[li]!];
    if (from && to && from.type === to.type && to.mode === 'active') chainLink[index.linkFrom[li]!] = 1;
  });
  const roots = nodes.filter((n, at) => {
    const def = n.mode === 'active' ? registry.get(n.type) : undefined;
    return def?.producesTask || (def?.producesStep && !chainLink[at]);
  });

  // Problems in nodes that feed no active task do not stop a run; they stay visible as warnings.
  const used = upstreamOf(roots, index);
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
  // each combination of a sweep may find the same problem again: it is reported once
  const reported = new Set<string>();
  const report = (d: Diagnostic) => {
    const key = `${d.severity}|${d.nodeId}|${d.field}|${d.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    diagnostics.push(d);
  };

  // Outputs are kept per node; a node that depends on a sweep keeps them for one combination only.
  const memo: (Outputs | undefined)[] = new Array(nodes.length);
  const memoCombination = new Int32Array(nodes.length);
  const varies = sweepDependence(index, registry);
  const picks = new Int32Array(nodes.length);
  const memoPick = new Int32Array(nodes.length);
  /** Sweep nodes without inputs: their outputs depend on their own item alone. */
  const isSweep = Uint8Array.from(nodes, (n) => {
    const def = registry.get(n.type);
    return def?.sweep && !Object.keys(def.inputs).length ? 1 : 0;
  });
  /** Each task node's last task's origins: the tasks of a sweep share them while they agree. */
  const lastOrigins: (OriginsRecord | undefined)[] = new Array(nodes.length);
  let combination = 0;
  const visiting = new Uint8Array(nodes.length);
  const emitted: CompiledTask[] = [];
  /** Local steps by id, whoever asked for them; those no root needs are left out of the plan. */
  const localSteps = new Map<string, LocalStep>();
  const rootSteps = new Set<string>();
  /** The root being compiled: only its own run emits a task. */
  let targetAt = -1;
  let coordinates: readonly Coordinate[] = [];
  /** Parameters fed by links, by node id and name: their payload values come from the linked node's field. */
  const drivenBy = new Map<number, Map<string, Origin>>();
  const redirect = (o: Origin): Origin => drivenBy.get(o.nodeId)?.get(o.field) ?? o;
  /** What compiling reads of each node type, in arrays: a sweep runs the same nodes a thousand times. */
  const shapes = new Map<NodeDefinition, Shape>();
  const shapeOf = (def: NodeDefinition): Shape => {
    let shape = shapes.get(def);
    if (!shape) {
      const inputs = Object.keys(def.inputs).map((name) => ({ name, spec: def.inputs[name]!, into: def.producesTask ? registry.taskInput(name) : undefined }));
      const params = Object.keys(def.params);
      shapes.set(def, (shape = { inputs, params, linkable: new Set(params.filter((p) => !Object.hasOwn(def.inputs, p))), outputs: Object.keys(def.outputs) }));
    }
    return shape;
  };

  /** The value a link carries into its target, for the current combination. */
  const linkValue = (li: number): unknown => {
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
      const value = linkValue(inputLink(index, srcAt, through));
      visiting[srcAt] = 0;
      return value;
    }
    const outputs = evaluate(src, srcAt);
    if (outputs === FAILED) return FAILED;
    const value = outputs[link.from.port];
    // in a branch per result of this task, its video is the branch's result
    const branch = resultSweep[srcAt]!;
    return branch >= 0 && sweeping[branch] && isTaskVideo(value) ? { ...value, result: picks[branch] } : value;
  };

  const evaluate = (node: GraphNode, at: number): Outputs => {
    const cached = memo[at];
    // a sweep node's outputs depend on its own item alone
    if (cached && (!varies[at] || memoCombination[at] === combination || (isSweep[at] && memoPick[at] === picks[at]))) return cached;
    const def = registry.get(node.type);
    if (!def || failed[at] || visiting[at]) return FAILED;
    visiting[at] = 1;
    const result = run(node, at, def);
    visiting[at] = 0;
    memo[at] = result;
    memoCombination[at] = combination;
    memoPick[at] = picks[at]!;
    return result;
  };

  /**
   * Which link feeds each input and parameter of a node, found once per compile: links do not
   * change while the combinations of a sweep are run. `params` is null when no link feeds one.
   */
  const wiring: ({ inputs: number[] | null; params: { key: string; li: number }[] | null } | undefined)[] = new Array(nodes.length);
  const wiringOf = (at: number, shape: Shape) => {
    let w = wiring[at];
    if (!w) {
      const own = validParams[at] ?? {};
      const into = index.linksInto[at];
      const fedAny = into?.some((li) => shape.linkable.has(doc.links[li]!.to.port));
      // in the node type's order, as unlinked parameters are: the payload's keys do not move
      const params = fedAny ? shape.params.map((key) => ({ key, li: shape.linkable.has(key) ? inputLink(index, at, key) : -1 })).filter((p) => p.li >= 0 || Object.hasOwn(own, p.key)) : null;
      // a node evaluated once (nothing it depends on is swept) looks its inputs up as it goes
      const inputs = varies[at] ? shape.inputs.map(({ name }) => inputLink(index, at, name)) : null;
      w = wiring[at] = { inputs, params };
    }
    return w;
  };

  /** The node's parameters with those fed by links replaced by the linked values; FAILED when one does not fit. */
  const paramsOf = (node: GraphNode, at: number, def: NodeDefinition, shape: Shape): Record<string, ParamValue> | typeof FAILED => {
    const own = validParams[at] ?? {};
    const fed = wiringOf(at, shape).params;
    if (!fed) return own;
    const params: Record<string, ParamValue> = {};
    for (const { key, li } of fed) {
      const value = li < 0 ? undefined : linkValue(li);
      if (value === FAILED) return FAILED;
      if (value === undefined || value instanceof Muted) {
        // the widget's value stands
        if (Object.hasOwn(own, key)) params[key] = own[key]!;
        continue;
      }
      const raw = value as RawValue;
      const coerced = coerceParam(def.params[key]!, raw.raw);
      if ('problem' in coerced) {
        const src = nodeById(index, raw.nodeId);
        const which = raw.item !== undefined ? `item ${raw.item} (${JSON.stringify(raw.raw).slice(0, 40)})` : JSON.stringify(raw.raw).slice(0, 40);
        report({ severity: 'error', code: 'invalidLinkedValue', message: `${which} for node ${node.id}: ${coerced.problem}`, nodeId: raw.nodeId, ...(src ? { nodeTitle: src.title } : {}), field: raw.field });
        return FAILED;
      }
      params[key] = coerced.value;
      let fields = drivenBy.get(node.id);
      if (!fields) drivenBy.set(node.id, (fields = new Map()));
      if (!fields.has(key)) fields.set(key, { nodeId: raw.nodeId, field: raw.field });
    }
    return params;
  };

  /** What a node's run hands back to the compile it is part of. */
  const compilation: Compilation = {
    report,
    emitTask(r) {
      const { node, at } = r;
      // a task node run for what it gives another (its video) has its task emitted by its own run
      if (at !== targetAt) return;
      const task = r.task;
      const full = task.build(opts.uuid());
      const origins = (lastOrigins[at] = task.origins());
      if (checkTask(full, origins, node)) emitted.push({ nodeId: node.id, task: full, origins, coordinates, step: task.step, needs: task.needs });
    },
    emitStep(r, body) {
      const id = stepId(body.kind, r.at);
      if (!localSteps.has(id)) localSteps.set(id, { ...body, id, nodeId: r.node.id });
      if (r.at === targetAt) rootSteps.add(id);
      return id;
    },
  };

  const run = (node: GraphNode, at: number, def: NodeDefinition): Outputs => {
    const shape = shapeOf(def);
    const links = wiringOf(at, shape).inputs;
    const inputs: Record<string, unknown> = {};
    let ok = true;
    for (let k = 0; k < shape.inputs.length; k++) {
      const { name, spec } = shape.inputs[k]!;
      const li = links ? links[k]! : inputLink(index, at, name);
      const value = li < 0 ? undefined : linkValue(li);
      if (value === FAILED) return FAILED; // the cause is already reported upstream
      if (value instanceof Muted || value === undefined) {
        if (!spec.optional) {
          ok = false;
          const why = value instanceof Muted ? `comes from node ${value.nodeId}, which is muted` : 'is not linked';
          report({ severity: 'error', code: 'missingInput', message: `${spec.label} ${why}; link a ${spec.type} output to it`, nodeId: node.id, nodeTitle: node.title, field: name });
        }
        continue;
      }
      inputs[name] = value;
    }
    if (!ok) return FAILED;
    const params = paramsOf(node, at, def, shape);
    if (params === FAILED) return FAILED;
    // a task node's task starts with what its linked task inputs put in it
    const task = def.producesTask ? new TaskBuilder(node.id, stepId('task', at), lastOrigins[at], drivenBy.size ? redirect : undefined) : undefined;
    if (task)
      for (const { name, into } of shape.inputs) {
        const value = inputs[name];
        if (into && value !== undefined) into.place(value, task);
      }
    const ctx = new NodeRun(compilation, node, at, def, params, inputs, picks[at]!, task);
    const outputs = def.evaluate(ctx);
    // a node type that forgets an output (say, a misspelt key) would silently drop what it feeds
    for (const name of shape.outputs)
      if (outputs[name] === undefined) {
        ctx.errored = true;
        report({ severity: 'error', code: 'missingOutput', message: `${def.title} gave no value for its output "${name}" (a fault in the node type '${def.type}')`, nodeId: node.id, nodeTitle: node.title, field: name });
      }
    return ctx.errored ? FAILED : outputs;
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
      report({ severity: issue.severity, code: issue.code, message: issue.message, nodeId: origin.nodeId, ...(node ? { nodeTitle: node.title } : {}), field: origin.field });
    }
    return ok;
  };

  /** Each sweep node's items, asked once; null where its params offer no list. */
  const sweepItems: (SweepItems | null | undefined)[] = new Array(nodes.length);
  const itemsOf = (at: number, def: NodeDefinition): SweepItems | null => (sweepItems[at] ??= def.sweep!(validParams[at] ?? {}, sourceOf(at)) ?? null);
  /** A sweep over the results of the task at a position: its position (see SweepSource). */
  const resultSweep = new Int32Array(nodes.length).fill(-1);
  const sourceOf = (at: number): SweepSource => ({
    resultsInto: (input) => {
      const li = inputLink(index, at, input);
      const src = li < 0 ? -1 : index.linkFrom[li]!;
      if (src < 0 || !registry.get(nodes[src]!.type)?.producesTask || inputLink(index, src, 'numberResults') >= 0) return undefined;
      resultSweep[src] = at;
      const n = validParams[src]?.numberResults;
      return typeof n === 'number' ? n : 1;
    },
  });
  const sweepNodes: number[] = [];
  nodes.forEach((n, at) => {
    const def = registry.get(n.type);
    if (n.mode === 'active' && def?.sweep && itemsOf(at, def) !== null) sweepNodes.push(at);
  });
  // a video read in a branch per result is that branch's result, whoever reads it: all vary
  if (resultSweep.some((s) => s >= 0)) varies.fill(1);
  /** The sweeps of the root being compiled: a branch's result applies only under its own sweep. */
  const sweeping = new Uint8Array(nodes.length);
  /** The active sweep nodes a node depends on, by position in document order. */
  const above: (number[] | undefined)[] = new Array(nodes.length);
  const sweepsAbove = (at: number): readonly number[] => {
    if (!sweepNodes.length) return sweepNodes;
    let found = above[at];
    if (!found) {
      const upstream = upstreamOf([nodes[at]!], index);
      found = above[at] = sweepNodes.filter((s) => upstream[s]);
    }
    return found;
  };
  /** A step's id: its kind, its node and the items of the sweeps it depends on ("task:7@2.0"). */
  const stepId = (kind: string, at: number): string => {
    const sweeps = sweepsAbove(at);
    const id = `${kind}:${nodes[at]!.id}`;
    return sweeps.length ? `${id}@${sweeps.map((s) => picks[s]).join('.')}` : id;
  };
  const sweepsOf = (taskAt: number): { at: number; items: { count: number; label(i: number): string } }[] | undefined => {
    const found: { at: number; items: { count: number; label(i: number): string } }[] = [];
    let broken = false;
    for (const at of sweepsAbove(taskAt)) {
      const node = nodes[at]!;
      const def = registry.get(node.type);
      if (!def?.sweep) continue;
      if (failed[at]) {
        broken = true;
        continue;
      }
      const items = itemsOf(at, def);
      if (!items) continue;
      if ('problem' in items) {
        report({ severity: 'error', code: 'invalidSweep', message: items.problem, nodeId: node.id, nodeTitle: node.title, field: items.field });
        broken = true;
      } else found.push({ at, items });
    }
    return broken ? undefined : found;
  };

  /**
   * The joins a gathering node made, one per combination of its sweeps, become one: at each place
   * in its chain, the parts of every combination in turn, each once (a part no sweep changes is
   * the same in all of them).
   */
  const gather = (nodeId: number) => {
    const made = [...rootSteps].map((id) => localSteps.get(id)!).filter((s): s is JoinStep => s.nodeId === nodeId && s.kind === 'join');
    if (made.length < 2) return;
    const parts: StepInput[] = [];
    const seen = new Set<string>();
    for (let p = 0; p < Math.max(...made.map((s) => s.parts.length)); p++) {
      for (const s of made) {
        const part = s.parts[p];
        const key = JSON.stringify(part);
        if (!part || seen.has(key)) continue;
        seen.add(key);
        parts.push(part);
      }
    }
    for (const s of made) {
      rootSteps.delete(s.id);
      localSteps.delete(s.id);
    }
    const id = `join:${nodeId}`;
    localSteps.set(id, { kind: 'join', id, nodeId, parts, crossfadeFrames: made[0]!.crossfadeFrames, needs: [...new Set(made.flatMap((s) => s.needs))], label: joinLabel(parts.length, nodeId) });
    rootSteps.add(id);
  };

  let planned = 0;
  for (const node of roots) {
    // in document order, so tasks come out in that order
    const taskAt = positionOf(index, node.id)!;
    const isTask = registry.get(node.type)!.producesTask;
    if (failed[taskAt]) continue;
    const sweeps = sweepsOf(taskAt);
    if (!sweeps) continue;
    const zip = validParams[taskAt]?.sweep === 'zip';
    const counts = sweeps.map((s) => s.items.count);
    if (zip && new Set(counts).size > 1) {
      const sizes = sweeps.map((s) => `${s.items.count} (node ${nodes[s.at]!.id})`).join(', ');
      report({ severity: 'error', code: 'sweepLengths', message: `zip pairs lists item by item, but they have ${sizes} items; make them equal, or sweep as a grid`, nodeId: node.id, nodeTitle: node.title, field: 'sweep' });
      continue;
    }
    const total = zip ? (counts[0] ?? 1) : counts.reduce((a, b) => a * b, 1);
    if (isTask && planned + total > maxTasks) {
      const shape = counts.length > 1 ? ` (${counts.join(zip ? ' zipped with ' : ' × ')})` : '';
      report({ severity: 'error', code: 'tooManyTasks', message: `${total === 1 ? 'this task makes 1 more' : `this sweep makes ${total} tasks${shape}`}${planned ? `, ${planned + total} in the run` : ''}; a run sends at most ${maxTasks} (Settings › Max tasks per run)`, nodeId: node.id, nodeTitle: node.title, field: 'sweep' });
      continue;
    }
    if (isTask) planned += total;
    sweeping.fill(0);
    for (const s of sweeps) sweeping[s.at] = 1;
    // one coordinate object per item of each sweep, shared by the tasks made with it
    const axisPoints: Coordinate[][] = sweeps.map(() => []);
    for (let c = 0; c < total; c++) {
      // the combination's item of each sweep: with zip the same index, as a grid the digits of c
      let rest = c;
      for (let k = sweeps.length - 1; k >= 0; k--) {
        const count = counts[k]!;
        picks[sweeps[k]!.at] = zip ? c : rest % count;
        rest = zip ? rest : Math.floor(rest / count);
      }
      coordinates = sweeps.map(({ at, items }, k) => (axisPoints[k]![picks[at]!] ??= { nodeId: nodes[at]!.id, title: nodes[at]!.title, index: picks[at]!, label: items.label(picks[at]!) }));
      combination++;
      // the root runs now, memo or not: only this run of it emits its task
      memo[taskAt] = undefined;
      targetAt = taskAt;
      evaluate(node, taskAt);
    }
    if (total > 1 && registry.get(node.type)!.gathers?.(validParams[taskAt] ?? {})) gather(node.id);
  }
  targetAt = -1;
  const { tasks, steps } = plan(emitted, localSteps, rootSteps, (d) => report(d));
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { ok, tasks, steps, diagnostics };
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

/** Marks, by position, the nodes whose outputs depend on a sweep node (the sweep nodes included). */
function sweepDependence(index: GraphIndex, registry: Registry): Uint8Array {
  const { doc, linkFrom, linksInto } = index;
  const state = new Uint8Array(doc.nodes.length); // 0 not seen, 1 on the path, 2 no, 3 yes
  const visit = (at: number): boolean => {
    if (state[at] === 1) return false; // a cycle: reported by validation, never evaluated
    if (state[at]) return state[at] === 3;
    state[at] = 1;
    let yes = registry.get(doc.nodes[at]!.type)?.sweep !== undefined;
    const links = linksInto[at];
    if (links) for (const li of links) if (linkFrom[li]! >= 0 && visit(linkFrom[li]!)) yes = true;
    state[at] = yes ? 3 : 2;
    return yes;
  };
  const out = new Uint8Array(doc.nodes.length);
  for (let at = 0; at < doc.nodes.length; at++) out[at] = visit(at) ? 1 : 0;
  return out;
}

/**
 * The plan: the tasks, and the local steps a task or a chain's end needs, each after what it
 * needs. A step that needs one the plan lacks (its task over the limit, or failed) is left out,
 * with what needs it, and said.
 */
function plan(tasks: CompiledTask[], local: ReadonlyMap<string, LocalStep>, roots: ReadonlySet<string>, report: (d: Diagnostic) => void): { tasks: CompiledTask[]; steps: LocalStep[] } {
  const taskIds = new Set(tasks.map((t) => t.step));
  const state = new Map<string, boolean>(); // made (true) or left out (false)
  const steps: LocalStep[] = [];
  const missing = (id: string, nodeId: number) =>
    report({ severity: 'error', code: 'missingStep', message: `waits for ${id.replace(/^(\w+):(\d+).*$/, '$1 of node $2')}, which this run does not make`, nodeId, field: '' });
  const visit = (id: string, by: number): boolean => {
    if (taskIds.has(id)) return true;
    const known = state.get(id);
    if (known !== undefined) return known;
    const step = local.get(id);
    if (!step) {
      missing(id, by);
      return false;
    }
    state.set(id, false); // a cycle is refused by validation; never loops here
    const ok = step.needs.every((n) => visit(n, step.nodeId));
    state.set(id, ok);
    if (ok) steps.push(step);
    return ok;
  };
  for (const id of roots) visit(id, local.get(id)!.nodeId);
  const kept = tasks.filter((t) => t.needs.every((n) => visit(n, t.nodeId)));
  // a task whose needed step needs a task left out is itself left out: once more, until none is
  if (kept.length < tasks.length) return plan(kept, local, roots, report);
  return { tasks: kept, steps };
}

const isTaskVideo = (v: unknown): v is VideoSource & { task: string } => typeof v === 'object' && v !== null && typeof (v as { task?: unknown }).task === 'string';
