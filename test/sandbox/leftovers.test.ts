import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../app/sandbox/server';

// The built-in sandbox renders its videos into a folder of the system's temporary folder: it is
// gone when the sandbox closes (on SIGINT and SIGTERM for `wan-graph sandbox` too), and one left
// by a process that ended without closing (a crash, SIGKILL) is removed at the next start.

const CLI = join(process.cwd(), 'app/cli/wan-graph.mjs');
const exists = (path: string) => stat(path).then(
  () => true,
  () => false,
);
const mine = async (pid: number) => (await readdir(tmpdir())).filter((n) => n.startsWith(`wan-sandbox-${pid}-`)).map((n) => join(tmpdir(), n));
/** A process id that no longer runs. */
const deadPid = () =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('exit', () => resolve(child.pid!));
  });

describe('sandbox leftovers', () => {
  it('removes its own folder on close, and keeps a storage folder it was given', async () => {
    const sandbox = await startSandbox({ generationMs: 10 });
    const dir = sandbox.service.opts.storageDir;
    expect(dir.startsWith(join(tmpdir(), `wan-sandbox-${process.pid}-`))).toBe(true);
    expect(await exists(dir)).toBe(true);
    await sandbox.close();
    expect(await exists(dir)).toBe(false);

    const given = await mkdtemp(join(tmpdir(), 'wan-given-'));
    const kept = await startSandbox({ storageDir: given });
    await kept.close();
    expect(await exists(given)).toBe(true);
  });

  it('leaves no folder behind when it cannot start', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const before = await mine(process.pid);
    await expect(startSandbox({ port: (busy.address() as { port: number }).port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(await mine(process.pid)).toEqual(before);
    await new Promise((r) => busy.close(r));
  });

  it('removes folders of ended processes at the next start, and only those', async () => {
    const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    const dead = await deadPid();
    const stale = join(tmpdir(), `wan-sandbox-${dead}-${host}-stale01`);
    const otherHost = join(tmpdir(), `wan-sandbox-${dead}-00000000-other1`);
    const live = join(tmpdir(), `wan-sandbox-${process.ppid}-${host}-live01`);
    const unnamed = join(tmpdir(), 'wan-sandbox-old123');
    for (const dir of [stale, otherHost, live, unnamed]) await mkdir(join(dir, 'videos'), { recursive: true });
    const sandbox = await startSandbox();
    await sandbox.close();
    expect(await exists(stale)).toBe(false);
    // another machine's process (a shared temporary folder), a running one, and one that names none are kept
    for (const dir of [otherHost, live, unnamed]) expect(await exists(dir), dir).toBe(true);
    for (const dir of [otherHost, live, unnamed]) await rm(dir, { recursive: true });
  });

  it.skipIf(process.platform === 'win32')('wan-graph sandbox removes its folder on SIGINT and SIGTERM (no POSIX signals on Windows)', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, [CLI, 'sandbox'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      for (let i = 0; i < 600 && !out.includes('Stop with Ctrl+C'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain('Sandbox endpoint: http://127.0.0.1:');
      const [dir] = await mine(child.pid!);
      expect(dir, out).toBeDefined();
      child.kill(signal);
      expect(await exited, out).toBe(0);
      expect(await exists(dir!), signal).toBe(false);
    }
  }, 60_000);
});
