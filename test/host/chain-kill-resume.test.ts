import { execFileSync } from 'node:child_process';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeGraph } from '../../app/core/save';
import { findFfmpeg } from '../../app/host/ffmpeg';
import { unfinishedPlans } from '../../app/host/jobs/plan-runner';
import { startSandbox } from '../../app/sandbox/server';
import { GraphBuilder } from '../helpers';
import { journalJobs, sleep, startCli } from './cli-process';

// A 4-shot chain with 2 results per shot and a sweep of 2 seeds on shot 1 (two chains of four
// tasks, six frames taken, two films joined), run by the command line and killed (SIGKILL) at
// random moments, five times over; each start after a kill is `jobs --resume`. In the end every
// video and both films are on disk, and the service saw each taskUUID exactly once.

const ffmpeg = await findFfmpeg();

function fourShots() {
  const g = new GraphBuilder();
  g.doc.name = 'four shots';
  const m = g.node('Model', { model: 'runware:200@8' });
  let previous: number | undefined;
  let seq: number | undefined;
  for (let k = 0; k < 4; k++) {
    const p = g.node('Prompt', { text: `shot ${k + 1}: a kite over the dunes` });
    const vi = g.node('VideoInference', { width: 128, height: 64, duration: 1, fps: 16, steps: 8, numberResults: 2, seed: 900 + k });
    g.link(m, 'model', vi, 'model');
    g.link(p, 'text', vi, 'positive');
    if (k === 0) g.link(g.node('Values', { values: '11, 12' }), 'values', vi, 'seed');
    if (previous !== undefined) {
      const f = g.node('FrameFromVideo', { take: 'last', frame: 'first', result: 2 });
      g.link(previous, 'video', f, 'video');
      g.link(f, 'frames', vi, 'frames');
    }
    const s = g.node('Sequence', { crossfade: 2 });
    if (seq !== undefined) g.link(seq, 'parts', s, 'parts');
    g.link(vi, 'video', s, 'video');
    seq = s;
    previous = vi;
  }
  return g.doc;
}

const frameCount = (file: string) => Number(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]).toString().trim());

describe.skipIf(!ffmpeg)('a chain killed and resumed (needs ffmpeg)', () => {
  it('SIGKILL at random moments, five times: every video and both films on disk, no task sent twice', async () => {
    // each video carries its own task's values, so no two frames, and no two later shots, are alike
    const sandbox = await startSandbox({ generationMs: 500, ffmpegPath: ffmpeg });
    const home = await mkdtemp(join(tmpdir(), 'wan-chain-kill-'));
    const graphFile = join(home, 'four-shots.wgraph.json');
    await writeFile(graphFile, serializeGraph(fourShots()));
    const endpoint = ['--endpoint', sandbox.url, '--concurrency', '4'];
    let random = 11;
    const nextDelay = () => ((random = (random * 48271) % 2147483647), 300 + (random % 2500));
    try {
      let proc = startCli(['run', graphFile, ...endpoint, '--yes'], home);
      for (let i = 0; i < 200 && !(await readFile(join(home, 'plans.jsonl'), 'utf8').catch(() => '')); i++) await sleep(50);
      const stepsAtKill: number[] = [];
      for (let kill = 0; kill < 5; kill++) {
        await Promise.race([sleep(nextDelay()), proc.exited]);
        proc.child.kill('SIGKILL');
        await proc.exited;
        stepsAtKill.push((await unfinishedPlans(home)).length);
        proc = startCli(['jobs', '--resume', ...endpoint], home);
      }
      // the kills did land in the middle of the chains
      expect(stepsAtKill.filter((n) => n > 0).length, String(stepsAtKill)).toBeGreaterThanOrEqual(2);
      const code = await Promise.race([proc.exited, sleep(120_000).then(() => 'timeout')]);
      expect(code, proc.output()).toBe(0);
      expect(await unfinishedPlans(home)).toEqual([]);

      const jobs = [...(await journalJobs(home)).values()];
      expect(jobs).toHaveLength(8);
      for (const job of jobs) {
        expect(job.state, `${job.id}: ${JSON.stringify(job.error)}`).toBe('done');
        expect(job.results).toHaveLength(2);
        for (const r of job.results) await access(r.file!);
        expect(sandbox.service.submissions.get(job.id)).toBe(1);
      }
      // both films: four parts of 16 frames, three cross-fades of 2
      const films = (await readFile(join(home, 'plans.jsonl'), 'utf8')).match(/[^"]*-film-[0-9a-f]{8}\.mp4/g) ?? [];
      const distinct = [...new Set(films)];
      expect(distinct).toHaveLength(2);
      for (const film of distinct) expect(frameCount(film)).toBe(4 * 16 - 3 * 2);
    } finally {
      await sandbox.close();
    }
  }, 300_000);
});
