import { isActive, type JobView } from '../core/contract';

// What the desktop tells the artist about jobs while they look elsewhere: taskbar (dock) progress
// over the current batch, a notification for each failure, and one when the batch is finished.

export interface FeedbackSinks {
  /** 0..1 while jobs run; -1 removes the bar. `error` once a job of the batch has failed. */
  progress(fraction: number, mode: 'normal' | 'error'): void;
  notify(title: string, body: string): void;
}

const graphOf = (job: JobView) => job.graphName ?? 'Untitled';

export class JobFeedback {
  readonly #active = new Map<string, JobView>();
  #batch = { total: 0, done: 0, failed: 0, cancelled: 0, lastDone: undefined as JobView | undefined };

  constructor(readonly sinks: FeedbackSinks) {}

  get activeCount(): number {
    return this.#active.size;
  }

  /** Jobs already running at start (resumed from the journal) join the batch without a fuss. */
  seed(jobs: readonly JobView[]): void {
    for (const job of jobs) {
      if (!isActive(job) || this.#active.has(job.id)) continue;
      this.#active.set(job.id, job);
      this.#batch.total++;
    }
    this.#showProgress();
  }

  update(job: JobView): void {
    const known = this.#active.has(job.id);
    if (isActive(job)) {
      if (!known) this.#batch.total++;
      this.#active.set(job.id, job);
    } else if (known) {
      this.#active.delete(job.id);
      this.#finished(job);
    }
    if (this.#active.size === 0 && this.#batch.total > 0) this.#batchOver();
    this.#showProgress();
  }

  #finished(job: JobView): void {
    const b = this.#batch;
    if (job.state === 'done') {
      b.done++;
      b.lastDone = job;
    } else if (job.state === 'failed') {
      b.failed++;
      const message = job.error?.message ?? job.results.find((r) => r.error)?.error?.message ?? 'no video came back';
      this.sinks.notify(`Generation failed — ${graphOf(job)}`, `Node #${job.nodeId}: ${message}`);
    } else b.cancelled++; // cancelled, estimated (a dry run), or lost track of until the next start
  }

  #batchOver(): void {
    const b = this.#batch;
    if (b.done === 1 && b.lastDone) {
      const seeds = b.lastDone.results.filter((r) => !r.error).map((r) => r.seed).join(', ');
      this.sinks.notify(`Video ready — ${graphOf(b.lastDone)}`, `Node #${b.lastDone.nodeId}${seeds ? `, seed ${seeds}` : ''}${b.failed ? `; ${b.failed} failed` : ''}`);
    } else if (b.done > 1) this.sinks.notify(`${b.done} videos ready`, b.failed ? `${b.failed} failed` : 'Every job of the batch is done.');
    this.#batch = { total: 0, done: 0, failed: 0, cancelled: 0, lastDone: undefined };
  }

  #showProgress(): void {
    const b = this.#batch;
    if (this.#active.size === 0) return this.sinks.progress(-1, 'normal');
    const finished = b.done + b.failed + b.cancelled;
    // a sliver shows from the start, so a single running job still shows a bar
    this.sinks.progress(Math.max(0.02, finished / b.total), b.failed ? 'error' : 'normal');
  }
}
