import type { CompiledTask, CompileResult } from './compile';
import type { Diagnostic } from './diagnostics';
import { placeholdersIn } from './plan';

// What a run from the editor can do with a plan today: tasks that wait for no local step. The
// command line runs whole plans (wan-graph run); from the editor, a run that would need a frame
// taken or videos joined is refused before anything is sent, so no shot is paid for while the rest
// of its chain cannot follow.

/** Why these tasks of this plan cannot run as one run; none when they can. */
export function runProblems(result: CompileResult, tasks: readonly CompiledTask[], wholeGraph: boolean): Diagnostic[] {
  const problem = (nodeId: number, field: string, what: string): Diagnostic => ({
    severity: 'error',
    code: 'chainNotRunnable',
    message: `${what}: chains (Frame From Video, Sequence) run from the command line for now (wan-graph run <file>); here, run the shots before it on their own by choosing their nodes`,
    nodeId,
    field,
  });
  const waiting = tasks.filter((t) => t.needs.length).map((t) => problem(t.nodeId, 'frames', `starts on the ${placeholdersIn(t.task).map((p) => p.label).join(' and ')}, taken during the run`));
  const joins = wholeGraph ? result.steps.flatMap((s) => (s.kind === 'join' ? [problem(s.nodeId, 'video', `joins ${s.parts.length} videos once they are made`)] : [])) : [];
  // one per node: a sweep repeats them
  const seen = new Set<number>();
  return [...waiting, ...joins].filter((d) => !seen.has(d.nodeId!) && !!seen.add(d.nodeId!));
}
