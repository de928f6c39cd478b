import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main';
import { parseJson } from '../../app/core/support/json';
import { serializeGraph } from '../../app/core/save';
import { registry } from '../../nodes';
import { turboSweep } from '../helpers';

const GOOD = 'graphs/volcanic-salt-flats-procession.wgraph.json';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

async function badGraph(): Promise<string> {
  const raw = JSON.parse(await readFile(GOOD, 'utf8'));
  const vi = raw.nodes.find((n: { type: string }) => n.type === 'VideoInference');
  vi.params.steps = 99;
  const dir = await mkdtemp(join(tmpdir(), 'wan-cli-'));
  const path = join(dir, 'bad.wgraph.json');
  await writeFile(path, JSON.stringify(raw));
  return path;
}

/** The Turbo example with a seed × CFG sweep: Values "1 ×3" on Seed, "1..2 step 0.5" on CFG scale (9 tasks). */
async function sweepGraph(): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'wan-cli-')), 'sweep.wgraph.json');
  await writeFile(path, serializeGraph(turboSweep()));
  return path;
}

describe('wan-graph', () => {
  it('usage problems exit 2 with the usage on stderr', async () => {
    for (const argv of [[], ['frobnicate'], ['compile'], ['compile', 'a', 'b'], ['validate'], ['compile', GOOD, '--colour']]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain('Usage: wan-graph');
      expect(r.stdout).toBe('');
    }
  });

  it('validate says ok per file and exits 0', async () => {
    const r = await run('validate', GOOD, 'graphs/turbo-lantern-market-text-to-video.wgraph.json');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${GOOD}: ok, 1 task\ngraphs/turbo-lantern-market-text-to-video.wgraph.json: ok, 1 task\n`);
  });

  it('validate exits 1 with one line per problem naming file, node and field', async () => {
    const path = await badGraph();
    const r = await run('validate', GOOD, path);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${path}: node 4 "Video Inference" › steps: Steps must be at most 50 (allowed: whole number 4–50)\n`);
  });

  it('compile prints the tasks; -o writes them to a file instead', async () => {
    const printed = await run('compile', GOOD);
    expect(printed.code).toBe(0);
    const tasks = parseJson(printed.stdout) as Record<string, unknown>[];
    expect(tasks).toHaveLength(1);
    const out = join(await mkdtemp(join(tmpdir(), 'wan-cli-')), 'tasks.json');
    const written = await run('compile', GOOD, '-o', out);
    expect(written).toMatchObject({ code: 0, stdout: '' });
    const fromFile = parseJson(await readFile(out, 'utf8')) as Record<string, unknown>[];
    expect({ ...fromFile[0], taskUUID: '' }).toEqual({ ...tasks[0], taskUUID: '' });
  });

  it('compile of an invalid graph exits 1 and prints nothing on stdout', async () => {
    const r = await run('compile', await badGraph());
    expect(r).toMatchObject({ code: 1, stdout: '' });
  });

  it('compile --max-tasks N refuses a graph whose sweeps make more than N tasks, naming the task node', async () => {
    const path = await sweepGraph();
    const all = await run('compile', path);
    expect(all.code).toBe(0);
    expect(parseJson(all.stdout)).toHaveLength(9);
    // the request on stdout; which swept values made each task, one line each, on stderr
    expect(all.stderr.trim().split('\n')).toHaveLength(9);
    const limited = await run('compile', path, '--max-tasks', '5');
    expect(limited).toMatchObject({ code: 1, stdout: '' });
    expect(limited.stderr).toBe(`${path}: node 3 "Video Inference" › sweep: this sweep makes 9 tasks (3 × 3); a run sends at most 5 (Settings › Max tasks per run)\n`);
    for (const bad of ['0', '10001', '2.5', 'many']) expect((await run('compile', path, '--max-tasks', bad)).stderr).toContain('--max-tasks takes a whole number from 1 to 10000');
    expect((await run('validate', path, '--max-tasks', '5')).code).toBe(2);
  });

  it('run --max-tasks N refuses the sweep before anything is sent or written', async () => {
    const path = await sweepGraph();
    const home = await mkdtemp(join(tmpdir(), 'wan-cli-home-'));
    let stderr = '';
    const code = await main(['run', path, '--max-tasks', '5'], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: { WAN_GRAPH_HOME: home } });
    expect(code).toBe(1);
    expect(stderr).toContain('this sweep makes 9 tasks (3 × 3); a run sends at most 5');
    expect(await readdir(home)).toEqual([]);
  });

  it('a missing file is an invalid graph, said plainly', async () => {
    const r = await run('validate', 'graphs/nope.wgraph.json');
    expect(r).toMatchObject({ code: 1, stderr: 'graphs/nope.wgraph.json: no such file or folder\n' });
  });

  it.skipIf(process.platform === 'win32')('validate refuses a FIFO and devices at once instead of reading forever (no mkfifo or /dev/zero on Windows)', async () => {
    const fifo = join(await mkdtemp(join(tmpdir(), 'wan-cli-')), 'pipe.wgraph.json');
    execFileSync('mkfifo', [fifo]);
    const r = await run('validate', fifo, '/dev/zero', '/dev/urandom', GOOD);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe([fifo, '/dev/zero', '/dev/urandom'].map((f) => `${f}: not a regular file (a pipe, a device or a socket)\n`).join(''));
    expect(r.stdout).toBe(`${GOOD}: ok, 1 task\n`);
  });

  it('nodes lists every node type with its parameters; --json is machine-readable', async () => {
    const text = await run('nodes');
    for (const def of registry.all()) expect(text.stdout).toContain(`${def.title} (${def.type} v${def.version}`);
    expect(text.stdout).toContain('numberResults: whole number 1–20, optional, default 1');
    const json = parseJson((await run('nodes', '--json')).stdout) as { type: string; params: Record<string, unknown> }[];
    expect(json.map((d) => d.type)).toEqual(registry.all().map((d) => d.type));
    expect(json.find((d) => d.type === 'VideoInference')!.params.seed).toMatchObject({ kind: 'seed', max: 9223372036854775807n });
  });

  it('runs as a real command from a checkout', async () => {
    const r = await promisify(execFile)('node', ['app/cli/wan-graph.mjs', 'validate', GOOD]).catch((e) => e);
    expect(r.stdout).toBe(`${GOOD}: ok, 1 task\n`);
    const bad = await promisify(execFile)('node', ['app/cli/wan-graph.mjs', 'validate', await badGraph()]).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('node 4 "Video Inference" › steps');
  });
});
