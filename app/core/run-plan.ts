import type { CompiledTask, CompileResult } from './compile';
import type { LocalStep } from './plan';

// What one run takes of a compiled plan: the chosen tasks, every local step they wait for and, in
// turn, every task those steps read (shot 3 chosen alone brings shots 1 and 2 and their frames);
// a run of the whole graph takes every step, its joins included. A run that takes no local step
// is a plain run of tasks.

export interface RunPart {
  tasks: CompiledTask[];
  steps: LocalStep[];
}

/** The part of the plan a run of `chosen` (or of the whole graph) needs. */
export function runPart(result: Pick<CompileResult, 'tasks' | 'steps'>, chosen: readonly CompiledTask[], wholeGraph: boolean): RunPart {
  if (wholeGraph) return { tasks: [...result.tasks], steps: [...result.steps] };
  const taskOf = new Map(result.tasks.map((t) => [t.step, t]));
  const stepOf = new Map(result.steps.map((s) => [s.id, s]));
  const taken = new Set<string>();
  const take = (id: string) => {
    if (taken.has(id)) return;
    taken.add(id);
    for (const need of taskOf.get(id)?.needs ?? stepOf.get(id)?.needs ?? []) take(need);
  };
  for (const t of chosen) take(t.step);
  // in the plan's order, which is the compile's
  return { tasks: result.tasks.filter((t) => taken.has(t.step)), steps: result.steps.filter((s) => taken.has(s.id)) };
}
