import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../app/host/ffmpeg';
import { PlanRunner } from '../../app/host/jobs/plan-runner';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { chainGraph, openRunner } from './runner-helpers';

// A chain run end to end against the sandbox: each shot after the last frame of the one before,
// the frames taken and the clips joined here, every task sent once, and what follows a failure
// never sent.

const ffmpeg = await findFfmpeg();

let sandbox: SandboxServer;
beforeAll(async () => {
  if (ffmpeg) sandbox = await startSandbox({ generationMs: 100, ffmpegPath: ffmpeg });
});
afterAll(() => sandbox?.close());

/**
 * How alike frame `a` of one video and frame `b` of another are, in dB (PSNR), over the middle of
 * the picture: the sandbox draws its marks and captions near the edges of every video.
 */
function likeness(one: string, a: number, other: string, b: number): number {
  const middle = 'crop=iw/2:ih/2:iw/4:ih/4';
  const { stderr } = spawnSync('ffmpeg', ['-v', 'info', '-nostats', '-i', one, '-i', other, '-lavfi', `[0:v]select=eq(n\\,${a}),setpts=PTS-STARTPTS,${middle}[x];[1:v]select=eq(n\\,${b}),setpts=PTS-STARTPTS,${middle}[y];[x][y]psnr`, '-frames:v', '1', '-f', 'null', '-'], { encoding: 'utf8' });
  return Number(/average:(\S+)/.exec(stderr)![1]);
}

const frameCount = (file: string) => Number(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]).toString().trim());

/** The last frame of a video as RGB bytes. */
const lastFrame = (file: string) => execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'reverse', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });

describe.skipIf(!ffmpeg)('a plan of dependent steps (needs ffmpeg)', () => {
  it('runs a three-shot chain: every task once, each after the last frame of the one before, joined into one clip', async () => {
    // large enough that the sandbox's marks and captions leave the middle of the picture free
    const { doc, compiled } = chainGraph(3, { crossfade: 4, size: [480, 272] });
    const r = await openRunner(sandbox.url);
    try {
      const plans = await PlanRunner.open({ runner: r.runner, dataDir: r.dataDir, ffmpeg });
      const plan = await plans.start(randomUUID(), { compiled, graph: doc, graphName: 'chain test' });
      const states = await plans.settled(plan.id);
      expect([...states.values()].map((s) => s.state)).toEqual(Array(6).fill('done'));
      // each task reached the service once, shots 2 and 3 with the frame taken from the one before
      for (const t of compiled.tasks) expect(sandbox.service.submissions.get(t.task.taskUUID as string)).toBe(1);
      const frames = compiled.steps.filter((s) => s.kind === 'frame');
      for (const f of frames) expect((await stat(states.get(f.id)!.output!)).size).toBeGreaterThan(100);
      const second = r.runner.get(compiled.tasks[1]!.task.taskUUID as string)!;
      expect(JSON.stringify(second.payload)).not.toContain('$step');
      // 3 clips of 16 frames, two cross-fades of 4
      const film = states.get(compiled.steps.find((s) => s.kind === 'join')!.id)!.output!;
      expect(frameCount(film)).toBe(3 * 16 - 2 * 4);
      expect(Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', film]).toString())).toBeCloseTo((3 * 16 - 2 * 4) / 16, 1);
      // the first frame of shots 2 and 3 is the last frame of the shot before (compared as pictures)
      const clips = compiled.tasks.map((t) => r.runner.get(t.task.taskUUID as string)!.results[0]!.file!);
      for (const k of [1, 2]) {
        const last = frameCount(clips[k - 1]!) - 1;
        const same = likeness(clips[k]!, 0, clips[k - 1]!, last);
        expect(same).toBeGreaterThan(40);
        // closer than to any other frame of it: its first (each shot drifts slowly from where it starts)
        expect(likeness(clips[k]!, 0, clips[k - 1]!, 0)).toBeLessThan(same - 3);
      }
      const entry = JSON.parse(await readFile(film.replace(/\.mp4$/, '.json'), 'utf8')) as { format: string; parts: string[] };
      expect(entry.format).toBe('wan-graph-sequence');
      expect(entry.parts).toEqual(compiled.tasks.map((t) => r.runner.get(t.task.taskUUID as string)!.results[0]!.file));
    } finally {
      await r.close();
    }
  }, 120_000);

  it('joins shots alike without a cross-fade by copying them: the film is every frame of every shot, with the same record', async () => {
    const { doc, compiled } = chainGraph(2, { size: [480, 272] });
    const r = await openRunner(sandbox.url);
    try {
      const plans = await PlanRunner.open({ runner: r.runner, dataDir: r.dataDir, ffmpeg });
      const plan = await plans.start(randomUUID(), { compiled, graph: doc, graphName: 'chain test' });
      const states = await plans.settled(plan.id);
      expect([...states.values()].map((s) => s.state)).toEqual(Array(4).fill('done'));
      const joined = states.get(compiled.steps.find((s) => s.kind === 'join')!.id)!;
      // nothing was fitted, so there is nothing to say
      expect(joined.note).toBeUndefined();
      const clips = compiled.tasks.map((t) => r.runner.get(t.task.taskUUID as string)!.results[0]!.file!);
      expect(frameCount(joined.output!)).toBe(frameCount(clips[0]!) + frameCount(clips[1]!));
      expect(spawnSync('ffmpeg', ['-v', 'error', '-i', joined.output!, '-f', 'null', '-'], { encoding: 'utf8' }).stderr).toBe('');
      // shot 2's own last frame ends the film, not a picture encoded again from it
      expect(lastFrame(joined.output!).equals(lastFrame(clips[1]!))).toBe(true);
      const entry = JSON.parse(await readFile(joined.output!.replace(/\.mp4$/, '.json'), 'utf8')) as Record<string, unknown>;
      expect(entry).toMatchObject({ format: 'wan-graph-sequence', parts: clips, crossfadeFrames: 0, conformed: [], frames: 32 });
      expect(Object.keys(entry).sort()).toEqual(['conformed', 'crossfadeFrames', 'duration', 'format', 'frames', 'graph', 'graphName', 'nodeId', 'parts', 'plan', 'step'].sort());
    } finally {
      await r.close();
    }
  }, 120_000);

  it("takes a shot's last frame from its download while the shot is stored, and records it only once the shot is saved", async () => {
    const { doc, compiled } = chainGraph(2, { size: [480, 272] });
    const r = await openRunner(sandbox.url);
    try {
      const frame = compiled.steps.find((s) => s.kind === 'frame')!;
      const shot = compiled.tasks[0]!;
      const seen: string[] = [];
      let png = '';
      const plans = await PlanRunner.open({
        runner: r.runner,
        dataDir: r.dataDir,
        ffmpeg,
        onStep: (plan, step, state, states) => {
          png = join(r.dataDir, 'steps', plan.id, `${frame.id.replace(/[^\w.@-]/g, '_')}.png`);
          // when the shot is recorded saved, its frame is already on disk, but not yet recorded taken
          if (step === shot.step && state.state === 'done') seen.push(`shot saved; frame ${existsSync(png) ? 'on disk' : 'missing'}, ${states.get(frame.id)!.state}`);
          if (step === frame.id) seen.push(`frame ${state.state}`);
        },
      });
      const plan = await plans.start(randomUUID(), { compiled, graph: doc });
      const states = await plans.settled(plan.id);
      expect([...states.values()].every((s) => s.state === 'done')).toBe(true);
      expect(seen).toEqual(['shot saved; frame on disk, waiting', 'frame done']);
      expect(states.get(frame.id)!.output).toBe(png);
      // the frame is the saved shot's last, exactly
      const saved = r.runner.get(shot.task.taskUUID as string)!.results[0]!.file!;
      const { stdout } = spawnSync('ffmpeg', ['-v', 'error', '-i', png, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
      expect(stdout.equals(lastFrame(saved))).toBe(true);
      // and the next shot started from it
      expect(sandbox.service.submissions.get(compiled.tasks[1]!.task.taskUUID as string)).toBe(1);
    } finally {
      await r.close();
    }
  }, 120_000);

  it('sends nothing that waits for a failed step, and says which node blocked it', async () => {
    const { doc, compiled, vis } = chainGraph(2, { first: '/nowhere/opening.mp4' });
    const r = await openRunner(sandbox.url);
    try {
      const plans = await PlanRunner.open({ runner: r.runner, dataDir: r.dataDir, ffmpeg });
      const plan = await plans.start(randomUUID(), { compiled, graph: doc });
      const states = await plans.settled(plan.id);
      const frameOfFile = compiled.steps.find((s) => s.kind === 'frame' && 'file' in s.video)!;
      expect(states.get(frameOfFile.id)).toMatchObject({ state: 'failed', reason: expect.stringContaining('/nowhere/opening.mp4') });
      for (const t of compiled.tasks) {
        expect(states.get(t.step)).toMatchObject({ state: 'blocked', reason: expect.stringMatching(/^blocked by node \d+: /) });
        expect(sandbox.service.submissions.get(t.task.taskUUID as string)).toBeUndefined();
      }
      expect(states.get(`task:${vis[1]}`)!.reason).toContain(`blocked by node ${frameOfFile.nodeId}`);
    } finally {
      await r.close();
    }
  }, 60_000);

  it('started again after it stopped, goes on from where it was and sends nothing twice', async () => {
    const { doc, compiled } = chainGraph(2);
    const first = await openRunner(sandbox.url);
    const id = randomUUID();
    const plans = await PlanRunner.open({ runner: first.runner, dataDir: first.dataDir, ffmpeg });
    await plans.start(id, { compiled, graph: doc });
    // stopped once shot 1 is done, before or while its frame is taken or shot 2 runs
    await expect.poll(() => plans.states(id).get(compiled.tasks[0]!.step)?.state, { timeout: 60_000 }).toBe('done');
    await plans.close();
    await first.close();

    const again = await openRunner(sandbox.url, { dataDir: first.dataDir });
    try {
      await again.runner.resume();
      const resumed = await PlanRunner.open({ runner: again.runner, dataDir: again.dataDir, ffmpeg });
      expect(resumed.resume().map((p) => p.id)).toEqual([id]);
      const states = await resumed.settled(id);
      expect([...states.values()].map((s) => s.state)).toEqual(Array(4).fill('done'));
      for (const t of compiled.tasks) expect(sandbox.service.submissions.get(t.task.taskUUID as string)).toBe(1);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('under 30% injected faults and a corrupt download, every step ends with its reason and nothing after a failure is sent', async () => {
    const faulty = await startSandbox({
      generationMs: 150,
      ffmpegPath: ffmpeg,
      faults: { rate429: 0.08, rate5xx: 0.08, dropRate: 0.05, timeoutRate: 0.03, lostAckRate: 0.06, download502Rate: 0.1 },
      faultSeed: 20261202,
    });
    // seeds of their own: no chain reuses another's results
    const chains = Array.from({ length: 5 }, (_, k) => chainGraph(3, { crossfade: 2, seed: 1000 + 10 * k }));
    const r = await openRunner(faulty.url, { concurrency: 8 });
    try {
      // the first result of chain 0's first shot is spoilt on disk as soon as it is downloaded
      // (before its frame can be taken from it, early or from the library)
      const spoilt = chains[0]!.compiled.tasks[0]!;
      r.runner.readDownloads((job, index, file) => {
        if (job.id === spoilt.task.taskUUID && index === 0) writeFileSync(file, 'not a video any more');
        return undefined;
      });
      const plans = await PlanRunner.open({ runner: r.runner, dataDir: r.dataDir, ffmpeg });
      const started = await Promise.all(chains.map(({ doc, compiled }) => plans.start(randomUUID(), { compiled, graph: doc })));
      const outcomes = await Promise.all(started.map((p) => plans.settled(p.id)));
      for (const [k, states] of outcomes.entries()) {
        for (const [step, s] of states) {
          expect(['done', 'failed', 'blocked'], `${k} ${step}`).toContain(s.state);
          if (s.state !== 'done') expect(s.reason, `${k} ${step}`).toBeTruthy();
        }
        // a task sent at most once; one after a failure not at all
        for (const t of chains[k]!.compiled.tasks) {
          const sent = faulty.service.submissions.get(t.task.taskUUID as string);
          expect(sent ?? 0).toBeLessThanOrEqual(1);
          if (states.get(t.step)!.state === 'blocked') expect(sent).toBeUndefined();
        }
      }
      const first = outcomes[0]!;
      const frame = chains[0]!.compiled.steps.find((s) => s.kind === 'frame' && s.needs.includes(spoilt.step))!;
      expect(first.get(frame.id)).toMatchObject({ state: 'failed' });
      expect(first.get(chains[0]!.compiled.tasks[1]!.step)).toMatchObject({ state: 'blocked', reason: expect.stringContaining(`blocked by node ${frame.nodeId}`) });
      expect(first.get(chains[0]!.compiled.tasks[2]!.step)!.state).toBe('blocked');
      // the faults cost retries, not chains: the others end done
      const done = outcomes.slice(1).filter((states) => [...states.values()].every((s) => s.state === 'done')).length;
      expect(done).toBeGreaterThanOrEqual(3);
      const { injected, requests } = faulty.stats;
      expect((injected['429'] + injected['5xx'] + injected.drop + injected.timeout + injected.lostAck) / requests).toBeGreaterThan(0.15);
    } finally {
      await r.close();
      await faulty.close();
    }
  }, 180_000);
});
