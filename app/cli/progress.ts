import { shareableText } from '../core/support/shareable';
import type { JobEvent, JobRecord } from '../host/jobs/types';

// Live progress per job: on a terminal, one line per job redrawn in place; elsewhere (CI, pipes),
// one line per change of state.

export interface ProgressOut {
  write(s: string): unknown;
  isTTY?: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

export function describeJob(job: JobRecord, now = Date.now()): string {
  const label = `${job.graphName ?? job.graphFile ?? 'graph'} #${job.nodeId} ${job.id.slice(0, 8)}`;
  const cost = job.results.reduce((sum, r) => sum + (r.cost ?? 0), 0);
  const parts: string[] = [job.state];
  if (job.state === 'processing' && job.submittedAt) parts.push(seconds(now - job.submittedAt));
  if (job.reusedFrom) parts.push(`reused the result of ${job.reusedFrom.slice(0, 8)} — not paid again`);
  if (cost > 0) parts.push(`$${cost.toFixed(4)}`);
  else if (!job.reusedFrom && job.results.some((r) => !r.error && r.cost === undefined)) parts.push('cost not reported (the task did not ask for it)');
  const files = job.results.filter((r) => r.file).map((r) => r.file);
  if (job.state === 'done' && files.length) parts.push(files.join(', '));
  const failedResults = job.results.filter((r) => r.error);
  if (failedResults.length && job.state === 'done') parts.push(`${failedResults.length} result(s) failed: ${failedResults[0]!.error!.message}`);
  if (job.error) parts.push(job.error.message + (job.error.nodeId !== undefined ? ` (node ${job.error.nodeId}${job.error.field ? ` › ${job.error.field}` : ''})` : ''));
  // printed lines are shared (logs, CI, chat): no URL query, fragment or user-info
  return shareableText(`${label}: ${parts.join(' · ')}`);
}

export class Progress {
  readonly #jobs = new Map<string, JobRecord>();
  readonly #last = new Map<string, string>();
  #drawn = 0;

  constructor(readonly out: ProgressOut) {}

  update(e: JobEvent) {
    this.#jobs.set(e.id, e.job);
    if (this.out.isTTY) return this.#redraw();
    if (this.#last.get(e.id) === e.state) return;
    this.#last.set(e.id, e.state);
    this.out.write(describeJob(e.job) + '\n');
  }

  #redraw() {
    const lines = [...this.#jobs.values()].map((j) => describeJob(j));
    this.out.write((this.#drawn ? `\x1b[${this.#drawn}A` : '') + lines.map((l) => `\x1b[2K${l}\n`).join(''));
    this.#drawn = lines.length;
  }
}
