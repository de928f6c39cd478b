import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { HostFailure, type Settings } from '../../core/contract';
import type { RunEstimate } from '../../core/run-cost';
import { keyMayTravelTo, parseEndpointUrl, RUNWARE_URL } from '../../core/support/endpoint';
import { estimateRun } from '../jobs/estimate';
import { Library } from '../jobs/library';
import type { JobRunner } from '../jobs/runner';
import { FINISHED, type JobRecord } from '../jobs/types';
import { readPlans, type PlanInput, type PlanRecord, type PlanRunner, type StepState } from '../jobs/plan-runner';
import { openRunnerFor, readJournals, type JournalView, type RunTarget } from '../run-target';

// Where runs go, and the job runners that take them there: one runner per target (endpoint and
// key), opened when first needed and kept open, so switching the endpoint or the key never stops
// jobs already running elsewhere. Sandbox runs keep their journal, ledger and library in
// <data>/sandbox, apart from paid ones.

export const NO_KEY_NOTICE = 'No API key: runs go to the local sandbox — placeholder videos marked SANDBOX, nothing is billed.';
const SANDBOX_NOTICE = 'Runs go to the local sandbox — placeholder videos marked SANDBOX, nothing is billed.';

export interface SandboxHandle {
  url: string;
  close(): Promise<void>;
}

export interface Target {
  sandbox: boolean;
  /** The endpoint; for the sandbox, known once it has started. */
  url?: string;
  apiKey?: string;
  notice: string;
}

/** Where runs go with these settings and this key, and why, in words. */
export function chooseTarget(settings: Settings, key: string | undefined): Target {
  if (settings.endpoint === 'sandbox') return { sandbox: true, notice: SANDBOX_NOTICE };
  if (settings.endpoint === 'runware') return key ? { sandbox: false, url: RUNWARE_URL, apiKey: key, notice: 'Runs go to Runware and are billed to your account.' } : { sandbox: true, notice: NO_KEY_NOTICE };
  const url = parseEndpointUrl(settings.customUrl);
  if (!url) return { sandbox: true, notice: `The custom endpoint needs an http(s) URL: until it has one, ${SANDBOX_NOTICE.charAt(0).toLowerCase()}${SANDBOX_NOTICE.slice(1)}` };
  const at = url.toString();
  if (!key) return { sandbox: false, url: at, notice: `Runs go to ${url.origin}, without an API key.` };
  if (!keyMayTravelTo(url)) return { sandbox: false, url: at, notice: `Runs go to ${url.origin}; the API key is not sent there: it is plain http to another machine.` };
  return { sandbox: false, url: at, apiKey: key, notice: `Runs go to ${url.origin}, with your API key.` };
}

interface Entry {
  url: string;
  sandbox: boolean;
  runner: JobRunner;
  plans: PlanRunner;
  close: () => Promise<void>;
  /** Jobs this runner runs or follows in this session. */
  owned: Set<string>;
}

export interface TargetsOptions {
  dataDir: string;
  ffmpegPath?: string;
  startSandbox: () => Promise<SandboxHandle>;
  libraryDir: () => string;
  concurrency: () => number;
  onJob: (job: JobRecord, sandbox: boolean) => void;
  /** A step of a chain changed: the chain with every step's state. */
  onPlan: (plan: ListedPlan) => void;
  onSandboxStarted: () => void;
}

export interface ListedPlan {
  plan: PlanRecord;
  states: ReadonlyMap<string, StepState>;
  sandbox: boolean;
}

export interface ListedJob {
  job: JobRecord;
  sandbox: boolean;
}

const fingerprint = (key: string | undefined) => (key ? createHash('sha256').update(key).digest('hex').slice(0, 16) : 'none');

export class Targets {
  readonly #entries = new Map<string, Promise<Entry>>();
  /** In opening order: for a job known to several runners, the latest copy is the freshest. */
  readonly #opened: Entry[] = [];
  readonly #resumed = new Set<string>();
  readonly #libraries = new Set<string>();
  #sandbox: Promise<SandboxHandle> | undefined;
  #sandboxUrl: string | undefined;
  #history: JournalView[] = [];
  /** Every chain of the journals as they were at start. */
  #planHistory: ListedPlan[] = [];
  #closed = false;

  constructor(readonly opts: TargetsOptions) {}

  get sandboxDir(): string {
    return join(this.opts.dataDir, 'sandbox');
  }

  get sandboxUrl(): string | undefined {
    return this.#sandboxUrl;
  }

  /** Every folder results have been kept in during this session. */
  libraryRoots(): string[] {
    return [...this.#libraries, this.opts.libraryDir(), join(this.sandboxDir, 'library')];
  }

  /**
   * Reads every journal to list its jobs. With a key, the Runware runner resumes its unfinished
   * jobs; the sandbox, when its journal has unfinished jobs, starts and runs them again.
   */
  async start(key: string | undefined, current: Target): Promise<void> {
    this.#history = await readJournals(this.opts.dataDir);
    this.#planHistory = (await Promise.all([false, true].map(async (sandbox) => (await readPlans(sandbox ? this.sandboxDir : this.opts.dataDir)).map((p) => ({ ...p, sandbox }))))).flat();
    if (key) await this.#runnerFor({ sandbox: false, url: RUNWARE_URL, apiKey: key, notice: '' });
    if (!current.sandbox && current.url !== RUNWARE_URL) await this.#runnerFor(current);
    if (this.#history.some((h) => h.sandbox && (h.plans.length || h.jobs.some((j) => !FINISHED.has(j.state))))) await this.#runnerFor({ sandbox: true, notice: '' });
  }

  async #startSandbox(): Promise<string> {
    this.#sandbox ??= this.opts.startSandbox().then(
      (s) => {
        this.#sandboxUrl = s.url;
        this.opts.onSandboxStarted();
        return s;
      },
      (e: unknown) => {
        this.#sandbox = undefined;
        throw new HostFailure('sandbox-failed', `the local sandbox could not start: ${(e as Error).message}`);
      },
    );
    return (await this.#sandbox).url;
  }

  /** Opens the runner for a target now (a keyed one resumes its endpoint's unfinished jobs). */
  async open(target: Target): Promise<void> {
    await this.#runnerFor(target);
  }

  /** The runner for a target, opened (and the sandbox started) when first needed. */
  async #runnerFor(target: Target): Promise<Entry> {
    if (this.#closed) throw new HostFailure('closing', 'the app is shutting down');
    const url = target.sandbox ? await this.#startSandbox() : target.url!;
    return this.#open(`${url}|${fingerprint(target.apiKey)}`, { url, sandbox: target.sandbox, ...(target.apiKey && { apiKey: target.apiKey }) });
  }

  #open(id: string, t: RunTarget): Promise<Entry> {
    let entry = this.#entries.get(id);
    if (entry) return entry;
    entry = (async () => {
      const libraryDir = t.sandbox ? join(this.sandboxDir, 'library') : this.opts.libraryDir();
      this.#libraries.add(libraryDir);
      const opened = await openRunnerFor(t, {
        dataDir: this.opts.dataDir,
        libraryDir,
        sandboxLibraryDir: libraryDir,
        ...(this.opts.ffmpegPath && { ffmpegPath: this.opts.ffmpegPath }),
        concurrency: this.opts.concurrency(),
        onEvent: (ev) => this.opts.onJob(ev.job, t.sandbox),
        onStep: (plan, _step, _state, states) => this.opts.onPlan({ plan, states, sandbox: t.sandbox }),
      });
      const e: Entry = { url: t.url, sandbox: t.sandbox, runner: opened.runner, plans: opened.plans, close: opened.close, owned: new Set() };
      this.#opened.push(e);
      // one runner per endpoint follows up the unfinished jobs and chains, never two
      const endpoint = t.sandbox ? 'sandbox' : t.url;
      if (!this.#resumed.has(endpoint)) {
        this.#resumed.add(endpoint);
        for (const job of await e.runner.resume()) e.owned.add(job.id);
        e.plans.resume();
      }
      return e;
    })();
    entry.catch(() => this.#entries.delete(id));
    this.#entries.set(id, entry);
    return entry;
  }

  async enqueue(target: Target, inputs: Parameters<JobRunner['enqueue']>[0][]): Promise<ListedJob[]> {
    const entry = await this.#runnerFor(target);
    const jobs = await entry.runner.enqueueAll(inputs);
    for (const job of jobs) if (job.runId === entry.runner.runId) entry.owned.add(job.id);
    // an identical payload already running elsewhere is that job, not a new one
    return jobs.map((job) => this.#freshest(job.id) ?? { job, sandbox: entry.sandbox });
  }

  /** Starts a chain at the target: its plan is on disk before anything is sent. */
  async startPlan(target: Target, input: PlanInput): Promise<ListedPlan> {
    const entry = await this.#runnerFor(target);
    const plan = await entry.plans.start(randomUUID(), input);
    return { plan, states: entry.plans.states(plan.id), sandbox: entry.sandbox };
  }

  /** Every chain, each once: as its runner has it now, else as the journal had it at start. */
  plans(): ListedPlan[] {
    const byId = new Map(this.#planHistory.map((p) => [p.plan.id, p]));
    for (const e of this.#opened) for (const plan of e.plans.plans()) byId.set(plan.id, { plan, states: e.plans.states(plan.id), sandbox: e.sandbox });
    return [...byId.values()];
  }

  /** Cancels a chain's step and what needs it (or the whole chain). */
  async cancelPlan(id: string, step?: string): Promise<void> {
    const owner = this.#opened.find((e) => e.plans.plans().some((p) => p.id === id));
    if (!owner) throw new HostFailure('not-found', `chain ${id} is not followed in this session: it was sent to an endpoint that is not open now`);
    await owner.plans.cancel(id, step).catch((e: unknown) => {
      throw new HostFailure('not-found', (e as Error).message);
    });
  }

  /** What a run of these inputs would cost at the target (host/jobs/estimate.ts); nothing of the run is sent. */
  async estimate(target: Target, inputs: Parameters<JobRunner['enqueue']>[0][]): Promise<RunEstimate> {
    const entry = await this.#runnerFor(target);
    const { ranForReal, ...estimate } = await estimateRun(entry.runner, inputs);
    for (const job of ranForReal) entry.owned.add(job.id);
    return { ...estimate, sandbox: entry.sandbox };
  }

  #freshest(id: string): ListedJob | undefined {
    let found: Entry | undefined;
    for (const e of this.#opened) {
      if (!e.runner.get(id)) continue;
      if (e.owned.has(id)) return { job: e.runner.get(id)!, sandbox: e.sandbox };
      found = e;
    }
    return found && { job: found.runner.get(id)!, sandbox: found.sandbox };
  }

  /** Every job of every journal, each once: the copy of the runner following it, else as the journal had it. */
  jobs(): ListedJob[] {
    const byId = new Map<string, ListedJob & { owned: boolean }>();
    for (const h of this.#history) for (const job of h.jobs) byId.set(job.id, { job, sandbox: h.sandbox, owned: false });
    for (const e of this.#opened) {
      for (const job of e.runner.jobs()) {
        const owned = e.owned.has(job.id);
        if (byId.get(job.id)?.owned && !owned) continue;
        byId.set(job.id, { job, sandbox: e.sandbox, owned });
      }
    }
    return [...byId.values()].map(({ job, sandbox }) => ({ job, sandbox }));
  }

  /** The library a job's results are kept in: the sandbox's for sandbox jobs, else the library folder. */
  libraryOf(listed: ListedJob): string {
    return listed.sandbox ? join(this.sandboxDir, 'library') : this.opts.libraryDir();
  }

  /** Takes up a job that waits for the artist (results not yet saved, lost track of) again. */
  async retry(id: string): Promise<void> {
    const owner = this.#owner(id);
    if (!owner) throw new HostFailure('not-found', `job ${id} is not followed in this session: it was sent to an endpoint that is not open now`);
    owner.runner.retry(id);
  }

  #owner(id: string): Entry | undefined {
    return this.#opened.find((e) => e.owned.has(id)) ?? this.#opened.findLast((e) => e.runner.get(id));
  }

  async cancel(id: string): Promise<void> {
    const owner = this.#owner(id);
    if (!owner) throw new HostFailure('not-found', `job ${id} is not followed in this session`);
    await owner.runner.cancel(id);
  }

  /** New settings reach open runners: concurrency at once, the library folder for the next downloads. */
  applySettings(): void {
    const dir = this.opts.libraryDir();
    this.#libraries.add(dir);
    for (const e of this.#opened) {
      e.runner.opts.concurrency = this.opts.concurrency();
      if (!e.sandbox && e.runner.opts.library.root !== dir) e.runner.opts.library = new Library(dir, this.opts.ffmpegPath);
    }
  }

  /** Stops following jobs (they resume at the next start), then stops the sandbox. */
  async close(): Promise<void> {
    this.#closed = true;
    const entries = await Promise.allSettled(this.#entries.values());
    for (const r of entries) {
      if (r.status !== 'fulfilled') continue;
      await r.value.close();
    }
    const sandbox = await this.#sandbox?.catch(() => undefined);
    await sandbox?.close();
  }
}
