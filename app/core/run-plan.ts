import type { CompiledTask, CompileResult } from './compile';
import type { Diagnostic } from './diagnostics';

// What a run from the editor can do with a plan today: tasks that wait for no local step. The
// command line runs whole plans (wan-graph run); from the editor, a run that would need a frame
// taken or videos joined is refused before anything is sent, so no shot is paid for while the rest
// of its chain cannot follow.

/** Why these tasks of this plan cannot run as one run; none when they can. */
export function runProblems(result: CompileResult, tasks: readonly CompiledTask[], wholeGraph: boolean): Diagnostic[] {
  const problem = (nodeId: number, field: string, what: string): Diagnostic => ({
    severity: 'error',
    code: 'chainNotRunnable',
    message: `${what}: chains (Frame From Video, Sequence) run from the command line for now (wan-graph run <file>); here, run the first shots by themselves by choosing their nodes`,
    nodeId,
    field,
  });
  const waiting = tasks.filter((t) => t.needs.length).map((t) => problem(t.nodeId, 'frames', `this task waits for ${t.needs.join(', ')}`));
  const joins = wholeGraph ? result.steps.filter((s) => s.kind === 'join').map((s) => problem(s.nodeId, 'video', `${s.label} after the run`)) : [];
  // one per node: a sweep repeats them
  const seen = new Set<number>();
  return [...waiting, ...joins].filter((d) => !seen.has(d.nodeId!) && !!seen.add(d.nodeId!));
}
