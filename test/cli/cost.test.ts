import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main';
import { parseJson } from '../../app/core/support/json';
import { serializeGraph } from '../../app/core/save';
import type { JournalEntry } from '../../app/host/jobs/types';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { tasksGraph } from '../host/runner-helpers';

// `wan-graph run` prices a run before paying for it: --dry-run prints the estimate, --max-cost
// refuses above it, the budgets in Settings ask first on a terminal and refuse elsewhere, --yes
// does not ask. Against the real sandbox, the CLI run as a child process (stdin a pipe, not a
// terminal) and, for the terminal, in-process or under script(1).

const CLI = join(process.cwd(), 'app/cli/wan-graph.mjs');
const run = (args: string[], env: Record<string, string>) =>
  promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, RUNWARE_API_KEY: '', ...env }, maxBuffer: 1 << 24 }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

const size = { width: 832, height: 480 };
/** Three tasks in two payload shapes: two of 1 s, one of 2 s. */
const threeTasks = () => serializeGraph(tasksGraph([{ prompt: 'a heron', vi: size }, { prompt: 'a crane', vi: size }, { prompt: 'a long heron', vi: { ...size, duration: 2 } }]));

async function place(settings?: Record<string, unknown>) {
  const home = await mkdtemp(join(tmpdir(), 'wan-cost-'));
  const graph = join(home, 'three.wgraph.json');
  await writeFile(graph, threeTasks());
  if (settings) await writeFile(join(home, 'settings.json'), JSON.stringify({ endpoint: 'runware', concurrency: 2, ...settings }));
  return { home, graph };
}

/** Jobs in a journal, each as its entries left it. */
async function journal(home: string) {
  const text = await readFile(join(home, 'journal.jsonl'), 'utf8').catch(() => '');
  const jobs = new Map<string, { dryRun?: boolean; state: string; submittedAt?: number }>();
  for (const line of text.split('\n').filter(Boolean)) {
    const e = parseJson(line) as unknown as JournalEntry;
    if (e.type === 'job') jobs.set(e.job.id, e.job);
    else Object.assign(jobs.get(e.id)!, e.patch);
  }
  return [...jobs.values()];
}
const realJobs = async (home: string) => (await journal(home)).filter((j) => !j.dryRun);

let sandbox: SandboxServer;
let ignoring: SandboxServer;
beforeAll(async () => {
  sandbox = await startSandbox({ generationMs: 100, ffmpegPath: 'ffmpeg' });
  ignoring = await startSandbox({ generationMs: 100, ffmpegPath: 'ffmpeg', faults: { ignoreDryRun: true } });
});
afterAll(async () => {
  await sandbox.close();
  await ignoring.close();
});

/** The unit costs the sandbox gives the two shapes, read from a dry-run table. */
const unitCosts = (out: string) => [...out.matchAll(/^\s*(\d+)\s+\$(\d+\.\d{4})\s+\$(\d+\.\d{4})\s+runware/gm)].map((m) => ({ tasks: Number(m[1]), unit: Number(m[2]), subtotal: Number(m[3]) }));

describe('wan-graph run --dry-run', () => {
  it('prints one row per payload shape, the reused count, the total and today’s spend, from one dry run per shape', async () => {
    const { home, graph } = await place();
    const before = sandbox.stats.requests;
    const r = await run(['run', graph, '--endpoint', sandbox.url, '--dry-run'], { WAN_GRAPH_HOME: home });
    expect(r.code, r.out + r.err).toBe(0);
    expect(sandbox.stats.requests - before).toBe(2);
    expect(r.out).toMatch(/^tasks {2}unit cost {2}subtotal {2}shape$/m);
    const rows = unitCosts(r.out);
    expect(rows.map((x) => x.tasks)).toEqual([2, 1]);
    expect(rows[0]!.subtotal).toBeCloseTo(2 * rows[0]!.unit, 4);
    expect(r.out).toContain('runware:200@8, 832×480, 1 s, 16 fps, 8 steps (nodes #3, #5)');
    expect(r.out).toContain('0 reused results (same payload and explicit seed), free');
    const total = Number(/^total for 3 tasks: \$(\d+\.\d{4})$/m.exec(r.out)![1]);
    expect(total).toBeCloseTo(rows[0]!.subtotal + rows[1]!.subtotal, 4);
    expect(r.out).toMatch(/^spent today \(\d{4}-\d\d-\d\d, UTC\): \$0\.0000$/m);
    expect(await realJobs(home)).toEqual([]);
  }, 60_000);

  it('says "unknown" where the endpoint ignores dry runs, never $0, and keeps the task it ran', async () => {
    const { home, graph } = await place();
    const r = await run(['run', graph, '--endpoint', ignoring.url, '--dry-run'], { WAN_GRAPH_HOME: home });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^\s*2\s+unknown\s+unknown\s+runware.*ignored the dry run and ran one task \(its result is kept\); its cost was not reported/m);
    expect(r.out).toMatch(/^\s*1\s+unknown\s+unknown\s+runware.*ignores dry runs/m);
    expect(r.out).toContain('total for 3 tasks: unknown (3 tasks of unknown cost)');
    expect(r.out).toMatch(/^ran for real \(the endpoint ignored the dry run\): .*: done/m);
    expect(r.out).not.toContain('$0.0000 (');
  }, 60_000);
});

describe('wan-graph run --max-cost', () => {
  it('refuses in one line, and sends nothing, when the estimate is above it', async () => {
    const { home, graph } = await place();
    const r = await run(['run', graph, '--endpoint', sandbox.url, '--max-cost', '0.001'], { WAN_GRAPH_HOME: home });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wan-graph: not run: 3 tasks, estimated \$\d+\.\d{4}, above --max-cost \$0\.0010\n$/);
    expect(await realJobs(home)).toEqual([]);
  }, 60_000);

  it('refuses a run of unknown cost', async () => {
    const { home, graph } = await place();
    const r = await run(['run', graph, '--endpoint', ignoring.url, '--max-cost', '100'], { WAN_GRAPH_HOME: home });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/wan-graph: not run: 3 tasks, its cost is unknown \(3 tasks of unknown cost\), and --max-cost needs a known estimate\n$/);
  }, 60_000);

  it('runs when the estimate is within it, and says the figure', async () => {
    const { home, graph } = await place();
    const r = await run(['run', graph, '--endpoint', sandbox.url, '--max-cost', '5'], { WAN_GRAPH_HOME: home });
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/^3 tasks, estimated \$\d+\.\d{4}$/m);
    expect(r.out).toContain('3 of 3 jobs done');
    expect((await realJobs(home)).map((j) => j.state)).toEqual(['done', 'done', 'done']);
  }, 90_000);

  it('takes an amount in USD, 0 or more', async () => {
    for (const bad of ['-1', 'ten', '']) {
      let err = '';
      expect(await main(['run', 'x.wgraph.json', `--max-cost=${bad}`], { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } })).toBe(2);
      expect(err).toContain(`wan-graph: --max-cost takes an amount in USD, 0 or more (such as 2.50), not '${bad}'`);
    }
  });
});

describe('the budgets in Settings', () => {
  it('refuse a run above them when nobody can answer (stdin not a terminal), saying to pass --yes or --max-cost', async () => {
    const { home, graph } = await place({ budgetPerRun: 0.001 });
    const r = await run(['run', graph, '--endpoint', sandbox.url], { WAN_GRAPH_HOME: home });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wan-graph: not run: 3 tasks, estimated \$\d+\.\d{4}: \$\d+\.\d{4} is above the budget per run of \$0\.0010 \(budgets in Settings\); pass --yes to run it anyway, or --max-cost USD to set this run's limit\n$/);
    expect(await realJobs(home)).toEqual([]);
  }, 60_000);

  it('--yes runs without asking and without pricing', async () => {
    const { home, graph } = await place({ budgetPerRun: 0.001, budgetPerDay: 0.001 });
    const r = await run(['run', graph, '--endpoint', sandbox.url, '--yes'], { WAN_GRAPH_HOME: home });
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('3 of 3 jobs done');
    expect((await journal(home)).filter((j) => j.dryRun)).toEqual([]);
  }, 90_000);

  it('are not asked about on the built-in sandbox, which bills nothing', async () => {
    const { home, graph } = await place({ budgetPerRun: 0.001 });
    const r = await run(['run', graph], { WAN_GRAPH_HOME: home });
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('3 of 3 jobs done');
  }, 90_000);

  it('a run within them goes ahead with the figure said', async () => {
    const { home, graph } = await place({ budgetPerRun: 5, budgetPerDay: 5 });
    const r = await run(['run', graph, '--endpoint', sandbox.url], { WAN_GRAPH_HOME: home });
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/^3 tasks, estimated \$\d+\.\d{4}$/m);
  }, 90_000);

  it('on a terminal, ask first: yes runs, anything else does not', async () => {
    for (const [answer, code] of [
      ['n', 2],
      ['', 2],
      ['y', 0],
    ] as const) {
      const { home, graph } = await place({ budgetPerDay: 0.001 });
      let out = '';
      let err = '';
      const asked: string[] = [];
      const io = {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: (s: string) => (err += s) },
        env: { ...process.env, RUNWARE_API_KEY: '', WAN_GRAPH_HOME: home },
        stdin: { isTTY: true },
        ask: async (q: string) => (asked.push(q), answer),
      };
      expect(await main(['run', graph, '--endpoint', sandbox.url], io), out + err).toBe(code);
      expect(asked).toEqual([expect.stringMatching(/^Run 3 tasks for \$\d+\.\d{4}\? \[y\/N\] $/)]);
      expect(err).toMatch(/Above your budget: \$0\.0000 spent today and \$\d+\.\d{4} more is above the budget per day of \$0\.0010 \(budgets in Settings\)\./);
      expect(out).toMatch(/^total for 3 tasks: \$/m);
      expect((await realJobs(home)).length).toBe(code === 0 ? 3 : 0);
    }
  }, 120_000);

  it.skipIf(spawnSync('script', ['--version']).status !== 0)('on a real terminal (script(1) gives the command one), asks and reads the answer', async () => {
    const { home, graph } = await place({ budgetPerRun: 0.001 });
    const command = [process.execPath, CLI, 'run', graph, '--endpoint', sandbox.url].map((a) => `'${a}'`).join(' ');
    // not spawnSync: the sandbox answering the child runs in this process
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, RUNWARE_API_KEY: '', WAN_GRAPH_HOME: home } });
    let seen = '';
    child.stdout.on('data', (b: Buffer) => (seen += b.toString()));
    child.stdin.end('n\n');
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(seen).toMatch(/Run 3 tasks for \$\d+\.\d{4}\? \[y\/N\]/);
    expect(seen).toContain('wan-graph: not run');
    expect(status).toBe(2);
    expect(await realJobs(home)).toEqual([]);
  }, 90_000);
});
