import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseRange } from '../core/support/byte-range';
import { parseJson, stringifyJson } from '../core/support/json';
import type { AnswerBody } from '../runware/protocol';
import { NO_FAULTS, pickRequestFault, seededRandom, type Faults, type RequestFault } from './faults';
import { SandboxService, type ServiceAnswer } from './service';
import { makeTempStorage, removeStaleStorage } from './temp-storage';

// The local Runware-compatible endpoint: REST (POST a task array) and WebSocket (authentication,
// ping, session resume) on loopback, result videos under /media/, and fault injection for tests.

export interface SandboxOptions {
  port?: number;
  ffmpegPath?: string;
  /** Where videos are rendered, and kept; by default a temporary folder removed on close. */
  storageDir?: string;
  generationMs?: number;
  renderConcurrency?: number;
  personalize?: boolean;
  apiKeys?: readonly string[];
  faults?: Partial<Faults>;
  faultSeed?: number;
  /** A WebSocket with no message for this long is closed (Runware: 120 s). */
  wsIdleMs?: number;
  /** Answers for a dropped WebSocket session are kept this long for its resume (Runware: 120 s). */
  sessionBufferMs?: number;
  now?: () => number;
}

export interface SandboxServer {
  /** The REST endpoint, e.g. http://127.0.0.1:43121/v1 */
  url: string;
  wsUrl: string;
  port: number;
  /** Change at any time; applies to the next request. */
  faults: Faults;
  service: SandboxService;
  /** API requests (with the faults injected into them) and media downloads served. */
  stats: { requests: number; mediaRequests: number; injected: Record<RequestFault, number> };
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

interface Session {
  id: string;
  apiKey: string | undefined;
  socket: WebSocket | undefined;
  buffered: string[];
  expiry?: NodeJS.Timeout;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxServer> {
  const now = opts.now ?? Date.now;
  const random = seededRandom(opts.faultSeed ?? 1);
  const faults: Faults = { ...NO_FAULTS, ...opts.faults };
  let port = 0;
  // a folder of our own is ours to remove; earlier ones of ended processes are removed first
  const owned = opts.storageDir === undefined;
  if (owned) await removeStaleStorage();
  const service = new SandboxService({
    ffmpegPath: opts.ffmpegPath ?? 'ffmpeg',
    storageDir: opts.storageDir ?? (await makeTempStorage()),
    publicUrl: () => `http://127.0.0.1:${port}`,
    generationMs: opts.generationMs ?? 3000,
    renderConcurrency: opts.renderConcurrency ?? 2,
    personalize: opts.personalize ?? true,
    ...(opts.apiKeys && { apiKeys: new Set(opts.apiKeys) }),
    now,
    random: seededRandom((opts.faultSeed ?? 1) + 7),
  });
  await service.start();
  const stats = { requests: 0, mediaRequests: 0, injected: { none: 0, '429': 0, '5xx': 0, drop: 0, timeout: 0, lostAck: 0 } as Record<RequestFault, number> };
  const hanging = new Set<ServerResponse>();

  const send = (res: ServerResponse, answer: ServiceAnswer) => {
    const body = answerText(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const api = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    let body: unknown;
    try {
      body = parseJson((await readBody(req)).toString('utf8'));
    } catch (e) {
      return send(res, { status: 400, body: { errors: [{ code: 'invalidRequest', message: `the body is not valid JSON: ${(e as Error).message}` }] } });
    }
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const fault = pickRequestFault(faults, random);
    stats.injected[fault]++;
    switch (fault) {
      case '429':
        return send(res, { status: 429, body: { errors: [{ code: 'queueFull', message: 'queue capacity exceeded (injected)' }] } });
      case '5xx':
        return send(res, { status: random() < 0.5 ? 500 : 503, body: { errors: [{ code: 'serverError', message: 'server trouble (injected)' }] } });
      case 'drop':
        return void req.socket.destroy();
      case 'timeout':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
    }
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const answer = await service.handle(body, key, { dryRun: req.headers['x-runware-dry-run'] === '1' && !faults.ignoreDryRun });
    if (fault === 'lostAck') return void req.socket.destroy();
    send(res, answer);
  };

  const media = async (req: IncomingMessage, res: ServerResponse, name: string) => {
    stats.mediaRequests++;
    if (name.startsWith('images/')) {
      const bytes = service.image(name.slice('images/'.length));
      if (!bytes) return notFound(res);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.byteLength });
      return void res.end(bytes);
    }
    const video = service.video(name);
    if (!video) return notFound(res);
    if (video.expired) return json(res, 410, { errors: [{ code: 'expired', message: 'this result URL has expired (ttl)' }] });
    if (video.requests <= faults.download422) return json(res, 422, { errors: [{ code: 'stillProcessing', message: 'the video is still being processed' }] });
    if (random() < faults.download502Rate) return json(res, 502, { errors: [{ code: 'badGateway', message: 'bad gateway (injected)' }] });
    const size = (await stat(video.file)).size;
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      return void res.end();
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const headers = { 'content-type': video.contentType, 'content-length': end - start + 1, 'accept-ranges': 'bytes' };
    res.writeHead(range ? 206 : 200, range ? { ...headers, 'content-range': `bytes ${start}-${end}/${size}` } : headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(video.file, { start, end }).pipe(res);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    const handle = async () => {
      if (req.method === 'POST' && (path === '/' || path === '/v1')) return api(req, res);
      if ((req.method === 'GET' || req.method === 'HEAD') && path.startsWith('/media/')) {
        const name = decodeName(path.slice('/media/'.length));
        if (name === undefined) return json(res, 400, { errors: [{ code: 'invalidRequest', message: 'the path has a malformed percent-encoding' }] });
        return media(req, res, name);
      }
      if (req.method === 'GET' && path === '/health') return json(res, 200, { ok: true });
      notFound(res);
    };
    handle().catch((e) => {
      if (!res.headersSent) json(res, 500, { errors: [{ code: 'serverError', message: (e as Error).message }] });
      else res.destroy();
    });
  });

  // WebSocket: the first message authenticates; a session survives a dropped socket for a while.
  const sessions = new Map<string, Session>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    if (path !== '/' && path !== '/v1') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  const connection = (ws: WebSocket) => {
    let session: Session | undefined;
    let idle: NodeJS.Timeout;
    const bump = () => {
      clearTimeout(idle);
      idle = setTimeout(() => ws.close(1000, 'idle'), opts.wsIdleMs ?? 120_000);
    };
    bump();
    const deliver = (s: Session, text: string) => {
      if (s.socket?.readyState === 1) s.socket.send(text);
      else s.buffered.push(text);
    };
    ws.on('message', async (raw) => {
      bump();
      let tasks: unknown;
      try {
        tasks = parseJson(raw.toString());
      } catch {
        return ws.send(answerText({ errors: [{ code: 'invalidRequest', message: 'messages must be JSON arrays of tasks' }] }));
      }
      const list = Array.isArray(tasks) ? (tasks as Record<string, unknown>[]) : [];
      const auth = list.find((t) => t?.taskType === 'authentication');
      if (auth) {
        const key = typeof auth.apiKey === 'string' ? auth.apiKey : undefined;
        if (!service.authorized(key)) {
          ws.send(answerText({ errors: [{ code: 'invalidApiKey', message: 'Invalid API key', taskType: 'authentication' }] }));
          return ws.close(1008, 'invalid api key');
        }
        const resumed = typeof auth.connectionSessionUUID === 'string' ? sessions.get(auth.connectionSessionUUID) : undefined;
        session = resumed ?? { id: randomUUID(), apiKey: key, socket: undefined, buffered: [] };
        clearTimeout(session.expiry);
        session.socket = ws;
        sessions.set(session.id, session);
        ws.send(answerText({ data: [{ taskType: 'authentication', connectionSessionUUID: session.id }] }));
        for (const text of session.buffered.splice(0)) ws.send(text);
        return;
      }
      if (!session) return ws.send(answerText({ errors: [{ code: 'notAuthenticated', message: 'authenticate first: [{"taskType":"authentication","apiKey":"…"}]' }] }));
      const s = session;
      const answer = await service.handle(tasks, s.apiKey);
      deliver(s, answerText(answer.body));
    });
    ws.on('close', () => {
      clearTimeout(idle);
      const s = session;
      if (!s || s.socket !== ws) return;
      s.socket = undefined;
      s.expiry = setTimeout(() => sessions.delete(s.id), opts.sessionBufferMs ?? 120_000);
    });
  };

  const shutDown = async () => {
    await service.close();
    if (owned) await service.removeStorage();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    await shutDown();
    throw e;
  }
  port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    wsUrl: `ws://127.0.0.1:${port}/v1`,
    port,
    faults,
    service,
    stats,
    async close() {
      for (const res of hanging) res.destroy();
      for (const s of sessions.values()) clearTimeout(s.expiry);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await shutDown();
    },
  };
}

/** A Runware-shaped answer, or the sandbox's own health check. */
function json(res: ServerResponse, status: number, body: AnswerBody | { ok: true }) {
  const text = stringifyJson(body, 0);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Every answer, REST or WebSocket, in the shape the client reads (bigint seeds exact). */
const answerText = (body: AnswerBody) => stringifyJson(body, 0);

const decodeName = (encoded: string): string | undefined => {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
};

const notFound = (res: ServerResponse) => json(res, 404, { errors: [{ code: 'notFound', message: 'no such resource' }] });

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('the request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Starts the sandbox when a host first needs it (runs with no key); it makes its videos with ffmpeg. */
export const sandboxStarter =
  (ffmpegPath: string | undefined, options: Omit<SandboxOptions, 'ffmpegPath'> = {}) =>
  async (): Promise<SandboxServer> => {
    if (!ffmpegPath) throw new Error('the sandbox needs ffmpeg to make its videos: install it, or set FFMPEG_PATH');
    return startSandbox({ ...options, ffmpegPath });
  };
