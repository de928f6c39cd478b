import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { joinVideos } from '../../app/host/media/join';
import { Library } from '../../app/host/jobs/library';
import { PlanRunner } from '../../app/host/jobs/plan-runner';
import { JobRunner } from '../../app/host/jobs/runner';
import { RunwareClient } from '../../app/runware/client';
import { chainGraph } from '../host/runner-helpers';
import { median, round } from './stats';

// Chains: a chain of 10 shots against the sandbox (in its own process) with 2 s of generation
// each — wall time against the ideal (the sum of the generations, as each shot waits for the one
// before) and what each link adds (submit, poll, download, take the frame, upload it); and joining
// 10 clips of 6 s at 1280×720 against ffmpeg's concat run by hand with the same encoder settings.

export async function benchChain(shots = 10, generationMs = 2000) {
  const child = fork(fileURLToPath(new URL('./sandbox-child.ts', import.meta.url)), [String(generationMs)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { url: string }).url)));
  const dataDir = await mkdtemp(join(tmpdir(), 'wan-bench-chain-'));
  const client = new RunwareClient({ baseUrl: url });
  const runner = await JobRunner.open({ client, dataDir, library: new Library(join(dataDir, 'library'), 'ffmpeg'), concurrency: 2, firstPollMs: 250, pollCapMs: 500 });
  try {
    // the sandbox renders each video shape once: a first chain warms it, the second is measured
    for (const measured of [false, true]) {
      const { doc, compiled } = chainGraph(measured ? shots : 2, { size: [832, 480] });
      const plans = await PlanRunner.open({ runner, dataDir: join(dataDir, measured ? 'measured' : 'warm-up'), ffmpeg: 'ffmpeg' });
      const start = performance.now();
      const plan = await plans.start(randomUUID(), { compiled, graph: doc });
      const states = await plans.settled(plan.id);
      const wallMs = performance.now() - start;
      if (![...states.values()].every((s) => s.state === 'done')) throw new Error(`the chain did not finish: ${JSON.stringify([...states])}`);
      if (!measured) continue;
      const idealMs = shots * generationMs;
      const ratio = wallMs / idealMs;
      return { shots, generationMs, wallMs: Math.round(wallMs), idealMs, ratio: round(ratio, 3), linkOverheadMs: Math.round((wallMs - idealMs) / shots), targetRatio: 1.15, met: ratio <= 1.15 };
    }
    throw new Error('unreachable');
  } finally {
    await runner.close();
    await client.close();
    child.send('stop');
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchJoin(clips = 10, seconds = 6, runs = 3) {
  const dir = await mkdtemp(join(tmpdir(), 'wan-bench-join-'));
  try {
    const parts: string[] = [];
    for (let k = 0; k < clips; k++) {
      const part = join(dir, `part-${k}.mp4`);
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=16:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', part]);
      parts.push(part);
    }
    const list = join(dir, 'parts.txt');
    await writeFile(list, parts.map((p) => `file '${p}'\n`).join(''));
    const joinMs: number[] = [];
    const byHandMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      let t = performance.now();
      await joinVideos('ffmpeg', parts, {}, join(dir, `joined-${run}.mp4`));
      joinMs.push(performance.now() - t);
      t = performance.now();
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-an', '-y', join(dir, `by-hand-${run}.mp4`)]);
      byHandMs.push(performance.now() - t);
    }
    const ratio = median(joinMs) / median(byHandMs);
    return { clips, seconds, size: '1280x720', runs, medianMs: Math.round(median(joinMs)), byHandMedianMs: Math.round(median(byHandMs)), ratio: round(ratio, 3), targetRatio: 1.2, met: ratio <= 1.2 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function chainRows(chain: Awaited<ReturnType<typeof benchChain>>, joined: Awaited<ReturnType<typeof benchJoin>>): string[][] {
  return [
    [
      `chain: ${chain.shots} shots × ${chain.generationMs / 1000} s generation, each after the last frame of the one before`,
      `${(chain.wallMs / 1000).toFixed(1)} s`,
      '—',
      `≤ 1.15 × ideal ${chain.idealMs / 1000} s; ${chain.linkOverheadMs} ms per link (submit, poll, download, frame, upload)`,
      `${chain.ratio}× ${chain.met ? 'met' : 'MISSED'}`,
    ],
    [
      `join: ${joined.clips} clips of ${joined.seconds} s at ${joined.size}`,
      `${(joined.medianMs / 1000).toFixed(1)} s`,
      '—',
      `≤ 1.2 × ffmpeg concat by hand (${(joined.byHandMedianMs / 1000).toFixed(1)} s)`,
      `${joined.ratio}× ${joined.met ? 'met' : 'MISSED'}`,
    ],
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const chain = await benchChain();
  const joined = await benchJoin();
  for (const row of chainRows(chain, joined)) console.log(row.join('  |  '));
}
