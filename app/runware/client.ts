import { Agent, request, type Dispatcher } from 'undici';
import { parseJson, stringifyJson } from '../core/support/json';
import { fromErrorItem, networkError, RunwareError } from './errors';
import { errorAsDataItem, readEnvelope, type DataItem, type Envelope } from './protocol';
import { keyScrubber, scrubStrings } from './scrub';

// The Runware REST client: array envelope, Bearer auth, a configurable base URL, retries with
// exponential backoff and jitter for what may succeed later, never for what cannot. A retry
// re-sends the same bytes, so the same taskUUIDs: a new UUID could bill twice. Every string of
// every answer has the key cut out right where it is parsed, before anything stores, throws or
// shows it (a service, a proxy or a misconfigured echo can send it back in any field).

export interface ClientOptions {
  baseUrl: string;
  apiKey?: string;
  /** Per request: time to the response headers and between body chunks. */
  timeoutMs?: number;
  /** Further attempts after the first, for retryable failures. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export class RunwareClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #scrub: (text: string) => string;
  readonly #opts: Required<Omit<ClientOptions, 'apiKey' | 'dispatcher' | 'baseUrl'>>;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  /** HTTP requests made, for the benchmark's requests-per-job figure. */
  requests = 0;

  constructor(opts: ClientOptions) {
    this.baseUrl = opts.baseUrl;
    this.#apiKey = opts.apiKey;
    this.#scrub = keyScrubber([opts.apiKey]);
    this.#opts = {
      timeoutMs: opts.timeoutMs ?? 60_000,
      retries: opts.retries ?? 6,
      backoffBaseMs: opts.backoffBaseMs ?? 500,
      backoffMaxMs: opts.backoffMaxMs ?? 15_000,
      random: opts.random ?? Math.random,
      sleep: opts.sleep ?? abortableSleep,
    };
    this.#ownsDispatcher = !opts.dispatcher;
    this.#dispatcher = opts.dispatcher ?? new Agent({ connections: 32, keepAliveTimeout: 10_000, pipelining: 1 });
  }

  /** Exponential backoff with jitter: half the delay is fixed, half random, so clients spread out. */
  backoff(attempt: number, retryAfterMs?: number): number {
    const exp = Math.min(this.#opts.backoffMaxMs, this.#opts.backoffBaseMs * 2 ** attempt);
    const jittered = exp / 2 + (exp / 2) * this.#opts.random();
    return Math.max(jittered, Math.min(retryAfterMs ?? 0, this.#opts.backoffMaxMs * 4));
  }

  /**
   * One POST of a task array. Resolves with the envelope for any status that carries one;
   * a non-2xx status without task-level errors becomes a RunwareError for the whole request.
   */
  async post(tasks: readonly object[], opts: CallOptions = {}): Promise<{ status: number; envelope: Envelope }> {
    this.requests++;
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.baseUrl, {
        method: 'POST',
        dispatcher: this.#dispatcher,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {}),
          ...opts.headers,
        },
        body: stringifyJson(tasks, 0),
        headersTimeout: this.#opts.timeoutMs,
        bodyTimeout: this.#opts.timeoutMs,
        ...(opts.signal && { signal: opts.signal }),
      });
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      throw networkError(this.redact(`could not reach ${this.describeEndpoint()}: ${(e as Error).message}`));
    }
    let text: string;
    try {
      const bytes = Buffer.from(await res.body.arrayBuffer());
      if (bytes.byteLength > MAX_RESPONSE_BYTES) throw new Error('the response is too large');
      text = bytes.toString('utf8');
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      throw networkError(this.redact(`the connection broke while reading the answer: ${(e as Error).message}`));
    }
    const retryAfter = Number(res.headers['retry-after']);
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
    let body: unknown;
    try {
      body = text.trim() === '' ? {} : scrubStrings(parseJson(text), this.#scrub);
    } catch {
      if (res.statusCode >= 200 && res.statusCode < 300) throw new RunwareError({ code: 'invalidResponse', message: 'the service answered with invalid JSON', status: res.statusCode, retryable: true });
      body = {};
    }
    const envelope = readEnvelope(body);
    // A 400 whose every error names one of the tasks is an answer per task (a validation error,
    // an unknown taskUUID), not a failed request: the caller reads it task by task.
    const sent = new Set(tasks.map((t) => (t as { taskUUID?: unknown }).taskUUID));
    if (res.statusCode === 400 && envelope.errors.length && envelope.errors.every((e) => e.taskUUID !== undefined && sent.has(e.taskUUID))) return { status: 400, envelope };
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const first = envelope.errors[0] ?? {};
      throw fromErrorItem(first, res.statusCode, retryAfterMs);
    }
    return { status: res.statusCode, envelope };
  }

  /** post() with retries, for requests that are safe to repeat (getResponse, uploads). */
  async call(tasks: readonly object[], opts: CallOptions = {}): Promise<Envelope> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.post(tasks, opts)).envelope;
      } catch (e) {
        if (!(e instanceof RunwareError) || !e.retryable || attempt >= this.#opts.retries) throw e;
        await this.#opts.sleep(this.backoff(attempt, e.retryAfterMs), opts.signal);
      }
    }
  }

  /** Polls many tasks in one request. */
  getResponses(taskUUIDs: readonly string[], opts: CallOptions = {}): Promise<Envelope> {
    return this.call(taskUUIDs.map((taskUUID) => ({ taskType: 'getResponse', taskUUID })), opts);
  }

  /**
   * Submits one task. When a failed attempt may still have reached the server, the server is
   * asked about that taskUUID before anything is sent again, so a task is never submitted twice.
   */
  async submit(task: { taskUUID: string }, opts: CallOptions = {}): Promise<{ items: DataItem[]; recovered: boolean }> {
    for (let attempt = 0; ; attempt++) {
      let failure: RunwareError;
      try {
        const { envelope, status } = await this.post([task], opts);
        const mine = envelope.errors.find((e) => e.taskUUID === undefined || e.taskUUID === task.taskUUID);
        if (mine) throw fromErrorItem(mine, status >= 400 ? status : undefined);
        return { items: envelope.data.filter((d) => d.taskUUID === task.taskUUID), recovered: false };
      } catch (e) {
        if (!(e instanceof RunwareError) || !e.retryable || attempt >= this.#opts.retries) throw e;
        failure = e;
      }
      await this.#opts.sleep(this.backoff(attempt, failure.retryAfterMs), opts.signal);
      const known = await this.lookup(task.taskUUID, opts);
      if (known) return { items: known, recovered: true };
    }
  }

  /** What the server knows of a taskUUID: its items, or undefined when it has never seen it. */
  async lookup(taskUUID: string, opts: CallOptions = {}): Promise<DataItem[] | undefined> {
    const env = await this.getResponses([taskUUID], opts);
    const items = env.data.filter((d) => d.taskUUID === taskUUID);
    if (items.length) return items;
    const err = env.errors.find((e) => e.taskUUID === taskUUID && e.status === 'error');
    return err ? [errorAsDataItem({ ...err, taskUUID })] : undefined;
  }

  /** Uploads an image (data URI or base64) once; returns its UUID. */
  async uploadImage(image: string, taskUUID: string, opts: CallOptions = {}): Promise<{ imageUUID: string; imageURL?: string }> {
    const env = await this.call([{ taskType: 'imageUpload', taskUUID, image }], opts);
    const item = env.data.find((d) => d.taskUUID === taskUUID && (d.imageUUID || d.mediaUUID));
    if (item) return { imageUUID: (item.imageUUID ?? item.mediaUUID)!, ...((item.imageURL ?? item.mediaURL) && { imageURL: (item.imageURL ?? item.mediaURL)! }) };
    const err = env.errors[0];
    throw err ? fromErrorItem(err) : new RunwareError({ code: 'invalidResponse', message: 'the upload was not acknowledged', retryable: false });
  }

  describeEndpoint(): string {
    try {
      return new URL(this.baseUrl).origin;
    } catch {
      return 'the endpoint';
    }
  }

  /** The key never leaves in a message, whatever a server or a library echoes back. */
  redact(text: string): string {
    return this.#scrub(text);
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}
