import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main';
import { serveCommand } from '../../app/cli/serve-command';

const capture = () => {
  const io = { out: '', err: '', stdout: { write: (s: string) => (io.out += s) }, stderr: { write: (s: string) => (io.err += s) } };
  return io;
};

describe('wan-graph serve', () => {
  it('says in one line how to build the editor when it is not built', async () => {
    const io = capture();
    const code = await serveCommand({ env: { WAN_GRAPH_HOME: await mkdtemp(join(tmpdir(), 'wan-serve-')) }, staticDir: join(tmpdir(), 'no-such-build') }, io);
    expect(code).toBe(1);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toContain('npm run build:web');
  });

  it('takes only --port', async () => {
    for (const argv of [['serve', 'file.wgraph.json'], ['serve', '--port', 'x'], ['serve', '--endpoint', 'sandbox']]) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.err).toContain('Usage: wan-graph');
    }
  });

  it('prints the link with its token and the sandbox notice, serves the editor, and stops cleanly', async () => {
    const staticDir = await mkdtemp(join(tmpdir(), 'wan-serve-static-'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>editor</title>');
    const home = await mkdtemp(join(tmpdir(), 'wan-serve-'));
    let stop!: () => void;
    const io = capture();
    const running = serveCommand({ env: { WAN_GRAPH_HOME: home, PATH: process.env.PATH }, port: 0, staticDir, stop: new Promise<void>((r) => (stop = r)) }, io);
    while (!io.out.includes('Stop with')) await new Promise((r) => setTimeout(r, 20));
    const url = /Wan Graph editor: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})\n/.exec(io.out)?.[1];
    expect(url, io.out).toBeDefined();
    expect(io.out).toContain('No API key: runs go to the local sandbox — placeholder videos marked SANDBOX, nothing is billed.');
    const handshake = await request(url!);
    expect(handshake.statusCode).toBe(303);
    await handshake.body.dump();
    const cookie = String(handshake.headers['set-cookie']).split(';')[0]!;
    const page = await request(new URL('/', url).toString(), { headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain('<title>editor</title>');
    const info = await request(new URL('/api/app.info', url).toString(), { method: 'POST', headers: { cookie, origin: new URL(url!).origin, 'content-type': 'application/json' }, body: '{}' });
    expect(await info.body.json()).toMatchObject({ shell: 'web', dataDir: home, version: expect.any(String) });
    stop();
    expect(await running).toBe(0);
    expect(io.err).toBe('');
  });
});
