import { createServer, type Server } from 'node:net';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../app/cli/main';
import { fsFaults } from '../fs-faults';

// What the system refuses (a full disk, a missing folder, a port in use) is said in one line
// naming the file or port, with exit code 1: never a stack trace. Full disks and refused folders
// are injected at the fs boundary (CI runs as root); the port and the missing folder are real.
vi.mock('node:fs/promises', async (real) => (await import('../fs-faults')).withFaults(await real()));

const GOOD = 'graphs/volcanic-salt-flats-procession.wgraph.json';
const servers: Server[] = [];
afterEach(async () => {
  fsFaults.splice(0);
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { ...process.env, RUNWARE_API_KEY: '', ...env } });
  return { code, stdout, stderr };
}

/** The last line of stderr, and that there is no stack trace anywhere in it. */
const lastLine = (stderr: string) => {
  expect(stderr).not.toMatch(/^\s+at /m);
  return stderr.trimEnd().split('\n').at(-1);
};

describe('system errors on the command line', () => {
  it('compile -o into a folder that does not exist', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'wan-cli-')), 'missing', 'tasks.json');
    const r = await run(['compile', GOOD, '-o', out]);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `wan-graph: cannot write "${out}": no such file or folder\n` });
  });

  it('compile -o onto a full disk, leaving nothing behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-cli-'));
    fsFaults.push({ op: 'write', code: 'ENOSPC', when: (p) => p.startsWith(dir) });
    const r = await run(['compile', GOOD, '-o', join(dir, 'tasks.json')]);
    expect(r).toMatchObject({ code: 1, stderr: `wan-graph: cannot write "${join(dir, 'tasks.json')}": no space left on the device\n` });
    expect(await readdir(dir)).toEqual([]);
  });

  it('sandbox --port on a port in use', async () => {
    const busy = createServer();
    servers.push(busy);
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    const r = await run(['sandbox', '--port', String(port)]);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `wan-graph: cannot listen on port ${port} of 127.0.0.1: the port is already in use\n` });
  });

  it('run with the disk full under the job journal', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-cli-'));
    const journal = join(home, 'sandbox', 'journal.jsonl');
    fsFaults.push({ op: 'write', code: 'ENOSPC', when: (p) => p === journal });
    const r = await run(['run', GOOD], { WAN_GRAPH_HOME: home });
    expect(r.code).toBe(1);
    expect(lastLine(r.stderr)).toBe(`wan-graph: cannot write the job journal "${journal}": no space left on the device`);
  });

  it('jobs with a journal that may not be opened', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-cli-'));
    fsFaults.push({ op: 'open', code: 'EACCES', when: (p) => p.startsWith(home) && p.endsWith('journal.jsonl') });
    const r = await run(['jobs'], { WAN_GRAPH_HOME: home });
    expect(r.code).toBe(1);
    expect(lastLine(r.stderr)).toMatch(new RegExp(`^wan-graph: cannot (open|read) the job journal "${home}/(sandbox/)?journal.jsonl": permission denied$`));
  });
});
