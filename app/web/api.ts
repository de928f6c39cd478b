import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostError, HostEvent } from '../core/contract';
import { json } from './respond';

// The contract over HTTP: POST /api/<op> with the input as JSON, the output as JSON, or a
// HostError with a status; GET /api/events streams HostEvents (Server-Sent Events).

export interface WebService {
  call(op: string, input: unknown): Promise<unknown>;
  errorOf(e: unknown): HostError;
  onEvent(listener: (event: HostEvent) => void): () => void;
  isMediaAllowed(path: string): Promise<boolean>;
}

/** Operations that carry file bytes as base64 may send large bodies; the rest stay small. */
const LARGE_OPS = new Set(['image.import', 'video.graph']);
const LARGE_LIMIT = 600 * 1024 * 1024;
const SMALL_LIMIT = 40 * 1024 * 1024;

const STATUS: Record<string, number> = { 'bad-input': 400, 'unknown-op': 404, 'not-found': 404, refused: 403, 'too-large': 413, internal: 500 };

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new TooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const failure = (code: string, message: string): HostError => ({ error: { code, message } });

export async function handleOp(service: WebService, op: string, req: IncomingMessage, res: ServerResponse, log: (line: string) => void): Promise<void> {
  const limit = LARGE_OPS.has(op) ? LARGE_LIMIT : SMALL_LIMIT;
  let input: unknown;
  try {
    const text = await readBody(req, limit);
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    if (e instanceof TooLarge) {
      res.setHeader('connection', 'close');
      return json(res, 413, failure('too-large', `the request is larger than ${limit / 1048576} MB`));
    }
    return json(res, 400, failure('bad-input', 'the request body is not valid JSON'));
  }
  try {
    json(res, 200, await service.call(op, input));
  } catch (e) {
    const error = service.errorOf(e);
    if (error.error.code === 'internal') log(`${op}: ${error.error.message}`);
    json(res, STATUS[error.error.code] ?? 422, error);
  }
}

const HEARTBEAT_MS = 15_000;

/** Streams events until the browser goes away or the server closes; returns the closer. */
export function streamEvents(service: WebService, req: IncomingMessage, res: ServerResponse): () => void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write('retry: 2000\n\n');
  const off = service.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
  const beat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    off();
    clearInterval(beat);
    res.end();
  };
  req.on('close', close);
  return close;
}
