import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeBeside, findFfmpeg } from '../../app/host/ffmpeg';
import { joinVideos } from '../../app/host/media/join';
import { readMp4Header } from '../../app/host/media/mp4-header';
import { probeVideo } from '../../app/host/media/probe';
import { countingFfmpeg } from './counting-ffprobe';

// The MP4 index read in this process, against what ffprobe says of the same files, and the join
// that uses it: alike clips copied, unlike ones encoded, neither starting ffprobe.

const exec = promisify(execFile);
const ffmpeg = await findFfmpeg();
const why = ffmpeg ? '' : ' — skipped: no ffmpeg on this machine';
const SLOW = 180_000;
let dir = '';
const at = (name: string) => join(dir, name);

/** A clip of ffmpeg's test picture; `more` goes before the output (codec options, audio, flags). */
async function make(name: string, size: string, rate: string, seconds: number, more: string[] = []): Promise<string> {
  await exec(ffmpeg!, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=s=${size}:r=${rate}:d=${seconds}`, ...more, at(name)]);
  return at(name);
}
const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];
const sound = (seconds: number) => ['-f', 'lavfi', '-i', `sine=d=${seconds}`, '-c:a', 'aac'];

/** ffmpeg with an ffprobe beside it that counts its runs. */
let counted = '';
let ffprobeRuns: () => Promise<number> = async () => 0;

/** Frames counted by ffprobe reading every packet, and whether every frame decodes without a word from ffmpeg. */
async function check(file: string) {
  const { stdout } = await exec(ffprobeBeside(ffmpeg!), ['-v', 'error', '-count_packets', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file]);
  const { stderr } = await exec(ffmpeg!, ['-v', 'error', '-i', file, '-f', 'null', '-']);
  return { frames: Number(stdout.trim()), errors: stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-mp4-header-'));
  if (!ffmpeg) return;
  await Promise.all([
    make('plain.mp4', '160x96', '16', 2, h264),
    make('faststart.mp4', '160x96', '16', 2, [...h264, '-movflags', '+faststart']),
    make('sound.mp4', '160x96', '16', 2, [...sound(3), ...h264]),
    make('cropped-25.mp4', '200x120', '25', 1.52, h264),
    make('ntsc.mp4', '128x72', '30000/1001', 1, h264),
    make('baseline-24.mp4', '320x180', '24', 1, [...h264, '-profile:v', 'baseline']),
    make('part-a.mp4', '160x96', '16', 1, [...h264, '-g', '8']),
    make('part-b.mp4', '160x96', '16', 2, [...h264, '-g', '8']),
    make('part-c.mp4', '160x96', '16', 1, [...h264, '-g', '8', '-movflags', '+faststart']),
    make('part-sound.mp4', '160x96', '16', 1, [...sound(1), ...h264, '-g', '8']),
    make('part-wide.mp4', '192x96', '16', 1, [...h264, '-g', '8']),
    make('part-24.mp4', '160x96', '24', 1, [...h264, '-g', '8']),
    make('part-other-coding.mp4', '160x96', '16', 1, [...h264, '-g', '8', '-profile:v', 'baseline']),
    make('part-444.mp4', '160x96', '16', 1, ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '8', '-pix_fmt', 'yuv444p']),
    make('fragmented.mp4', '160x96', '16', 1, [...h264, '-movflags', 'frag_keyframe+empty_moov']),
    make('clip.mkv', '160x96', '16', 1, h264),
    make('mpeg4.mp4', '160x96', '16', 1, ['-c:v', 'mpeg4']),
  ]);
  const fast = await readFile(at('faststart.mp4'));
  await writeFile(at('cut-frames.mp4'), fast.subarray(0, fast.length - 3000)); // index whole, frames missing
  const plain = await readFile(at('plain.mp4'));
  await writeFile(at('cut-index.mp4'), plain.subarray(0, plain.length - 500)); // the index at the end cut off
  await writeFile(at('notes.mp4'), 'not a video at all\n');
  ({ ffmpeg: counted, ffprobeRuns } = await countingFfmpeg(join(dir, 'counted'), ffmpeg));
}, SLOW);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe(`mp4 header${why}`, { timeout: SLOW }, () => {
  it.skipIf(!ffmpeg)('says what ffprobe says of size, rate, frames, duration, audio and time base', async () => {
    for (const name of ['plain.mp4', 'faststart.mp4', 'sound.mp4', 'cropped-25.mp4', 'ntsc.mp4', 'baseline-24.mp4', 'part-sound.mp4']) {
      const read = await readMp4Header(at(name));
      const probed = await probeVideo(ffmpeg!, at(name));
      expect(read, name).toBeDefined();
      expect({ ...read, duration: 0, coding: undefined }, name).toEqual({ ...probed, duration: 0, coding: undefined });
      expect(Math.abs(read!.duration - probed.duration), name).toBeLessThan(1e-3);
      expect(read!.coding, name).toMatchObject({ codec: probed.coding.codec, pixFmt: probed.coding.pixFmt, timeBase: probed.coding.timeBase, sar: probed.coding.sar, constantRate: true });
    }
    expect(await readMp4Header(at('sound.mp4'))).toMatchObject({ frames: 32, duration: 2, hasAudio: true });
    expect(await readMp4Header(at('cropped-25.mp4'))).toMatchObject({ width: 200, height: 120, rate: '25/1', frames: 38 });
    expect(await readMp4Header(at('ntsc.mp4'))).toMatchObject({ rate: '30000/1001', frames: 30 });
  });

  it.skipIf(!ffmpeg)('the parameter sets are what tells one coding from another', async () => {
    const a = (await readMp4Header(at('part-a.mp4')))!.coding.extradata;
    expect((await readMp4Header(at('part-b.mp4')))!.coding.extradata).toBe(a);
    expect((await readMp4Header(at('part-c.mp4')))!.coding.extradata).toBe(a);
    expect((await readMp4Header(at('part-other-coding.mp4')))!.coding.extradata).not.toBe(a);
    expect(a).toMatch(/^avc1\.[0-9a-f]{6}:01[0-9a-f]+$/);
  });

  it.skipIf(!ffmpeg)('says nothing of what it does not fully understand, so that ffprobe is asked', async () => {
    for (const name of ['part-444.mp4', 'fragmented.mp4', 'clip.mkv', 'mpeg4.mp4', 'cut-index.mp4', 'notes.mp4', 'missing.mp4']) expect(await readMp4Header(at(name)), name).toBeUndefined();
  });

  it.skipIf(!ffmpeg)('refuses a file cut short, as the probe does', async () => {
    await expect(readMp4Header(at('cut-frames.mp4'))).rejects.toThrow(new RegExp(`^"${at('cut-frames.mp4')}" is damaged or incomplete: \\d+ of its 32 frames are there$`));
    await expect(probeVideo(ffmpeg!, at('cut-frames.mp4'))).rejects.toThrow(new RegExp(`^"${at('cut-frames.mp4')}" is damaged or incomplete: \\d+ of its 32 frames are there$`));
    await expect(joinVideos(ffmpeg!, [at('part-a.mp4'), at('cut-frames.mp4')], {}, at('refused.mp4'))).rejects.toThrow(`"${at('cut-frames.mp4')}" is damaged or incomplete`);
  });
});

describe(`joining by the mp4 header${why}`, { timeout: SLOW }, () => {
  it.skipIf(!ffmpeg)('copies alike parts without starting ffprobe; the result decodes cleanly, every frame there', async () => {
    const before = await ffprobeRuns();
    const out = at('copied.mp4');
    const result = await joinVideos(counted, [at('part-a.mp4'), at('part-b.mp4'), at('part-c.mp4'), at('part-a.mp4')], {}, out);
    expect(result).toMatchObject({ width: 160, height: 96, fps: 16, frames: 16 + 32 + 16 + 16, conformed: [], copied: true });
    expect(Math.abs(result.duration - 5)).toBeLessThanOrEqual(1 / 16);
    expect(await ffprobeRuns()).toBe(before);
    expect(await check(out)).toEqual({ frames: 80, errors: '' });
  });

  it.skipIf(!ffmpeg)('encodes parts unlike in size, rate, coding or sound', async () => {
    for (const [k, other, frames] of [
      [0, 'part-wide.mp4', 32],
      [1, 'part-24.mp4', 32],
      [2, 'part-other-coding.mp4', 32],
      [3, 'part-sound.mp4', 32],
    ] as const) {
      const before = await ffprobeRuns();
      const out = at(`unlike-${k}.mp4`);
      const result = await joinVideos(counted, [at('part-a.mp4'), at(other)], {}, out);
      expect(result, other).toMatchObject({ width: 160, height: 96, fps: 16, frames, copied: false });
      expect(await ffprobeRuns(), other).toBe(before);
      expect(await check(out), other).toEqual({ frames, errors: '' });
    }
  });

  it.skipIf(!ffmpeg)('asks ffprobe of every part when one cannot be read, and then encodes what is unlike', async () => {
    const before = await ffprobeRuns();
    const result = await joinVideos(counted, [at('part-a.mp4'), at('part-444.mp4')], {}, at('mixed.mp4'));
    expect(result).toMatchObject({ frames: 32, copied: false });
    // both parts; the result is read from its index
    expect(await ffprobeRuns()).toBe(before + 2);
    expect(await check(at('mixed.mp4'))).toEqual({ frames: 32, errors: '' });
  });
});
