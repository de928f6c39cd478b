import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { main } from '../../app/cli/main';
import { RunwareClient } from '../../app/runware/client';

// `wan-graph sandbox --api-key KEY`: a sandbox that takes only that key, so a client's handling
// of a bad key can be tried; it answers as Runware does (401, invalidApiKey).

const CLI = join(process.cwd(), 'app/cli/wan-graph.mjs');
const KEY = 'sandbox-test-key-0123456789';
let child: ReturnType<typeof spawn>;
let out = '';
let url = '';

beforeAll(async () => {
  child = spawn(process.execPath, [CLI, 'sandbox', '--api-key', KEY, '--generation-ms', '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  for (let i = 0; i < 600 && !out.includes('Stop with Ctrl+C'); i++) await new Promise((r) => setTimeout(r, 50));
  url = /Sandbox endpoint: (\S+)/.exec(out)?.[1] ?? '';
}, 60_000);
afterAll(async () => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
});

const post = (headers: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify([{ taskType: 'ping', ping: true, taskUUID: crypto.randomUUID() }]) });

describe('wan-graph sandbox --api-key', () => {
  it('says a key is needed, without printing it', () => {
    expect(url, out).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(out).toContain('Only the API key given with --api-key is accepted');
    expect(out).not.toContain(KEY);
  });

  it('answers a wrong or missing key with 401 invalidApiKey, and the right one as usual', async () => {
    for (const headers of [{ authorization: 'Bearer wrong-key' }, {}] as Record<string, string>[]) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { errors: Array<{ code: string; message: string }> };
      expect(body.errors).toEqual([expect.objectContaining({ code: 'invalidApiKey' })]);
      expect(JSON.stringify(body)).not.toContain('wrong-key');
    }
    const ok = await post({ authorization: `Bearer ${KEY}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: [{ taskType: 'ping', pong: true }] });
  });

  it("the project's own client reads a bad key as final, not to be retried", async () => {
    const client = new RunwareClient({ baseUrl: url, apiKey: 'wrong-key', sleep: () => Promise.resolve() });
    try {
      await expect(client.call([{ taskType: 'ping', ping: true, taskUUID: crypto.randomUUID() }])).rejects.toMatchObject({ code: 'invalidApiKey', status: 401, retryable: false });
    } finally {
      await client.close();
    }
  });

  it('refuses a WebSocket authenticated with a wrong key, and closes it', async () => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'));
    await new Promise((r) => ws.once('open', r));
    const message = new Promise<string>((r) => ws.once('message', (m) => r(m.toString())));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(JSON.stringify([{ taskType: 'authentication', apiKey: 'wrong-key' }]));
    expect(JSON.parse(await message)).toMatchObject({ errors: [{ code: 'invalidApiKey', taskType: 'authentication' }] });
    expect(await closed).toBe(1008);
  });

  it('takes --api-key only for sandbox, and not empty', async () => {
    const io = { out: '', err: '' };
    const run = (...argv: string[]) => main(argv, { stdout: { write: (s: string) => (io.out += s) }, stderr: { write: (s: string) => (io.err += s) } });
    expect(await run('run', 'graphs/lake.wgraph.json', '--api-key', 'k')).toBe(2);
    expect(io.err).toContain('run does not take --api-key');
    expect(await run('sandbox', '--api-key', '')).toBe(2);
    expect(io.err).toContain('--api-key takes a key');
  });
});
