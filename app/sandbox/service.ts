import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { shareableText } from '../core/support/shareable';
import { SEED_MAX } from '../core/params';
import { checkVideoTask } from '../core/task-check';
import { modelSpec } from '../core/wan-spec';
import { stringifyJson } from '../core/support/json';
import { ImageSniffError, sniffImage } from '../core/support/image-kind';
import { decodeInlineImage, ImageDataError } from '../core/image-ref';
import type { AnswerBody } from '../runware/protocol';
import { fetchLoopback, sendLoopback } from './outbound';
import { renderSandboxVideo, type SandboxFrame, type SandboxVideoFormat } from './render-video';

// What the sandbox does with tasks: it validates videoInference exactly as the specifications say
// (the same rules the compiler uses), acknowledges at once, reports `processing` for the simulated
// generation time, then renders real videos and reports `success` with their URLs. Transport
// (HTTP, WebSocket, faults) is server.ts's business.

export interface ServiceOptions {
  ffmpegPath: string;
  storageDir: string;
  /** Base URL results are served under, e.g. http://127.0.0.1:PORT. */
  publicUrl: () => string;
  /** Simulated generation time of a task, before its videos are rendered. */
  generationMs: number;
  renderConcurrency: number;
  /** False: videos are rendered once per shape (size, fps, length, format) and shared. */
  personalize: boolean;
  /** Accepted keys; when absent any key, or none, is accepted. */
  apiKeys?: ReadonlySet<string>;
  now: () => number;
  random: () => number;
}

/** A task as the client sent it: checked before anything trusts its fields. */
type Task = Record<string, unknown>;
type DataItem = NonNullable<AnswerBody['data']>[number];
type ErrorItem = NonNullable<AnswerBody['errors']>[number];
export interface ServiceAnswer {
  status: number;
  body: AnswerBody;
}

interface Result {
  videoUUID: string;
  seed: bigint;
  status: 'processing' | 'success' | 'error';
  file?: string;
  url?: string;
  expiresAt?: number;
  cost?: number;
  error?: { code: string; message: string };
  downloads: number;
}

interface Job {
  taskUUID: string;
  submittedAt: number;
  task: Task;
  format: SandboxVideoFormat;
  width: number;
  height: number;
  results: Result[];
}

export interface ServedMedia {
  file: string;
  contentType: string;
  expired: boolean;
  /** How many times it was asked for, for the 422 fault. */
  requests: number;
}

const MIME: Record<SandboxVideoFormat, string> = { MP4: 'video/mp4', WEBM: 'video/webm', MOV: 'video/quicktime' };
const RESOLUTIONS: Record<string, [number, number]> = { '480p': [832, 480], '580p': [1024, 576], '720p': [1280, 720] };
const DEFAULT_TTL_S = 3600;
const DOCS = 'https://runware.ai/docs/en/video-inference/api-reference';

const errorItem = (task: Task, code: string, message: string, extra: Partial<ErrorItem> = {}): ErrorItem => ({
  code,
  message,
  ...(typeof task.taskUUID === 'string' && { taskUUID: task.taskUUID }),
  ...(typeof task.taskType === 'string' && { taskType: task.taskType }),
  ...extra,
});

export class SandboxService {
  readonly #jobs = new Map<string, Job>();
  readonly #videos = new Map<string, { job: Job; result: Result }>();
  readonly #images = new Map<string, Uint8Array>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #renders = new Map<string, Promise<string>>();
  readonly #abort = new AbortController();
  readonly #queue: Array<() => Promise<void>> = [];
  #rendering = 0;
  /** Submissions per taskUUID: a count above one is a task the client sent twice. */
  readonly submissions = new Map<string, number>();
  /** Images received by imageUpload, counting repeats. */
  uploads = 0;

  constructor(readonly opts: ServiceOptions) {}

  async start(): Promise<void> {
    await mkdir(this.opts.storageDir, { recursive: true });
  }

  authorized(apiKey: string | undefined): boolean {
    return !this.opts.apiKeys || (apiKey !== undefined && this.opts.apiKeys.has(apiKey));
  }

  /** `dryRun`: validate and price videoInference tasks without running them (X-Runware-Dry-Run). */
  async handle(tasks: unknown, apiKey: string | undefined, opts: { dryRun?: boolean } = {}): Promise<ServiceAnswer> {
    if (!this.authorized(apiKey)) return { status: 401, body: { errors: [{ code: 'invalidApiKey', message: 'Invalid API key. Get one at https://my.runware.ai' }] } };
    if (!Array.isArray(tasks)) return { status: 400, body: { errors: [{ code: 'invalidRequest', message: 'the request body must be a JSON array of tasks' }] } };
    const data: DataItem[] = [];
    const errors: ErrorItem[] = [];
    for (const task of tasks) {
      if (typeof task !== 'object' || task === null || Array.isArray(task)) {
        errors.push({ code: 'invalidTask', message: 'each task must be a JSON object' });
        continue;
      }
      const t = task as Task;
      switch (t.taskType) {
        case 'ping':
          data.push({ taskType: 'ping', pong: true });
          break;
        case 'videoInference':
          this.#submit(t, data, errors, opts.dryRun === true);
          break;
        case 'getResponse':
          this.#getResponse(t, data, errors);
          break;
        case 'imageUpload':
          await this.#imageUpload(t, data, errors);
          break;
        default:
          errors.push(errorItem(t, 'unsupportedTaskType', `the sandbox does not run taskType ${JSON.stringify(t.taskType)}`, { parameter: 'taskType' }));
      }
    }
    const status = errors.length && !data.length ? (errors.every((e) => e.code === 'conflictTaskUUID') ? 409 : 400) : 200;
    return { status, body: { ...(data.length && { data }), ...(errors.length && { errors }) } };
  }

  #submit(task: Task, data: DataItem[], errors: ErrorItem[], dryRun: boolean) {
    const issues = checkVideoTask(task).filter((i) => i.severity === 'error');
    if (issues.length) {
      for (const i of issues)
        errors.push(errorItem(task, i.code, i.message, { parameter: i.parameter, documentation: DOCS, ...(i.allowedValues && { allowedValues: [...i.allowedValues] }) }));
      return;
    }
    const taskUUID = task.taskUUID as string;
    if (dryRun) {
      const [width, height] = this.#size(task);
      const n = typeof task.numberResults === 'number' ? task.numberResults : 1;
      return void data.push({ taskType: 'videoInference', taskUUID, cost: Math.round(this.#cost(task, width, height) * n * 1e4) / 1e4 });
    }
    const known = this.#jobs.get(taskUUID);
    // the same task sent again (a retry) is the same task; another task under its taskUUID is refused
    if (known && !isDeepStrictEqual(known.task, task))
      return void errors.push(
        errorItem(task, 'conflictTaskUUID', `taskUUID ${taskUUID} was already submitted with a different task; a new task needs a new taskUUID`, { parameter: 'taskUUID' }),
      );
    this.submissions.set(taskUUID, (this.submissions.get(taskUUID) ?? 0) + 1);
    if (!known) this.#createJob(task);
    data.push({ taskType: 'videoInference', taskUUID });
  }

  #createJob(task: Task) {
    const [width, height] = this.#size(task);
    const n = typeof task.numberResults === 'number' ? task.numberResults : 1;
    const base = task.seed !== undefined ? BigInt(task.seed as number | bigint) : BigInt(Math.floor(this.opts.random() * 2 ** 32));
    const job: Job = {
      taskUUID: task.taskUUID as string,
      submittedAt: this.opts.now(),
      task,
      format: (task.outputFormat as SandboxVideoFormat | undefined) ?? 'MP4',
      width,
      height,
      results: Array.from({ length: n }, (_, k) => ({ videoUUID: randomUUID(), seed: (base + BigInt(k)) % (SEED_MAX + 1n), status: 'processing', downloads: 0 })),
    };
    this.#jobs.set(job.taskUUID, job);
    for (const r of job.results) this.#videos.set(r.videoUUID, { job, result: r });
    this.#later(this.opts.generationMs, () => job.results.forEach((r, k) => this.#enqueue(() => this.#finish(job, r, k))));
  }

  #size(task: Task): [number, number] {
    if (typeof task.width === 'number' && typeof task.height === 'number') return [task.width, task.height];
    return RESOLUTIONS[task.resolution as string] ?? RESOLUTIONS['480p']!;
  }

  #later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  #enqueue(work: () => Promise<void>) {
    this.#queue.push(work);
    this.#pump();
  }

  #pump() {
    while (this.#rendering < this.opts.renderConcurrency && this.#queue.length) {
      const work = this.#queue.shift()!;
      this.#rendering++;
      void work().finally(() => {
        this.#rendering--;
        this.#pump();
      });
    }
  }

  async #finish(job: Job, result: Result, index: number) {
    if (this.#abort.signal.aborted) return;
    try {
      result.file = await this.#render(job, result, index);
      const ext = job.format === 'WEBM' ? 'webm' : job.format === 'MOV' ? 'mov' : 'mp4';
      result.url = `${this.opts.publicUrl()}/media/${result.videoUUID}.${ext}`;
      result.expiresAt = this.opts.now() + ((job.task.ttl as number | undefined) ?? DEFAULT_TTL_S) * 1000;
      if (job.task.includeCost === true) result.cost = this.#cost(job.task, job.width, job.height);
      result.status = 'success';
    } catch (e) {
      if (this.#abort.signal.aborted) return;
      result.status = 'error';
      result.error = { code: 'generationFailed', message: `the sandbox could not render this result: ${(e as Error).message}` };
    }
    // best effort, as the live service's: a delivery that fails is given up, never thrown
    void this.#deliver(job, result).catch(() => undefined);
  }

  async #render(job: Job, result: Result, index: number): Promise<string> {
    const t = job.task;
    const fps = (t.fps as number | undefined) ?? 16;
    const duration = (t.duration as number | undefined) ?? 5;
    const shape = `${job.width}x${job.height}-${fps}fps-${duration}s-${t.outputQuality ?? 95}q.${job.format}`;
    const key = this.opts.personalize ? result.videoUUID : shape;
    let pending = this.#renders.get(key);
    if (!pending) {
      const file = join(this.opts.storageDir, `${key}.${job.format.toLowerCase()}`);
      pending = (async () => {
        await renderSandboxVideo({
          ffmpegPath: this.opts.ffmpegPath,
          outFile: file,
          width: job.width,
          height: job.height,
          fps,
          duration,
          format: job.format,
          ...(typeof t.outputQuality === 'number' && { quality: t.outputQuality }),
          prompt: this.opts.personalize ? (t.positivePrompt as string) : 'sandbox video',
          seed: this.opts.personalize ? result.seed.toString() : '-',
          label: this.opts.personalize ? `${modelSpec(t.model as string).name} · result ${index + 1}/${job.results.length}` : shape,
          frames: this.opts.personalize ? await this.#frames(t) : [],
          signal: this.#abort.signal,
        });
        return file;
      })();
      this.#renders.set(key, pending);
      pending.catch(() => this.#renders.delete(key));
    }
    return pending;
  }

  /** Frame images as bytes, first to last; what cannot be had becomes a labelled placeholder. */
  async #frames(task: Task): Promise<SandboxFrame[]> {
    const items = ((task.inputs as Task | undefined)?.frameImages as unknown[] | undefined) ?? [];
    const entries = items.map((it) => (typeof it === 'string' ? { image: it } : (it as { image: string; frame?: string | number })));
    const rank = (f: { frame?: string | number }) => (f.frame === 'last' || f.frame === -1 ? 1 : 0);
    entries.sort((a, b) => rank(a) - rank(b));
    return Promise.all(
      entries.map(async ({ image }) => {
        const bytes = await this.#imageBytes(image);
        if (bytes) {
          try {
            sniffImage(bytes);
            return { bytes };
          } catch {
            /* falls through to a placeholder */
          }
        }
        // drawn into a video that may be shared: no signatures, tokens or passwords
        const shown = shareableText(image);
        return { placeholder: shown.length > 80 ? shown.slice(0, 77) + '…' : shown };
      }),
    );
  }

  async #imageBytes(image: string): Promise<Uint8Array | undefined> {
    const uploaded = this.#images.get(image);
    if (uploaded) return uploaded;
    if (/^https?:\/\//i.test(image)) return fetchLoopback(image);
    try {
      return decodeInlineImage(image);
    } catch {
      return undefined; // not inline data (or not valid): a placeholder stands in
    }
  }

  #cost(t: Task, width: number, height: number): number {
    const frames = ((t.duration as number | undefined) ?? 5) * ((t.fps as number | undefined) ?? 16);
    const steps = (t.steps as number | undefined) ?? 20;
    const turbo = t.model === 'runware:200@8' ? 0.35 : 1;
    return Math.round(0.35 * ((width * height) / (1024 * 576)) * (frames / 144) * (steps / 30) * turbo * 1e4) / 1e4;
  }

  /** Webhook POST and upload PUT, each retried a few times until it gets a 2xx. */
  async #deliver(job: Job, result: Result) {
    const hook = job.task.webhookURL as string | undefined;
    const upload = job.task.uploadEndpoint as string | undefined;
    const attempt = async (send: () => Promise<number>) => {
      for (let k = 0; k < 5 && !this.#abort.signal.aborted; k++) {
        const status = await send();
        if (status >= 200 && status < 300) return;
        await new Promise((r) => setTimeout(r, 200 * 2 ** k));
      }
    };
    if (hook) await attempt(() => sendLoopback(hook, 'POST', stringifyJson(this.#item(job, result), 0), 'application/json'));
    // closed meanwhile: its videos are gone with its folder
    if (upload && result.file && !this.#abort.signal.aborted) {
      const bytes = await readFile(result.file);
      await attempt(() => sendLoopback(upload, 'PUT', bytes, MIME[job.format]));
    }
  }

  #item(job: Job, r: Result): DataItem {
    const base = { taskType: 'videoInference', taskUUID: job.taskUUID, status: r.status };
    if (r.status === 'processing') {
      // progress as the live service sometimes reports it: the share of generation time gone by
      const share = this.opts.generationMs > 0 ? (this.opts.now() - job.submittedAt) / this.opts.generationMs : 1;
      return { ...base, progress: Math.max(1, Math.min(99, Math.floor(share * 100))) };
    }
    if (r.status === 'error') return { ...base, error: r.error };
    return { ...base, videoUUID: r.videoUUID, videoURL: r.url, seed: r.seed, ...(r.cost !== undefined && { cost: r.cost }) };
  }

  #getResponse(task: Task, data: DataItem[], errors: ErrorItem[]) {
    const job = typeof task.taskUUID === 'string' ? this.#jobs.get(task.taskUUID) : undefined;
    if (!job) {
      errors.push(errorItem(task, 'taskNotFound', `no task with taskUUID ${JSON.stringify(task.taskUUID)} is known`, { parameter: 'taskUUID' }));
      return;
    }
    for (const r of job.results) {
      if (r.status === 'error') errors.push({ ...errorItem(task, r.error!.code, r.error!.message), taskType: 'videoInference', status: 'error' });
      data.push(this.#item(job, r));
    }
  }

  async #imageUpload(task: Task, data: DataItem[], errors: ErrorItem[]) {
    const { taskUUID, image } = task;
    if (typeof taskUUID !== 'string') return void errors.push(errorItem(task, 'invalidTaskUUID', 'taskUUID must be a string', { parameter: 'taskUUID' }));
    if (typeof image !== 'string' || image === '') return void errors.push(errorItem(task, 'invalidImage', 'image must be a data URI, base64 or a URL', { parameter: 'image' }));
    const isUrl = /^https?:\/\//i.test(image);
    let bytes = this.#images.get(image) ?? (isUrl ? await fetchLoopback(image) : undefined);
    if (!bytes && !isUrl) {
      try {
        bytes = decodeInlineImage(image);
      } catch (e) {
        if (!(e instanceof ImageDataError)) throw e;
        return void errors.push(errorItem(task, 'invalidImage', `the image could not be read: ${e.message}`, { parameter: 'image' }));
      }
    }
    if (!bytes) return void errors.push(errorItem(task, 'invalidImage', 'the image could not be read (the sandbox fetches only loopback URLs)', { parameter: 'image' }));
    try {
      sniffImage(bytes);
    } catch (e) {
      const why = e instanceof ImageSniffError ? e.message : 'not an image';
      return void errors.push(errorItem(task, 'invalidImage', `not a supported image: ${why}`, { parameter: 'image' }));
    }
    this.uploads++;
    const imageUUID = this.#images.has(image) ? image : randomUUID();
    this.#images.set(imageUUID, bytes);
    data.push({ taskType: 'imageUpload', taskUUID, imageUUID, imageURL: `${this.opts.publicUrl()}/media/images/${imageUUID}` });
  }

  /** A result video by its file name (`<videoUUID>.mp4`), for the media route. */
  video(name: string): ServedMedia | undefined {
    const entry = this.#videos.get(name.replace(/\.(mp4|webm|mov)$/, ''));
    const file = entry?.result.file;
    if (!entry || !file) return undefined;
    const { job, result } = entry;
    return { file, contentType: MIME[job.format], expired: this.opts.now() > (result.expiresAt ?? 0), requests: ++result.downloads };
  }

  image(imageUUID: string): Uint8Array | undefined {
    return this.#images.get(imageUUID);
  }

  async close(): Promise<void> {
    this.#abort.abort(new Error('the sandbox is shutting down'));
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#queue.length = 0;
    await Promise.allSettled([...this.#renders.values()]);
  }

  async removeStorage(): Promise<void> {
    await rm(this.opts.storageDir, { recursive: true, force: true });
  }
}
