import type { RunwareClient } from '../../runware/client';
import { errorAsDataItem, isTerminal, type DataItem } from '../../runware/protocol';

// One poller for all running tasks. Each task keeps its own cadence (first poll after about 1 s,
// then ×1.5 up to 10 s), but every request asks about all waiting tasks at once, so many tasks
// cost one request. When the service reports `progress`, the next poll is also timed for the
// predicted end. A task that outlives the overall limit is "lost track of", not failed.

export class LostTrackError extends Error {
  constructor(readonly elapsedMs: number) {
    super(`no result after ${Math.round(elapsedMs / 60000)} minutes; the task may still finish — resume it later`);
    this.name = 'LostTrackError';
  }
}

export interface PollerOptions {
  firstPollMs: number;
  growth: number;
  capMs: number;
  overallTimeoutMs: number;
  /** How many taskUUIDs one request may carry. */
  batch: number;
  now: () => number;
  onProgress?: (taskUUID: string, items: DataItem[]) => void;
}

interface Waiter {
  taskUUID: string;
  expected: number;
  startedAt: number;
  interval: number;
  nextAt: number;
  resolve: (items: DataItem[]) => void;
  reject: (e: unknown) => void;
}

export class Poller {
  readonly #waiting = new Map<string, Waiter>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #closed = false;

  constructor(
    readonly client: RunwareClient,
    readonly opts: PollerOptions,
  ) {}

  /** Resolves with all `expected` items of a task once every one of them is terminal. */
  wait(taskUUID: string, expected: number, startedAt: number): Promise<DataItem[]> {
    return new Promise((resolve, reject) => {
      const now = this.opts.now();
      this.#waiting.set(taskUUID, { taskUUID, expected, startedAt, interval: this.opts.firstPollMs, nextAt: Math.max(now, startedAt + this.opts.firstPollMs), resolve, reject });
      this.#schedule();
    });
  }

  stop(taskUUID: string, reason: unknown): void {
    const w = this.#waiting.get(taskUUID);
    if (!w) return;
    this.#waiting.delete(taskUUID);
    w.reject(reason);
  }

  #schedule() {
    if (this.#busy || this.#closed) return;
    clearTimeout(this.#timer);
    let next = Infinity;
    for (const w of this.#waiting.values()) next = Math.min(next, w.nextAt);
    if (next === Infinity) return;
    this.#timer = setTimeout(() => void this.#tick(), Math.max(0, next - this.opts.now()));
  }

  async #tick() {
    this.#busy = true;
    try {
      const now = this.opts.now();
      const all = [...this.#waiting.values()];
      for (const w of all) {
        if (now - w.startedAt > this.opts.overallTimeoutMs) this.stop(w.taskUUID, new LostTrackError(now - w.startedAt));
      }
      const due = all.filter((w) => w.nextAt <= now + 20 && this.#waiting.has(w.taskUUID));
      // the due ones first, then the others ride along in the same request for free
      const ask = [...due, ...all.filter((w) => !due.includes(w) && this.#waiting.has(w.taskUUID))].slice(0, Math.max(this.opts.batch, due.length));
      if (ask.length) await this.#poll(ask, new Set(due));
    } finally {
      this.#busy = false;
      this.#schedule();
    }
  }

  async #poll(ask: Waiter[], due: Set<Waiter>) {
    let envelope;
    try {
      envelope = await this.client.getResponses(ask.map((w) => w.taskUUID));
    } catch {
      // the client already retried; try again on the normal cadence
      for (const w of due) this.#advance(w, []);
      return;
    }
    const items = new Map<string, DataItem[]>();
    for (const d of envelope.data) items.set(d.taskUUID, [...(items.get(d.taskUUID) ?? []), d]);
    const failed = new Map<string, DataItem>();
    for (const e of envelope.errors) if (e.taskUUID && e.status === 'error' && !failed.has(e.taskUUID)) failed.set(e.taskUUID, errorAsDataItem({ ...e, taskUUID: e.taskUUID }));
    for (const w of ask) {
      if (!this.#waiting.has(w.taskUUID)) continue;
      const mine = settle(items.get(w.taskUUID) ?? [], failed.get(w.taskUUID), w.expected);
      this.opts.onProgress?.(w.taskUUID, mine);
      if (mine.length >= w.expected && mine.every((d) => isTerminal(d.status))) {
        this.#waiting.delete(w.taskUUID);
        w.resolve(mine);
      } else if (due.has(w)) this.#advance(w, mine);
    }
  }

  #advance(w: Waiter, items: DataItem[]) {
    const now = this.opts.now();
    w.interval = Math.min(this.opts.capMs, w.interval * this.opts.growth);
    w.nextAt = now + w.interval;
    const progress = Math.min(...items.map((d) => d.progress ?? 0).filter((p) => p > 0 && p < 100));
    if (Number.isFinite(progress)) {
      const predictedEnd = w.startedAt + ((now - w.startedAt) * 100) / progress;
      if (predictedEnd > now) w.nextAt = Math.min(w.nextAt, predictedEnd + 25);
    }
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#timer);
  }
}

/**
 * A task's items with its task-level error applied. An error item for the task ends it (as the
 * official SDK does): the results it never delivered fail with that error. Only when the service
 * still reports results of the task as running does the error stand for one result, not the task.
 */
function settle(items: DataItem[], taskError: DataItem | undefined, expected: number): DataItem[] {
  if (!taskError) return items;
  if (items.some((d) => !isTerminal(d.status))) return items.some((d) => d.status === 'error') ? items : [...items, taskError];
  return [...items, ...Array.from({ length: Math.max(0, expected - items.length) }, () => taskError)];
}
