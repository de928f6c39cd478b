import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../app/core/support/json';
import type { JournalEntry, JobRecord } from '../../app/host/jobs/types';
import { startSandbox } from '../../app/sandbox/server';
import { serializeGraph } from '../../app/core/save';
import { compile, loadFile } from '../helpers';
import { ECHO_KEY, echoGraph, leakForms, leaksInFiles, startEchoServer, tinyVideo } from '../runware/echo-server';

const CLI = join(process.cwd(), 'app/cli/wan-graph.mjs');
const run = (args: string[], env: Record<string, string>) =>
  promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, RUNWARE_API_KEY: '', ...env }, maxBuffer: 1 << 24 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

async function jobsIn(journalFile: string): Promise<JobRecord[]> {
  const jobs = new Map<string, JobRecord>();
  for (const line of (await readFile(journalFile, 'utf8')).split('\n').filter(Boolean)) {
    const e = parseJson(line) as unknown as JournalEntry;
    if (e.type === 'job') jobs.set(e.job.id, e.job);
    else Object.assign(jobs.get(e.id)!, e.patch);
  }
  return [...jobs.values()];
}

const probe = async (file: string) =>
  JSON.parse((await promisify(execFile)('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height,avg_frame_rate,nb_frames:format=duration', '-of', 'json', file])).stdout) as {
    streams: { codec_name: string; width: number; height: number; avg_frame_rate: string; nb_frames?: string }[];
    format: { duration: string };
  };

const GRAPHS = ['submerged-cathedral-choir-procession', 'wind-carved-canyon-pilgrims', 'volcanic-salt-flats-procession', 'aurora-ice-caravan-crossing', 'turbo-lantern-market-text-to-video', 'turbo-glacier-sunrise-first-last-frame'];
const RESOLUTIONS: Record<string, [number, number]> = { '480p': [832, 480], '580p': [1024, 576], '720p': [1280, 720] };

describe('wan-graph run', () => {
  it('with no key runs every example on the sandbox and writes videos of the requested size, fps and length', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-run-'));
    const files = GRAPHS.map((g) => `graphs/${g}.wgraph.json`);
    const result = await run(['run', ...files, '--concurrency', '3'], { WAN_GRAPH_HOME: home });
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain('No API key (RUNWARE_API_KEY is not set): running on the local sandbox endpoint');
    expect(result.out).toContain('6 of 6 jobs done');
    const jobs = await jobsIn(join(home, 'sandbox', 'journal.jsonl'));
    expect(jobs).toHaveLength(6);
    for (const file of files) {
      const request = compile(loadFile(file)).tasks[0]!.task;
      const job = jobs.find((j) => j.graphFile?.endsWith(file))!;
      expect(job.state).toBe('done');
      expect(job.results).toHaveLength((request.numberResults as number | undefined) ?? 1);
      const [width, height] = request.width ? [request.width, request.height] : RESOLUTIONS[request.resolution as string]!;
      const format = (request.outputFormat as string | undefined) ?? 'MP4';
      for (const r of job.results) {
        expect(r.file!.endsWith({ MP4: '.mp4', WEBM: '.webm', MOV: '.mov' }[format]!)).toBe(true);
        const { streams, format: container } = await probe(r.file!);
        const video = streams.find((s) => s.width)!;
        expect(video).toMatchObject({ codec_name: format === 'WEBM' ? 'vp9' : 'h264', width, height, avg_frame_rate: `${request.fps}/1` });
        expect(Number(container.duration)).toBeCloseTo(request.duration as number, 1);
      }
    }
  }, 180_000);

  it('never writes the API key into the journal, the library, the ledger, the output or error messages', async () => {
    const key = 'rw-SECRET-never-leak-8f3a9c1d2e4b6a7f';
    const wrong = 'rw-WRONG-key-also-secret-5b2c7d9e1f3a';
    const sandbox = await startSandbox({ generationMs: 300, apiKeys: [key] });
    const home = await mkdtemp(join(tmpdir(), 'wan-secret-'));
    try {
      const ok = await run(['run', 'graphs/turbo-lantern-market-text-to-video.wgraph.json', '--endpoint', sandbox.url], { WAN_GRAPH_HOME: home, RUNWARE_API_KEY: key });
      expect(ok.code, ok.out).toBe(0);
      const bad = await run(['run', 'graphs/volcanic-salt-flats-procession.wgraph.json', '--endpoint', sandbox.url], { WAN_GRAPH_HOME: home, RUNWARE_API_KEY: wrong });
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('Invalid API key');
      const listing = await run(['jobs'], { WAN_GRAPH_HOME: home, RUNWARE_API_KEY: key });
      let searched = 0;
      for (const entry of await readdir(home, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const bytes = await readFile(join(entry.parentPath, entry.name));
        searched++;
        expect(bytes.includes(key), entry.name).toBe(false);
        expect(bytes.includes(wrong), entry.name).toBe(false);
      }
      expect(searched).toBeGreaterThanOrEqual(5); // journal, ledger, index, videos, provenance
      for (const text of [ok.out, bad.out, listing.out]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(wrong);
      }
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  it('never prints or stores the API key when the service echoes it in every field', async () => {
    const server = await startEchoServer(await tinyVideo());
    const home = await mkdtemp(join(tmpdir(), 'wan-echo-'));
    const graph = join(home, 'echo.wgraph.json');
    await writeFile(graph, serializeGraph(echoGraph()));
    try {
      const ran = await run(['run', graph, '--endpoint', server.url], { WAN_GRAPH_HOME: home, RUNWARE_API_KEY: ECHO_KEY });
      expect(ran.out).toContain('1 of 3 jobs done');
      expect(ran.out).toContain('[api key]');
      const listing = await run(['jobs'], { WAN_GRAPH_HOME: home, RUNWARE_API_KEY: ECHO_KEY });
      for (const text of [ran.out, listing.out]) expect(leakForms(ECHO_KEY).filter((form) => text.includes(form))).toEqual([]);
      const files = await leaksInFiles(home, ECHO_KEY);
      expect(files.searched).toBeGreaterThanOrEqual(5);
      expect(files.leaks).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('runs a chain example step by step: each shot after the last frame of the one before, then the joined film, all kept in the folder --out chose', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-chain-'));
    const file = 'graphs/chain-turbo-three-shot-journey.wgraph.json';
    const out = join(home, 'renders');
    const result = await run(['run', file, '--out', out], { WAN_GRAPH_HOME: home });
    expect(result.code, result.out).toBe(0);
    const plan = compile(loadFile(file));
    // every step, in an order its needs allow
    const first = (id: string) => result.out.indexOf(`step ${id} (`);
    for (const step of [...plan.tasks.map((t) => ({ id: t.step, needs: t.needs })), ...plan.steps])
      for (const need of step.needs) {
        expect(first(need)).toBeGreaterThanOrEqual(0);
        expect(first(need)).toBeLessThan(first(step.id));
      }
    expect(result.out).toContain('3 of 3 jobs done');
    const film = /6 of 6 steps done; joined: (.+\.mp4)/.exec(result.out)?.[1];
    expect(film, result.out).toBeDefined();
    // three parts of 5 s at 16 fps, two cross-fades of 8 frames
    const { streams } = await probe(film!);
    expect(Number(streams[0]!.nb_frames)).toBe(3 * 80 - 2 * 8);
    const jobs = await jobsIn(join(home, 'sandbox', 'journal.jsonl'));
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done', 'done']);
    // the folder is kept with each job and the plan, so a resume saves there too
    expect(film!.startsWith(out + '/')).toBe(true);
    expect(jobs.map((j) => j.libraryDir)).toEqual([out, out, out]);
    for (const j of jobs) expect(j.results[0]!.file!.startsWith(out + '/')).toBe(true);
    // shots 2 and 3 were sent with the frame taken, uploaded: no placeholder left in what was sent
    expect(jobs.every((j) => !JSON.stringify(j.payload).includes('$step'))).toBe(true);
  }, 120_000);
});
