import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { compileGraph } from '../../core/compile';
import { runPart } from '../../core/run-plan';
import type { Diagnostic } from '../../core/diagnostics';
import { loadGraph } from '../../core/load';
import { graphName } from '../../core/document';
import type { EnqueueInput } from '../jobs/runner';
import type { PlanInput } from '../jobs/plan-runner';
import { registry } from '../../../nodes';
import { HostFailure } from '../../core/contract';

// A graph's text, compiled on the host into what the runner enqueues: one input per task, or only
// those of the chosen nodes and what they wait for. A run that takes frames or joins videos is a
// chain: its plan goes to the plan runner, and its tasks (placeholders and all) are still listed
// for pricing.

export type Prepared = { ok: true; inputs: EnqueueInput[]; plan?: PlanInput } | { ok: false; diagnostics: Diagnostic[] };

export function prepareRun(text: string, path: string | undefined, nodeIds: readonly number[] | undefined, docId?: string, maxTasks?: number): Prepared {
  const loaded = loadGraph(text, registry);
  if (!loaded.ok) return { ok: false, diagnostics: loaded.errors };
  // the limit counts every task of the graph, also when only some nodes are run: as the editor shows it
  const compiled = compileGraph(loaded.doc, registry, { uuid: randomUUID, ...(maxTasks !== undefined && { maxTasks }) });
  if (!compiled.ok) return { ok: false, diagnostics: compiled.diagnostics };
  const tasks = nodeIds ? compiled.tasks.filter((t) => nodeIds.includes(t.nodeId)) : compiled.tasks;
  if (nodeIds && !tasks.length) throw new HostFailure('bad-input', `none of the nodes ${nodeIds.join(', ')} runs a task: choose active Video Inference nodes`);
  const part = runPart(compiled, tasks, !nodeIds);
  const graphFile = path ? resolve(path) : undefined;
  const where = { graph: loaded.doc, graphName: graphName(loaded.doc, graphFile), ...(graphFile && { graphFile }), ...(docId && { docId }) };
  const inputs = part.tasks.map((compiled) => ({ compiled, ...where }));
  return { ok: true, inputs, ...(part.steps.length && { plan: { compiled: part, ...where } }) };
}
