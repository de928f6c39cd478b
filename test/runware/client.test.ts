import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunwareClient } from '../../app/runware/client';
import { RunwareError } from '../../app/runware/errors';
import { readEnvelope } from '../../app/runware/protocol';

// The client against a real loopback HTTP server whose answers each test scripts: envelope
// variants, statuses, broken connections and slow answers.

type Handler = (req: IncomingMessage, body: unknown, res: ServerResponse) => void;
let handler: Handler;
let url: string;
const seen: Array<{ auth?: string; body: unknown; dryRun?: string }> = [];
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString() || 'null');
  seen.push({ ...(req.headers.authorization && { auth: req.headers.authorization }), body, ...(req.headers['x-runware-dry-run'] && { dryRun: String(req.headers['x-runware-dry-run']) }) });
  handler(req, body, res);
});
const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const sleeps: number[] = [];
const client = (extra: Partial<ConstructorParameters<typeof RunwareClient>[0]> = {}) =>
  new RunwareClient({ baseUrl: url, apiKey: 'key-1234567890abcdef', retries: 4, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), timeoutMs: 300, ...extra });

describe('envelopes', () => {
  it('reads data as a list or a single object, errors as a list or the older singular error', () => {
    expect(readEnvelope({ data: { taskUUID: 'a', status: 'success' } }).data).toEqual([{ taskUUID: 'a', status: 'success' }]);
    expect(readEnvelope({ error: { code: 'x', message: 'y' } }).errors).toEqual([{ code: 'x', message: 'y' }]);
    expect(readEnvelope({})).toEqual({ data: [], errors: [] });
    expect(readEnvelope({ data: [{ noTaskUUID: true }] }).errors[0]).toMatchObject({ code: 'invalidResponse' });
    expect(readEnvelope([]).errors[0]).toMatchObject({ code: 'invalidResponse' });
  });
});

describe('requests', () => {
  it('POSTs a JSON array with Bearer auth to the configured URL, bigints with exact digits', async () => {
    seen.length = 0;
    handler = (_req, _body, res) => reply(res, 200, { data: [{ taskType: 'getResponse', taskUUID: 't1', status: 'processing' }] });
    const c = client();
    await c.post([{ taskType: 'videoInference', taskUUID: 't1', seed: 9223372036854775807n }]);
    expect(seen[0]!.auth).toBe('Bearer key-1234567890abcdef');
    expect(Array.isArray(seen[0]!.body)).toBe(true);
    await c.close();
  });

  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i with backoff, then succeeds', async (status) => {
    let n = 0;
    handler = (_req, _body, res) => (++n < 3 ? reply(res, status, { errors: [{ code: 'busy', message: 'try later' }] }) : reply(res, 200, { data: [{ taskUUID: 'x' }] }));
    sleeps.length = 0;
    const env = await client().call([{ taskType: 'getResponse', taskUUID: 'x' }]);
    expect(env.data).toEqual([{ taskUUID: 'x' }]);
    expect(n).toBe(3);
    expect(sleeps).toEqual([375, 750]); // half fixed, half jittered (random 0.5), doubling
  });

  it.each([
    [400, 'invalidRequest'],
    [401, 'invalidApiKey'],
    [402, 'insufficientBalance'],
    [403, 'forbidden'],
  ])('never retries HTTP %i', async (status, code) => {
    let n = 0;
    handler = (_req, _body, res) => (n++, reply(res, status, {}));
    const err = await client().call([{ taskType: 'getResponse', taskUUID: 'x' }]).catch((e) => e);
    expect(err).toBeInstanceOf(RunwareError);
    expect(err).toMatchObject({ status, code, retryable: false });
    expect(n).toBe(1);
  });

  it('honours Retry-After', async () => {
    let n = 0;
    handler = (_req, _body, res) => (++n === 1 ? reply(res, 429, {}, { 'retry-after': '3' }) : reply(res, 200, { data: [] }));
    sleeps.length = 0;
    await client().call([{ taskType: 'ping' }]);
    expect(sleeps[0]).toBe(3000);
  });

  it('retries a broken connection and a timeout', async () => {
    let n = 0;
    handler = (req, _body, res) => {
      n++;
      if (n === 1) return req.socket.destroy();
      if (n === 2) return; // never answers: the client's timeout fires
      reply(res, 200, { data: [{ taskUUID: 'ok' }] });
    };
    const env = await client().call([{ taskType: 'getResponse', taskUUID: 'ok' }]);
    expect(env.data[0]!.taskUUID).toBe('ok');
    expect(n).toBe(3);
  });

  it('gives up after its retries with the last reason', async () => {
    handler = (_req, _body, res) => reply(res, 503, { errors: [{ message: 'provider down' }] });
    await expect(client({ retries: 2 }).call([{ taskType: 'ping' }])).rejects.toMatchObject({ status: 503, message: 'provider down', retryable: true });
  });

  it('never repeats the API key in an error, whatever the server echoes', async () => {
    handler = (_req, _body, res) => reply(res, 401, { errors: [{ code: 'invalidApiKey', message: 'key key-1234567890abcdef is not valid' }] });
    const err = (await client().call([{ taskType: 'ping' }]).catch((e) => e)) as Error;
    expect(err.message).toBe('key [api key] is not valid');
    expect(JSON.stringify(err)).not.toContain('key-1234567890abcdef');
  });
});

describe('submitting', () => {
  it('a submission whose answer was lost is found by asking first, and is not sent again', async () => {
    const submissions: string[] = [];
    handler = (req, body, res) => {
      const [t] = body as Array<{ taskType: string; taskUUID: string }>;
      if (t!.taskType === 'videoInference') {
        submissions.push(t!.taskUUID);
        return req.socket.destroy(); // it reached the server, the answer never came back
      }
      reply(res, 200, { data: [{ taskType: 'videoInference', taskUUID: t!.taskUUID, status: 'processing' }] });
    };
    const result = await client().submit({ taskType: 'videoInference', taskUUID: 'aa1' } as { taskUUID: string });
    expect(result).toMatchObject({ recovered: true, items: [{ status: 'processing' }] });
    expect(submissions).toEqual(['aa1']);
  });

  it('re-sends the same taskUUID, never a new one, when the server never saw it', async () => {
    const submissions: string[] = [];
    handler = (_req, body, res) => {
      const [t] = body as Array<{ taskType: string; taskUUID: string }>;
      if (t!.taskType === 'getResponse') return reply(res, 400, { errors: [{ code: 'taskNotFound', taskUUID: t!.taskUUID, message: 'unknown' }] });
      submissions.push(t!.taskUUID);
      if (submissions.length === 1) return reply(res, 503, {});
      reply(res, 200, { data: [{ taskType: 'videoInference', taskUUID: t!.taskUUID }] });
    };
    const result = await client().submit({ taskUUID: 'bb2' });
    expect(result.recovered).toBe(false);
    expect(submissions).toEqual(['bb2', 'bb2']);
  });

  it('a validation error comes back at once, with its parameter, and is not retried', async () => {
    let n = 0;
    handler = (_req, body, res) => {
      n++;
      const [t] = body as Array<{ taskUUID: string }>;
      reply(res, 400, { errors: [{ code: 'unsupportedDuration', message: 'duration 99 is not supported', parameter: 'duration', taskUUID: t!.taskUUID, allowedValues: [5, 6] }] });
    };
    await expect(client().submit({ taskUUID: 'cc3' })).rejects.toMatchObject({ code: 'unsupportedDuration', parameter: 'duration', allowedValues: [5, 6], retryable: false, status: 400 });
    expect(n).toBe(1);
  });
});
