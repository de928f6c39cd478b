import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { joinVideos } from '../../app/host/media/join';
import { Library } from '../../app/host/jobs/library';
import { PlanRunner } from '../../app/host/jobs/plan-runner';
import { JobRunner } from '../../app/host/jobs/runner';
import type { JobEvent } from '../../app/host/jobs/types';
import { RunwareClient } from '../../app/runware/client';
import { chainGraph } from '../host/runner-helpers';
import { median, round } from './stats';

// Chains: a chain of 10 shots against the sandbox (in its own process) with 2 s of generation
// each — wall time against the ideal (the sum of the generations, as each shot waits for the one
// before) and what each link adds (download and store, take the frame, upload and submit); and
// joining 10 clips of 6 s at 1280×720 against ffmpeg's concat run by hand.
//
// Measured as an artist meets them: every measured chain has seeds of its own, so each of its
// shots is generated (none reused from the warm-up or an earlier run); every join gets fresh
// copies of its clips, so nothing remembered of an earlier join (ffprobe's answers) helps it.

export async function benchChain(shots = 10, generationMs = 2000, runs = 3) {
  const child = fork(fileURLToPath(new URL('./sandbox-child.ts', import.meta.url)), [String(generationMs)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { url: string }).url)));
  const dataDir = await mkdtemp(join(tmpdir(), 'wan-bench-chain-'));
  const client = new RunwareClient({ baseUrl: url });
  // when each job reached each state, to split a link into its parts
  const seen = new Map<string, Map<string, number>>();
  const onEvent = (e: JobEvent) => {
    let states = seen.get(e.id);
    if (!states) seen.set(e.id, (states = new Map()));
    if (!states.has(e.state)) states.set(e.state, performance.now());
  };
  const runner = await JobRunner.open({ client, dataDir, library: new Library(join(dataDir, 'library'), 'ffmpeg'), concurrency: 2, firstPollMs: 250, pollCapMs: 500, onEvent });
  try {
    const wallMs: number[] = [];
    const parts = { waitMs: [] as number[], saveMs: [] as number[], frameMs: [] as number[], submitMs: [] as number[], joinMs: [] as number[] };
    // the sandbox renders each video shape once: a short chain warms it, with seeds no measured chain uses
    for (let run = -1; run < runs; run++) {
      const measured = run >= 0;
      const { doc, compiled } = chainGraph(measured ? shots : 2, { size: [832, 480], seed: 10_000 * (run + 2) });
      const stepDone = new Map<string, number>();
      const plans = await PlanRunner.open({ runner, dataDir: join(dataDir, `plans-${run}`), ffmpeg: 'ffmpeg', onStep: (_p, step, state) => state.state === 'done' && stepDone.set(step, performance.now()) });
      const start = performance.now();
      const plan = await plans.start(randomUUID(), { compiled, graph: doc });
      const states = await plans.settled(plan.id);
      const ms = performance.now() - start;
      await plans.close();
      if (![...states.values()].every((s) => s.state === 'done')) throw new Error(`the chain did not finish: ${JSON.stringify([...states])}`);
      const jobs = plan.tasks.map((t) => runner.get(states.get(t.step)!.jobId!)!);
      const reused = jobs.filter((j) => j.reusedFrom !== undefined || j.submittedAt === undefined);
      if (reused.length) throw new Error(`${reused.length} of the chain's shots were not generated (reused): the measurement would flatter the chain`);
      if (!measured) continue;
      wallMs.push(ms);
      // a link: the service's answer beyond the generation (the sandbox's own time, the poll's wait),
      // the shot's result saved after the service finished, its last frame taken, the next shot submitted
      for (const [k, t] of plan.tasks.entries()) {
        const at = seen.get(jobs[k]!.id)!;
        const frame = plan.steps.find((s) => s.kind === 'frame' && 'step' in s.video && s.video.step === t.step);
        const next = plan.tasks[k + 1];
        parts.waitMs.push(at.get('downloading')! - at.get('processing')! - generationMs);
        parts.saveMs.push(at.get('done')! - at.get('downloading')!);
        if (frame && next) {
          parts.frameMs.push(stepDone.get(frame.id)! - at.get('done')!);
          parts.submitMs.push(seen.get(jobs[k + 1]!.id)!.get('processing')! - stepDone.get(frame.id)!);
        }
      }
      const joined = plan.steps.filter((s) => s.kind === 'join').map((s) => stepDone.get(s.id)!);
      parts.joinMs.push(Math.max(...joined) - Math.max(...jobs.map((j) => seen.get(j.id)!.get('done')!)));
    }
    const idealMs = shots * generationMs;
    const ratio = median(wallMs) / idealMs;
    return {
      shots,
      generationMs,
      runs,
      wallMs: Math.round(median(wallMs)),
      wallRunsMs: wallMs.map(Math.round),
      idealMs,
      ratio: round(ratio, 3),
      linkOverheadMs: Math.round((median(wallMs) - idealMs) / shots),
      link: { answerMs: Math.round(median(parts.waitMs)), saveMs: Math.round(median(parts.saveMs)), frameMs: Math.round(median(parts.frameMs)), submitMs: Math.round(median(parts.submitMs)) },
      finalJoinMs: Math.round(median(parts.joinMs)),
      targetRatio: 1.15,
      met: ratio <= 1.15,
    };
  } finally {
    await runner.close();
    await client.close();
    child.send('stop');
    await rm(dataDir, { recursive: true, force: true });
  }
}

const copies = async (parts: readonly string[], dir: string) => {
  await mkdir(dir);
  return Promise.all(parts.map(async (p, k) => {
    const to = join(dir, `part-${k}.mp4`);
    await copyFile(p, to);
    return to;
  }));
};

const concatList = async (parts: readonly string[], dir: string) => {
  const list = join(dir, 'parts.txt');
  await writeFile(list, parts.map((p) => `file '${p}'\n`).join(''));
  return list;
};

export async function benchJoin(clips = 10, seconds = 6, runs = 5) {
  const dir = await mkdtemp(join(tmpdir(), 'wan-bench-join-'));
  try {
    const sources: string[] = [];
    for (let k = 0; k < clips; k++) {
      const part = join(dir, `source-${k}.mp4`);
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=16:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', part]);
      sources.push(part);
    }
    const joinMs: number[] = [];
    const copyByHandMs: number[] = [];
    const encodeByHandMs: number[] = [];
    let copied: boolean | undefined;
    for (let run = 0; run < runs; run++) {
      // each side reads clips just written, as an artist's join reads clips just downloaded
      const ours = await copies(sources, join(dir, `ours-${run}`));
      const byHand = await concatList(await copies(sources, join(dir, `by-hand-${run}`)), join(dir, `by-hand-${run}`));
      const measures = [
        async () => {
          const t = performance.now();
          copied = (await joinVideos('ffmpeg', ours, {}, join(dir, `joined-${run}.mp4`))).copied;
          joinMs.push(performance.now() - t);
        },
        () => {
          const t = performance.now();
          execFileSync('ffmpeg', ['-v', 'error', '-f', 'concat', '-safe', '0', '-i', byHand, '-c', 'copy', '-an', '-y', join(dir, `by-hand-copy-${run}.mp4`)]);
          copyByHandMs.push(performance.now() - t);
        },
        () => {
          const t = performance.now();
          execFileSync('ffmpeg', ['-v', 'error', '-f', 'concat', '-safe', '0', '-i', byHand, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-an', '-y', join(dir, `by-hand-encode-${run}.mp4`)]);
          encodeByHandMs.push(performance.now() - t);
        },
      ];
      // in turn first, so that neither side always meets a machine the other has just warmed
      for (let i = 0; i < measures.length; i++) await measures[(i + run) % measures.length]!();
    }
    // like with like: a join that copied the clips against ffmpeg copying them, one that encoded against ffmpeg encoding
    const byHandMs = copied ? copyByHandMs : encodeByHandMs;
    const ratio = median(joinMs) / median(byHandMs);
    return {
      clips,
      seconds,
      size: '1280x720',
      runs,
      copied: copied === true,
      medianMs: Math.round(median(joinMs)),
      firstMs: Math.round(joinMs[0]!),
      byHandMedianMs: Math.round(median(byHandMs)),
      byHandCopyMedianMs: Math.round(median(copyByHandMs)),
      byHandEncodeMedianMs: Math.round(median(encodeByHandMs)),
      ratio: round(ratio, 3),
      targetRatio: 1.2,
      met: ratio <= 1.2,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function chainRows(chain: Awaited<ReturnType<typeof benchChain>>, joined: Awaited<ReturnType<typeof benchJoin>>): string[][] {
  return [
    [
      `chain: ${chain.shots} shots × ${chain.generationMs / 1000} s generation, each after the last frame of the one before (median of ${chain.runs})`,
      `${(chain.wallMs / 1000).toFixed(1)} s`,
      '—',
      `≤ 1.15 × ideal ${chain.idealMs / 1000} s; ${chain.linkOverheadMs} ms per link (answer ${chain.link.answerMs}, save ${chain.link.saveMs}, frame ${chain.link.frameMs}, upload + submit ${chain.link.submitMs}); final join ${chain.finalJoinMs} ms`,
      `${chain.ratio}× ${chain.met ? 'met' : 'MISSED'}`,
    ],
    [
      `join: ${joined.clips} clips of ${joined.seconds} s at ${joined.size} (${joined.copied ? 'copied' : 'encoded'}; first join ${(joined.firstMs / 1000).toFixed(2)} s)`,
      `${(joined.medianMs / 1000).toFixed(2)} s`,
      '—',
      `≤ 1.2 × ffmpeg concat by hand, ${joined.copied ? 'copying' : 'encoding'} (${(joined.byHandMedianMs / 1000).toFixed(2)} s; copying ${(joined.byHandCopyMedianMs / 1000).toFixed(2)} s, encoding ${(joined.byHandEncodeMedianMs / 1000).toFixed(2)} s)`,
      `${joined.ratio}× ${joined.met ? 'met' : 'MISSED'}`,
    ],
  ];
}

// `npx tsx test/bench/chain-bench.ts [chain|join]`: one of them, or both
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv[2];
  const chain = only === 'join' ? undefined : await benchChain();
  const joined = only === 'chain' ? undefined : await benchJoin();
  if (chain) console.log(JSON.stringify(chain));
  if (joined) console.log(JSON.stringify(joined));
  if (chain && joined) for (const row of chainRows(chain, joined)) console.log(row.join('  |  '));
}
