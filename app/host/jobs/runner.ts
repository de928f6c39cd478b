import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { originOf, type CompiledTask } from '../../core/compile';
import type { GraphDocument } from '../../core/document';
import { stringifyJson } from '../../core/support/json';
import type { Origin } from '../../core/node-def';
import type { RunwareClient } from '../../runware/client';
import { fromErrorItem, RunwareError } from '../../runware/errors';
import type { DataItem } from '../../runware/protocol';
import { DownloadError, downloadFile } from './download';
import { withContext } from '../system-error';
import { asSaveError } from './save-errors';
import { FrameImageError, graphBaseDir, localPath, mapFrameImages, resolveFrameImages, UploadCache } from './frame-images';
import { Journal } from './journal';
import { Ledger } from './ledger';
import { Library, type IndexEntry } from './library';
import { LostTrackError, Poller } from './poller';
import { Slots } from './slots';
import { FINISHED, WAITING, type JobError, type JobEvent, type JobRecord, type JournalEntry, type ResultRecord } from './types';

// The job runner owns everything with side effects: uploads, submission, polling, downloads, the
// journal and the cost ledger. A job is on disk before its task is submitted; after a crash the
// next start resumes every unfinished job by its taskUUID, so nothing is submitted twice and no
// paid result is lost.

export interface RunnerOptions {
  client: RunwareClient;
  dataDir: string;
  library: Library;
  concurrency?: number;
  overallTimeoutMs?: number;
  firstPollMs?: number;
  pollCapMs?: number;
  now?: () => number;
  onEvent?: (event: JobEvent) => void;
  /**
   * The endpoint forgets its tasks when it stops (the built-in sandbox, which runs for free): an
   * unfinished job sent to an earlier start of it is sent again when resumed.
   */
  ephemeral?: boolean;
  /** The endpoint never bills (the built-in sandbox): a cancelled job says nothing about billing. */
  free?: boolean;
}

/** Work on a result's video the moment it is downloaded, before it is stored (see readDownloads). */
export type DownloadReader = (job: JobRecord, index: number, file: string) => Promise<unknown> | undefined;

export interface EnqueueInput {
  compiled: CompiledTask;
  graph: GraphDocument;
  graphFile?: string;
  graphName?: string;
  /** The editor document (tab) it was run from. */
  docId?: string;
  /** Run even when the same payload already has a result in the library. */
  force?: boolean;
  /** Keep its results in this folder, also when a later start (a resume, a retry) saves them. */
  libraryDir?: string;
}

interface Active {
  abort: AbortController;
  /** Holds one of the `concurrency` places for tasks at the service, until its results are in. */
  generating: boolean;
}

export class JobRunner {
  readonly runId = randomUUID();
  readonly #jobs = new Map<string, JobRecord>();
  readonly #origins = new Map<string, ReadonlyMap<string, Origin>>();
  readonly #queue: string[] = [];
  readonly #active = new Map<string, Active>();
  readonly #idle = new Set<() => void>();
  readonly #poller: Poller;
  /** Libraries of folders chosen by a run (`--out`), other than the runner's own. */
  readonly #chosenLibraries = new Map<string, Library>();
  /** Downloads and library work: outside the generation places, limited on their own. */
  readonly #downloads = new Slots(4);
  readonly #cache: UploadCache;
  readonly ledger: Ledger;
  readonly #now: () => number;
  /** Jobs being cancelled: their failing in-flight work is the cancel, not an error. */
  readonly #cancelling = new Set<string>();
  /** Jobs read back from the journal whose submission may have reached the server. */
  readonly #maybeSubmitted = new Set<string>();
  /** Those waiting in settled(), by job. */
  readonly #settledWaiters = new Map<string, Array<(job: JobRecord | undefined) => void>>();
  /** Set by close(): work cut short stays as it was in the journal, for the next start to resume. */
  #closing = false;
  readonly #readers = new Set<DownloadReader>();

  private constructor(
    readonly opts: RunnerOptions,
    readonly journal: Journal<JournalEntry>,
    entries: JournalEntry[],
  ) {
    this.#now = opts.now ?? Date.now;
    this.#cache = new UploadCache(join(opts.dataDir, 'uploads.json'), this.#now);
    this.ledger = new Ledger(join(opts.dataDir, 'ledger.jsonl'));
    this.#poller = new Poller(opts.client, {
      firstPollMs: opts.firstPollMs ?? 1000,
      growth: 1.5,
      capMs: opts.pollCapMs ?? 10_000,
      overallTimeoutMs: opts.overallTimeoutMs ?? 30 * 60_000,
      batch: 100,
      now: this.#now,
      onProgress: (id) => {
        const job = this.#jobs.get(id);
        if (job?.state === 'processing') this.#emit(job);
      },
    });
    for (const [id, job] of replay(entries)) this.#jobs.set(id, job);
    for (const job of this.#jobs.values()) if (job.state === 'submitting' || job.state === 'processing' || job.state === 'lost') this.#maybeSubmitted.add(job.id);
  }

  static async open(opts: RunnerOptions): Promise<JobRunner> {
    await mkdir(opts.dataDir, { recursive: true });
    const { journal, entries } = await Journal.open<JournalEntry>(join(opts.dataDir, 'journal.jsonl'));
    await opts.library.removeStalePartials();
    return new JobRunner(opts, journal, entries);
  }

  jobs(): JobRecord[] {
    return [...this.#jobs.values()];
  }

  get(id: string): JobRecord | undefined {
    return this.#jobs.get(id);
  }

  /** Queues every unfinished job of this endpoint (those lost track of or not yet saved included); returns them. */
  async resume(): Promise<JobRecord[]> {
    const here = this.opts.client.baseUrl;
    const pending = this.jobs().filter((j) => (j.endpoint === here || this.opts.ephemeral) && !FINISHED.has(j.state) && !this.#active.has(j.id) && !this.#queue.includes(j.id));
    for (const job of pending) {
      // its endpoint has restarted and forgotten it: it starts over, uploads included
      if (job.endpoint !== here) {
        this.#maybeSubmitted.delete(job.id);
        const { payload: _payload, error: _error, submittedAt: _submitted, finishedAt: _finished, ...rest } = job;
        const fresh: JobRecord = { ...rest, endpoint: here, state: 'queued', results: [] };
        await this.journal.append({ type: 'job', job: fresh });
        this.#jobs.set(job.id, fresh);
      }
      this.#queue.push(job.id);
    }
    this.#pump();
    return pending.map((j) => this.#jobs.get(j.id)!);
  }

  /** Takes up a job waiting for the artist (lost track of, or results not yet saved) again. */
  retry(id: string): JobRecord | undefined {
    const job = this.#jobs.get(id);
    if (!job || !WAITING.has(job.state) || job.endpoint !== this.opts.client.baseUrl || this.#active.has(id) || this.#queue.includes(id)) return job;
    this.#queue.push(id);
    this.#pump();
    return job;
  }

  async enqueue(input: EnqueueInput): Promise<JobRecord> {
    return (await this.enqueueAll([input]))[0]!;
  }

  /**
   * Queues the tasks of a run. All of them are on disk, in one journal write, before the first is
   * sent: a crash at any moment leaves every task of the run known, to resume or to see as done.
   */
  async enqueueAll(inputs: readonly EnqueueInput[]): Promise<JobRecord[]> {
    const planned: Array<{ input: EnqueueInput; job: JobRecord } | JobRecord> = [];
    const batch = randomUUID();
    for (const step of await this.#plan(inputs, batch)) {
      // an earlier input of this run: always a new job, so planned there as { input, job }
      if (typeof step.same === 'number') planned.push((planned[step.same] as { job: JobRecord }).job);
      else if (step.same) planned.push(this.retry(step.same.id) ?? step.same);
      else if (step.reused) planned.push({ input: step.input, job: step.reused });
      else planned.push({ input: step.input, job: this.#newJob(step.input, step.task, { state: 'queued', batch, ...(step.payloadHash && { payloadHash: step.payloadHash }) }) });
    }
    const recorded = planned.filter((p) => 'input' in p);
    if (recorded.length) await this.journal.append(...recorded.map(({ job }) => ({ type: 'job' as const, job })));
    for (const { input, job } of recorded) {
      this.#jobs.set(job.id, job);
      this.#origins.set(job.id, input.compiled.origins);
      this.#emit(job);
      if (job.state === 'queued') this.#queue.push(job.id);
    }
    this.#pump();
    return planned.map((p) => ('input' in p ? p.job : p));
  }

  /**
   * For each input, whether a run of these inputs would pay nothing for it: the same payload with
   * an explicit seed earlier in the run, already running, or with a stored result (unless forced).
   * The rule is enqueueAll's own; nothing is written or sent.
   */
  async wouldReuse(inputs: readonly EnqueueInput[]): Promise<boolean[]> {
    return (await this.#plan(inputs)).map((step) => step.same !== undefined || step.reused !== undefined);
  }

  /**
   * What enqueueAll does with each input: join the job with the same payload (`same`: a job, or
   * the index of an earlier input of this run), reuse a stored result, or send a new task.
   */
  async #plan(inputs: readonly EnqueueInput[], batch: string = randomUUID()) {
    const steps: Array<{ input: EnqueueInput; task: Record<string, unknown>; payloadHash?: string; same?: JobRecord | number; reused?: JobRecord }> = [];
    const byHash = new Map<string, number>();
    for (const input of inputs) {
      // exactly the compiled task, as the Payload tab shows it (docs/decisions/007-frame-images-and-cost.md)
      const task: Record<string, unknown> = { ...input.compiled.task };
      const payloadHash = task.seed !== undefined ? await fingerprint(task, graphBaseDir(input.graphFile)) : undefined;
      if (!payloadHash) {
        steps.push({ input, task });
        continue;
      }
      // the same payload running, or waiting to be saved, is that job: joined, never paid again
      const same = byHash.get(payloadHash) ?? this.jobs().find((j) => j.payloadHash === payloadHash && !FINISHED.has(j.state));
      const reused = same === undefined && !input.force ? await this.#reused(input, task, payloadHash, batch) : undefined;
      if (same === undefined && !reused) byHash.set(payloadHash, steps.length);
      steps.push({ input, task, payloadHash, ...(same !== undefined && { same }), ...(reused && { reused }) });
    }
    return steps;
  }

  /** A new job, not yet written anywhere. */
  #newJob(input: EnqueueInput, task: Record<string, unknown>, extra: Partial<JobRecord> & Pick<JobRecord, 'state'>): JobRecord {
    return {
      id: task.taskUUID as string,
      runId: this.runId,
      endpoint: this.opts.client.baseUrl,
      createdAt: this.#now(),
      ...(input.graphName !== undefined && { graphName: input.graphName }),
      ...(input.graphFile !== undefined && { graphFile: input.graphFile }),
      ...(input.docId !== undefined && { docId: input.docId }),
      ...(input.libraryDir !== undefined && { libraryDir: input.libraryDir }),
      graph: input.graph,
      nodeId: input.compiled.nodeId,
      ...(input.compiled.coordinates.length > 0 && { coordinates: input.compiled.coordinates.map((c) => ({ ...c })) }),
      task,
      results: [],
      ...extra,
    };
  }

  /** Writes a new job to the journal (before anything is sent) and starts tracking it. */
  async #record(input: EnqueueInput, task: Record<string, unknown>, extra: Partial<JobRecord> & Pick<JobRecord, 'state'>): Promise<JobRecord> {
    const job = this.#newJob(input, task, extra);
    await this.journal.append({ type: 'job', job });
    this.#jobs.set(job.id, job);
    this.#origins.set(job.id, input.compiled.origins);
    this.#emit(job);
    return job;
  }

  /**
   * Asks the endpoint what the task would cost (X-Runware-Dry-Run). An endpoint that ignores the
   * dry run runs the task for real; it is journaled before it is sent, so that result is followed
   * and kept like any other, never lost.
   */
  async estimate(input: EnqueueInput, signal?: AbortSignal): Promise<JobRecord> {
    const task: Record<string, unknown> = { ...input.compiled.task };
    const payload = await resolveFrameImages(task, { client: this.opts.client, cache: this.#cache, baseDir: graphBaseDir(input.graphFile), ...(signal && { signal }) });
    const job = await this.#record(input, task, { state: 'submitting', payload, dryRun: true });
    try {
      await this.#dryRun(job, signal);
    } catch (e) {
      await this.#update(job, { state: 'failed', finishedAt: this.#now(), error: this.#jobError(job, e) });
    }
    return job;
  }

  async #dryRun(job: JobRecord, signal?: AbortSignal) {
    const { envelope, status } = await this.opts.client.post([job.payload!], { headers: { 'x-runware-dry-run': '1' }, ...(signal && { signal }) });
    const error = envelope.errors.find((e) => e.taskUUID === undefined || e.taskUUID === job.id);
    if (error) throw fromErrorItem(error, status >= 400 ? status : undefined);
    const item = envelope.data.find((d) => d.taskUUID === job.id);
    if (item?.cost !== undefined && item.status === undefined) {
      return void (await this.#update(job, { state: 'estimated', estimate: { available: true, cost: item.cost }, finishedAt: this.#now() }));
    }
    // the endpoint ran it: from here on it is a real job, whose result a run of the same payload reuses
    const payloadHash = job.task.seed !== undefined ? await fingerprint(job.task, graphBaseDir(job.graphFile)) : undefined;
    await this.#update(job, { state: 'processing', submittedAt: this.#now(), estimate: { available: false }, ...(payloadHash && { payloadHash }) });
    this.#queue.push(job.id);
    this.#pump();
  }

  /** A payload identical to one that already succeeded reuses its stored results: a job, not yet recorded. */
  async #reused(input: EnqueueInput, task: Record<string, unknown>, payloadHash: string, batch: string): Promise<JobRecord | undefined> {
    const found = await this.opts.library.find(payloadHash);
    // only whole files: a video cut short or emptied since (a full disk, a copy stopped) is not a result
    const whole = async (e: IndexEntry) => {
      const s = await stat(e.file).catch(() => undefined);
      return s?.isFile() && (e.bytes === undefined ? s.size > 0 : s.size === e.bytes) ? e : undefined;
    };
    const present = (await Promise.all(found.map(whole))).filter((e) => e !== undefined);
    if (!present.length) return undefined;
    const first = present[0]!;
    const results: ResultRecord[] = present
      .filter((e) => e.jobId === first.jobId)
      .map((e, index) => ({ index, videoUUID: e.videoUUID, seed: e.seed, file: e.file, ...(e.cost !== undefined && { cost: e.cost }) }));
    return this.#newJob(input, task, { state: 'done', batch, payloadHash, results, reusedFrom: first.jobId, finishedAt: this.#now() });
  }

  /**
   * Lets `read` see each result's video as soon as it is downloaded, while it is being stored (its
   * graph embedded): a chain takes the shot's last frame then, not after. The downloaded file stays
   * until every reader is done with it, and the result counts as saved only once it is stored,
   * whatever a reader made of it. Returns what stops it.
   */
  readDownloads(read: DownloadReader): () => void {
    this.#readers.add(read);
    return () => this.#readers.delete(read);
  }

  /** Every reader given the downloaded file; settles when all are done with it, never rejects. */
  #read(job: JobRecord, index: number, file: string): Promise<unknown> {
    return Promise.allSettled([...this.#readers].map(async (read) => read(job, index, file)));
  }

  /** Stops following a job. The service may still run (and bill) it. */
  async cancel(id: string): Promise<void> {
    const job = this.#jobs.get(id);
    if (!job || FINISHED.has(job.state)) return;
    const wasSubmitted = job.state !== 'queued' && job.state !== 'uploading';
    this.#cancelling.add(id);
    const i = this.#queue.indexOf(id);
    if (i >= 0) this.#queue.splice(i, 1);
    this.#active.get(id)?.abort.abort(new Error('cancelled'));
    this.#poller.stop(id, new Error('cancelled'));
    await this.#update(job, {
      state: 'cancelled',
      finishedAt: this.#now(),
      error: { code: 'cancelled', message: this.opts.free ? 'cancelled — the sandbox bills nothing' : wasSubmitted ? 'cancelled — may still be billed' : 'cancelled before submission — not billed' },
    });
  }

  /**
   * Resolves with the job once nothing more happens to it now: over, waiting for the artist, or
   * stopped by close(). Unlike idle(), other jobs are not waited for.
   */
  settled(id: string): Promise<JobRecord | undefined> {
    const job = this.#jobs.get(id);
    if (!job || FINISHED.has(job.state) || WAITING.has(job.state) || (!this.#active.has(id) && !this.#queue.includes(id))) return Promise.resolve(job);
    return new Promise((resolve) => this.#settledWaiters.set(id, [...(this.#settledWaiters.get(id) ?? []), resolve]));
  }

  #wake(id: string) {
    const waiters = this.#settledWaiters.get(id);
    if (!waiters) return;
    this.#settledWaiters.delete(id);
    for (const w of waiters) w(this.#jobs.get(id));
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.#queue.length && !this.#active.size) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** Stops following jobs without deciding their fate: unfinished ones resume at the next start. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const [id, a] of this.#active) {
      a.abort.abort(new Error('closing'));
      this.#poller.stop(id, new Error('closing'));
    }
    const queued = this.#queue.splice(0);
    await this.idle();
    for (const id of queued) this.#wake(id);
    this.#poller.close();
    await this.journal.close();
  }

  #pump() {
    const limit = this.opts.concurrency ?? 2;
    let generating = [...this.#active.values()].filter((a) => a.generating).length;
    while (generating < limit && this.#queue.length) {
      const id = this.#queue.shift()!;
      const job = this.#jobs.get(id);
      if (!job || FINISHED.has(job.state)) continue;
      const active: Active = { abort: new AbortController(), generating: true };
      this.#active.set(id, active);
      generating++;
      const release = () => {
        if (!active.generating) return;
        active.generating = false;
        this.#pump();
      };
      void this.#run(job, active.abort.signal, release)
        .catch((e: unknown) => this.#unrecordable(job, e))
        .finally(() => {
          this.#active.delete(id);
          this.#wake(id);
          release();
          if (!this.#queue.length && !this.#active.size) {
            for (const done of this.#idle) done();
            this.#idle.clear();
          }
        });
    }
  }

  async #run(job: JobRecord, signal: AbortSignal, releaseGeneration: () => void): Promise<void> {
    try {
      if (job.state === 'queued' || job.state === 'uploading') await this.#prepare(job, signal);
      if (job.state === 'submitting') await this.#submit(job, signal);
      if (job.state === 'processing' || job.state === 'lost') await this.#follow(job);
      // the service is done with this task: its place goes to the next one while this downloads
      releaseGeneration();
      if (job.state === 'downloading' || job.state === 'unsaved') {
        await this.#downloads.acquire();
        try {
          await this.#download(job, signal);
        } finally {
          this.#downloads.release();
        }
      }
    } catch (e) {
      if (this.#cancelling.has(job.id) || this.#closing) return;
      if (e instanceof LostTrackError) return void (await this.#update(job, { state: 'lost', error: { code: 'lostTrack', message: e.message } }));
      // paid results stay with the job until they are on disk or gone at the service
      const unsaved = job.state === 'downloading' || job.state === 'unsaved' ? asSaveError(e, (await this.#libraryOf(job)).root) : undefined;
      if (unsaved) return void (await this.#update(job, { state: 'unsaved', error: { code: 'notSaved', message: unsaved.message } }));
      await this.#update(job, { state: 'failed', finishedAt: this.#now(), error: this.#jobError(job, e) });
    }
  }

  /**
   * The journal could not be written (a full disk, say). Nothing is sent without it, so the job
   * stops here; what the journal holds stays the truth, and the next start resumes from it.
   */
  #unrecordable(job: JobRecord, e: unknown) {
    const said = withContext(e, 'write the job journal', this.journal.path);
    job.error = { code: 'journalUnwritable', message: `${(said as Error)?.message ?? String(said)}. Nothing more is sent for this job now; once that is fixed it resumes at the next start (or wan-graph jobs --resume).` };
    this.#emit(job);
  }

  /** Uploads local frame images and writes the exact payload to the journal before submission. */
  async #prepare(job: JobRecord, signal: AbortSignal) {
    await this.#update(job, { state: 'uploading' });
    const payload = await resolveFrameImages(job.task, { client: this.opts.client, cache: this.#cache, baseDir: graphBaseDir(job.graphFile), signal });
    await this.#update(job, { state: 'submitting', payload });
  }

  async #submit(job: JobRecord, signal: AbortSignal) {
    const payload = job.payload!;
    if (this.#maybeSubmitted.has(job.id)) {
      // this job was being submitted when the last run stopped: ask before sending it again
      const known = await this.opts.client.lookup(job.id, { signal });
      this.#maybeSubmitted.delete(job.id);
      if (known) return void (await this.#update(job, { state: 'processing', submittedAt: job.submittedAt ?? this.#now() }));
      // an interrupted estimate the endpoint never ran is over; it must not become a real run
      if (job.dryRun) return void (await this.#update(job, { state: 'estimated', estimate: { available: false }, finishedAt: this.#now() }));
    }
    await this.opts.client.submit(payload as { taskUUID: string }, { signal });
    await this.#update(job, { state: 'processing', submittedAt: this.#now() });
  }

  async #follow(job: JobRecord) {
    if (job.state === 'lost') await this.#update(job, { state: 'processing' });
    const expected = typeof job.payload?.numberResults === 'number' ? job.payload.numberResults : 1;
    const items = await this.#poller.wait(job.id, expected, job.submittedAt ?? this.#now());
    const results = items.map((d, index) => this.#result(job, d, index));
    // the spend is known the moment the service reports it, whatever happens to the videos
    for (const r of results) if (!r.error) await this.ledger.record({ at: this.#now(), runId: job.runId, jobId: job.id, videoUUID: r.videoUUID, graph: job.graphFile ?? job.graphName ?? 'untitled', cost: r.cost ?? null });
    const failed = results.filter((r) => r.error);
    if (failed.length === results.length) {
      return void (await this.#update(job, { state: 'failed', results, finishedAt: this.#now(), error: failed[0]!.error! }));
    }
    await this.#update(job, { state: 'downloading', results, finishedAt: this.#now() });
  }

  #result(job: JobRecord, d: DataItem, index: number): ResultRecord {
    if (d.status !== 'success' || !d.videoURL) {
      const err = new RunwareError({ code: d.error?.code ?? 'generationFailed', message: d.error?.message ?? 'the service reported an error for this result', retryable: false });
      return { index, videoUUID: d.videoUUID ?? '', seed: d.seed?.toString() ?? '', error: this.#jobError(job, err) };
    }
    return { index, videoUUID: d.videoUUID ?? `${job.id}-${index}`, seed: d.seed?.toString() ?? '', videoURL: d.videoURL, ...(d.cost !== undefined && { cost: d.cost }) };
  }

  /** The library a job's results go to: the folder its run chose, or the runner's. */
  async #libraryOf(job: JobRecord): Promise<Library> {
    const dir = job.libraryDir;
    if (dir === undefined || dir === this.opts.library.root) return this.opts.library;
    let library = this.#chosenLibraries.get(dir);
    if (!library) {
      library = new Library(dir, this.opts.library.ffmpeg);
      this.#chosenLibraries.set(dir, library);
      await library.removeStalePartials();
    }
    return library;
  }

  async #download(job: JobRecord, signal: AbortSignal) {
    if (job.state === 'unsaved') await this.#update(job, { state: 'downloading' });
    for (const result of job.results) {
      if (result.file || result.error || !result.videoURL) continue;
      const library = await this.#libraryOf(job);
      const partial = library.partialFor(job, result.index);
      let patch: Partial<ResultRecord>;
      let reading: Promise<unknown> = Promise.resolve();
      try {
        await mkdir(dirname(partial), { recursive: true });
        await downloadFile(result.videoURL, partial, { signal });
        reading = this.#read(job, result.index, partial);
        patch = { file: await library.store(job, result, partial, this.#now(), reading) };
      } catch (e) {
        await reading;
        await rm(partial, { force: true }).catch(() => undefined);
        // gone at the service (its URL expired): nothing more can be done for this result
        if (!(e instanceof DownloadError && (e.status === 404 || e.status === 410))) throw asSaveError(e, library.root) ?? e;
        patch = { error: { code: 'expired', message: `paid, but never saved: ${e.message}` } };
      }
      const results = job.results.map((r) => (r.index === result.index ? { ...r, ...patch } : r));
      await this.#update(job, { results });
    }
    const saved = job.results.some((r) => r.file);
    await this.#update(job, {
      state: saved ? 'done' : 'failed',
      finishedAt: job.finishedAt ?? this.#now(),
      ...(!saved && { error: job.results.find((r) => r.error)?.error ?? { code: 'failed', message: 'no result could be saved' } }),
    });
  }

  /** A failure as the artist should see it, pinned to the node and field the service named. */
  #jobError(job: JobRecord, e: unknown): JobError {
    if (e instanceof FrameImageError) return { code: 'invalidFrameImage', message: e.message, nodeId: job.nodeId, field: 'frames' };
    if (e instanceof RunwareError) {
      const param = Array.isArray(e.parameter) ? e.parameter[0] : (e.parameter as string | undefined);
      const origins = this.#origins.get(job.id);
      const origin = param && origins ? originOf(param, origins) : undefined;
      return {
        code: e.code,
        message: e.message,
        ...(e.parameter !== undefined && { parameter: e.parameter }),
        ...(origin ? { nodeId: origin.nodeId, field: origin.field } : param ? { nodeId: job.nodeId, field: param } : {}),
      };
    }
    return { code: 'failed', message: (e as Error)?.message ?? String(e) };
  }

  async #update(job: JobRecord, patch: Partial<JobRecord>) {
    await this.journal.append({ type: 'update', id: job.id, at: this.#now(), patch });
    Object.assign(job, patch);
    this.#emit(job);
  }

  #emit(job: JobRecord) {
    if (FINISHED.has(job.state) || WAITING.has(job.state)) this.#wake(job.id);
    this.opts.onEvent?.({ id: job.id, state: job.state, job, ...(job.state === 'processing' && job.submittedAt && { elapsedMs: this.#now() - job.submittedAt }) });
  }
}

/** The jobs a journal's entries describe, each as its last entry left it. */
export function replay(entries: readonly JournalEntry[]): Map<string, JobRecord> {
  const jobs = new Map<string, JobRecord>();
  for (const e of entries) {
    if (e.type === 'job') jobs.set(e.job.id, e.job);
    else {
      const job = jobs.get(e.id);
      if (job) Object.assign(job, e.patch);
    }
  }
  return jobs;
}

/** What a payload means, taskUUID aside; local frame images count by their contents. */
async function fingerprint(task: Record<string, unknown>, baseDir: string): Promise<string> {
  const { taskUUID: _id, ...rest } = task;
  // asking for the cost does not change the video; counted as asked, as every task once was, so
  // results kept before the runner stopped adding includeCost are still found
  const canonical = await mapFrameImages({ ...rest, includeCost: true }, async (ref, image) => {
    if (ref.kind !== 'file') return image;
    const bytes = await readFile(localPath(ref.path, baseDir)).catch(() => undefined);
    return bytes ? createHash('sha256').update(bytes).digest('hex') : `missing:${ref.path}`;
  });
  return createHash('sha256').update(stringifyJson(canonical, 0)).digest('hex');
}
