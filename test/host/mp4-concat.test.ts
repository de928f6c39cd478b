import { execFile } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeBeside, findFfmpeg } from '../../app/host/ffmpeg';
import { joinVideos } from '../../app/host/media/join';
import { topBoxes } from '../../app/host/media/mp4-boxes';
import { readMp4Header } from '../../app/host/media/mp4-header';
import { countingFfmpeg } from './counting-ffprobe';

// Alike clips joined in this process (./app/host/media/mp4-concat.ts): every frame of every part,
// the parts' own, in order, in an MP4 that plays from its start; no ffmpeg or ffprobe started.
// What the writer does not understand is left to ffmpeg's copy, and still joins.

const exec = promisify(execFile);
const ffmpeg = await findFfmpeg();
const why = ffmpeg && process.platform !== 'win32' ? '' : ' — skipped: no ffmpeg on this machine, or Windows (runs are counted by shell scripts)';
const skip = !!why;
const SLOW = 180_000;
let dir = '';
const at = (name: string) => join(dir, name);

/** A clip of ffmpeg's moving test picture at 160×96, 16 fps; `more` goes before the output. */
async function make(name: string, seconds: number, more: string[]): Promise<string> {
  await exec(ffmpeg!, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=160x96:r=16:d=${seconds}`, ...more, at(name)]);
  return at(name);
}
/** libx264's default preset: B-frames, so an edit that delays the start. */
const bframes = ['-c:v', 'libx264', '-g', '8', '-pix_fmt', 'yuv420p'];
/** ultrafast: no B-frames. */
const plain = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '8', '-pix_fmt', 'yuv420p'];
const sound = (seconds: number) => ['-f', 'lavfi', '-i', `sine=d=${seconds}`, '-c:a', 'aac'];

/** Each decoded frame's MD5, in order. */
async function frameHashes(file: string): Promise<string[]> {
  const { stdout } = await exec(ffmpeg!, ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', '-'], { maxBuffer: 16 << 20 });
  return stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').pop()!.trim());
}

/** Packets counted by ffprobe reading them all, the streams there are, and what ffmpeg says decoding every frame. */
async function check(file: string) {
  const { stdout: packets } = await exec(ffprobeBeside(ffmpeg!), ['-v', 'error', '-count_packets', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file]);
  const { stdout: streams } = await exec(ffprobeBeside(ffmpeg!), ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', file]);
  const { stderr } = await exec(ffmpeg!, ['-v', 'error', '-i', file, '-f', 'null', '-']);
  return { frames: Number(packets.trim()), streams: streams.trim().split('\n'), errors: stderr };
}

/** The file's top-level boxes, by type, in order. */
async function layout(file: string): Promise<string[]> {
  const fd = await open(file, 'r');
  try {
    return ((await topBoxes(fd, (await fd.stat()).size)) ?? []).map((b) => b.type);
  } finally {
    await fd.close();
  }
}

let counted = { ffmpeg: '', ffprobeRuns: async () => 0, ffmpegRuns: async () => 0 };
const runs = async () => ({ ffmpeg: await counted.ffmpegRuns(), ffprobe: await counted.ffprobeRuns() });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-mp4-concat-'));
  if (skip) return;
  await Promise.all([
    make('b-2s.mp4', 2, bframes),
    make('b-1s.mp4', 1, bframes),
    make('b-1.5s.mp4', 1.5, [...bframes, '-movflags', '+faststart']),
    make('p-2s.mp4', 2, plain),
    make('p-1s.mp4', 1, [...plain, '-movflags', '+faststart']),
    make('p-0.5s.mp4', 0.5, plain),
    make('bs-2s.mp4', 2, [...sound(2), ...bframes]),
    make('bs-1s.mp4', 1, [...sound(1), ...bframes]),
    make('ps-1s.mp4', 1, [...sound(1), ...plain]),
    make('ps-2s.mp4', 2, [...sound(2), ...plain]),
  ]);
  // the same frames as b-1s.mp4 without an edit: its start is not delayed (negative composition offsets instead)
  await exec(ffmpeg!, ['-nostdin', '-v', 'error', '-y', '-i', at('b-1s.mp4'), '-c', 'copy', '-movflags', 'negative_cts_offsets', at('b-1s-undelayed.mp4')]);
  counted = await countingFfmpeg(join(dir, 'counted'), ffmpeg!, { countFfmpeg: true });
}, SLOW);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe(`joining alike mp4 clips in this process${why}`, { timeout: SLOW }, () => {
  const sets = {
    'B-frames': ['b-2s.mp4', 'b-1s.mp4', 'b-1.5s.mp4', 'b-2s.mp4'],
    'no B-frames': ['p-2s.mp4', 'p-1s.mp4', 'p-0.5s.mp4'],
    'B-frames, with sound (dropped)': ['bs-1s.mp4', 'bs-2s.mp4'],
    'no B-frames, with sound (dropped)': ['ps-2s.mp4', 'ps-1s.mp4', 'ps-2s.mp4'],
  };
  for (const [name, names] of Object.entries(sets))
    it.skipIf(skip)(`${name}: every frame of every part, in order, index first, without starting ffmpeg or ffprobe`, async () => {
      const parts = names.map(at);
      const lengths = await Promise.all(parts.map(async (p) => (await readMp4Header(p))!));
      const frames = lengths.reduce((n, p) => n + p.frames, 0);
      const seconds = lengths.reduce((n, p) => n + p.duration, 0);
      const before = await runs();
      const out = at(`joined ${name}.mp4`);

      const result = await joinVideos(counted.ffmpeg, parts, {}, out);

      expect(await runs()).toEqual(before);
      expect(result).toMatchObject({ path: out, width: 160, height: 96, fps: 16, frames, conformed: [], copied: true });
      expect(result.duration).toBeCloseTo(seconds, 6);
      expect(await check(out)).toEqual({ frames, streams: ['video'], errors: '' });
      expect(await frameHashes(out)).toEqual((await Promise.all(parts.map(frameHashes))).flat());
      expect(await layout(out)).toEqual(['ftyp', 'moov', 'mdat']);
      const { stdout } = await exec(ffprobeBeside(ffmpeg!), ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out]);
      expect(Number(stdout)).toBeCloseTo(seconds, 3);
    });

  it.skipIf(skip)("the result reads as ffmpeg's copy of the same parts reads", async () => {
    for (const names of [sets['B-frames'], sets['no B-frames']]) {
      const parts = names.map(at);
      const ours = await joinVideos(counted.ffmpeg, parts, {}, at('ours.mp4'));
      expect(ours.copied).toBe(true);
      const list = join(dir, 'list.txt');
      await writeFile(list, parts.map((p) => `file '${p}'\n`).join(''));
      await exec(ffmpeg!, ['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v:0', '-c', 'copy', '-an', '-map_metadata', '-1', '-movflags', '+faststart', at('theirs.mp4')]);
      expect({ ...(await readMp4Header(at('ours.mp4'))), path: '' }).toEqual({ ...(await readMp4Header(at('theirs.mp4'))), path: '' });
    }
  });

  it.skipIf(skip)('an abort while the frames are copied leaves no file', async () => {
    const work = join(dir, 'abort');
    await mkdir(work);
    const big = await make('big.mp4', 2, ['-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '4', '-pix_fmt', 'yuv420p', '-s', '640x384']);
    const controller = new AbortController();
    // abort as soon as the join's temporary file appears: many parts still to copy
    const watcher = watch(work, (_event, name) => {
      if (name?.startsWith('.')) controller.abort();
    });
    try {
      const before = await runs();
      const outcome = await joinVideos(counted.ffmpeg, Array<string>(40).fill(big), { signal: controller.signal }, join(work, 'out.mp4')).then(
        () => 'finished',
        (e: Error) => e.name,
      );
      expect(outcome).toBe('AbortError');
      expect(controller.signal.aborted).toBe(true);
      expect(await runs()).toEqual(before);
    } finally {
      watcher.close();
    }
    expect(await readdir(work)).toEqual([]);
  });

  it.skipIf(skip)('parts it does not understand (their starts delayed differently) are copied by ffmpeg, and still join', async () => {
    const parts = [at('b-2s.mp4'), at('b-1s-undelayed.mp4'), at('b-1s.mp4')];
    const before = await runs();
    const out = at('joined-by-ffmpeg.mp4');
    const result = await joinVideos(counted.ffmpeg, parts, {}, out);
    expect(result).toMatchObject({ frames: 32 + 16 + 16, copied: true });
    expect((await runs()).ffmpeg).toBeGreaterThan(before.ffmpeg);
    expect(await check(out)).toEqual({ frames: 64, streams: ['video'], errors: '' });
    expect(await frameHashes(out)).toEqual((await Promise.all(parts.map(frameHashes))).flat());
  });
});
