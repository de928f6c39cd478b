import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeBeside, findFfmpeg } from '../../app/host/ffmpeg';
import { extractFrame } from '../../app/host/media/frames';
import { joinVideos } from '../../app/host/media/join';
import { probeVideo } from '../../app/host/media/probe';
import { countingFfmpeg } from './counting-ffprobe';

// The local media steps of a chain on real clips made here with ffmpeg. The "counter" clips grow
// brighter with every frame (luma 16 + 7·n), so a picture says which frame it is.

const exec = promisify(execFile);
const ffmpeg = await findFfmpeg();
const why = ffmpeg ? '' : ' — skipped: no ffmpeg on this machine';
/** Each test runs ffmpeg a dozen times: on a busy machine that takes a while. */
const SLOW = 180_000;
let dir = '';
const at = (name: string) => join(dir, name);

async function make(name: string, args: string[]): Promise<string> {
  await exec(ffmpeg!, ['-nostdin', '-v', 'error', '-y', ...args, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', at(name)]);
  return at(name);
}
const counter = (size: string, rate: string, seconds: number) => ['-f', 'lavfi', '-i', `color=c=black:s=${size}:r=${rate}:d=${seconds},geq=lum='16+7*N':cb=128:cr=128`];

/** Every frame of a video (or a picture) as RGB bytes, as ffmpeg decodes it. */
async function rgbFrames(file: string, width: number, height: number): Promise<Buffer[]> {
  const { stdout } = await exec(ffmpeg!, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  const size = width * height * 3;
  return Array.from({ length: stdout.length / size }, (_, k) => stdout.subarray(k * size, (k + 1) * size));
}
/** Mean absolute difference of two frames' bytes. */
function distance(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += Math.abs(a[k]! - b[k]!);
  return sum / a.length;
}
/** Which of `frames` a picture is: the nearest. */
function whichFrame(picture: Buffer, frames: Buffer[]): number {
  const d = frames.map((f) => distance(picture, f));
  return d.indexOf(Math.min(...d));
}
/** The red, green and blue of a pixel. */
const pixel = (frame: Buffer, width: number, x: number, y: number) => [...frame.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];

async function streams(file: string) {
  const { stdout } = await exec(ffprobeBeside(ffmpeg!), ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,pix_fmt', '-of', 'json', file]);
  return (JSON.parse(stdout) as { streams: { codec_type: string; codec_name: string; pix_fmt?: string }[] }).streams;
}

/** What remains in the folder besides the inputs: no temporary file may be left. */
const leftovers = async (folder: string) => (await readdir(folder)).filter((f) => f.startsWith('.'));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-media-'));
  if (!ffmpeg) return;
  await make('count16.mp4', [...counter('160x96', '16', 2), '-g', '8']);
  // a picture that outlasts its video (a soundtrack 1.5 s longer): the end of the file is not the last frame
  await make('count16-sound.mp4', [...counter('160x96', '16', 2), '-f', 'lavfi', '-i', 'sine=d=3.5', '-c:a', 'aac']);
  await make('white8.mp4', ['-f', 'lavfi', '-i', 'color=c=white:s=64x64:r=8:d=1']);
  await make('count25.mp4', counter('64x48', '25', 1.52));
  await make('count-ntsc.mp4', counter('64x48', '30000/1001', 1));
  // alike to count16.mp4 in all but length (one named as an artist might): joined by copying
  await make("it's part 2.mp4", [...counter('160x96', '16', 1), '-g', '8']);
  await exec(ffmpeg, ['-nostdin', '-v', 'error', '-y', ...counter('160x96', '16', 1), '-g', '8', '-c:v', 'libx264', '-pix_fmt', 'yuv444p', at('count16-444.mp4')]);
  // damaged files, from a clip with detail (so that its frames take room)
  await make('pattern.mp4', ['-f', 'lavfi', '-i', 'testsrc2=s=160x96:r=16:d=2']);
  const full = await readFile(at('pattern.mp4'));
  await writeFile(at('cut-header-at-end.mp4'), full.subarray(0, full.length - 2000)); // its index (moov, at the end) cut off
  await exec(ffmpeg, ['-v', 'error', '-y', '-i', at('pattern.mp4'), '-c', 'copy', '-movflags', '+faststart', at('faststart.mp4')]);
  const fast = await readFile(at('faststart.mp4'));
  await writeFile(at('cut-frames.mp4'), fast.subarray(0, fast.length - 3000)); // index whole, frames missing
  await writeFile(at('garbled.mp4'), fast.fill(0, fast.length - 3000, fast.length - 1000)); // the last frames' data zeroed, the file whole
  await writeFile(at('notes.mp4'), 'not a video at all\n');
  await writeFile(at('empty.mp4'), '');
  await exec(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=32x32', '-frames:v', '1', at('still.png')]);
}, SLOW);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe(`media: probing${why}`, { timeout: SLOW }, () => {
  it.skipIf(!ffmpeg)('says size, rate, frames, duration and audio', async () => {
    expect(await probeVideo(ffmpeg!, at('count16.mp4'))).toEqual({
      path: at('count16.mp4'),
      width: 160,
      height: 96,
      fps: 16,
      rate: '16/1',
      frames: 32,
      duration: 2,
      hasAudio: false,
      coding: { codec: 'h264', pixFmt: 'yuv420p', timeBase: '1/16384', sar: '1:1', extradata: expect.stringMatching(/^SHA256:[0-9a-f]{64}$/), constantRate: true },
    });
    expect(await probeVideo(ffmpeg!, at('count16-sound.mp4'))).toMatchObject({ frames: 32, duration: 2, hasAudio: true });
    const ntsc = await probeVideo(ffmpeg!, at('count-ntsc.mp4'));
    expect(ntsc).toMatchObject({ rate: '30000/1001', frames: 30 });
    expect(ntsc.fps).toBeCloseTo(29.97, 2);
  });

  it.skipIf(!ffmpeg)('refuses a missing, empty, non-video, picture or truncated file, naming it', async () => {
    const refusal = (name: string) => probeVideo(ffmpeg!, at(name)).then(() => 'accepted', (e: Error) => e.message);
    expect(await refusal('missing.mp4')).toBe(`cannot read "${at('missing.mp4')}": no such file or folder`);
    expect(await refusal('empty.mp4')).toBe(`"${at('empty.mp4')}" is empty, not a video`);
    expect(await refusal('notes.mp4')).toMatch(new RegExp(`^"${at('notes.mp4')}" is not a video, or is damaged: .*Invalid data`));
    expect(await refusal('still.png')).toBe(`"${at('still.png')}" is a picture, not a video`);
    expect(await refusal('cut-header-at-end.mp4')).toMatch(new RegExp(`^"${at('cut-header-at-end.mp4')}" is not a video, or is damaged: moov atom not found`));
    expect(await refusal('cut-frames.mp4')).toMatch(new RegExp(`^"${at('cut-frames.mp4')}" is damaged or incomplete: \\d+ of its 32 frames are there$`));
  });

  it.skipIf(!ffmpeg)('a file written again is probed again', async () => {
    const file = at('rewritten.mp4');
    await copyFile(at('count16.mp4'), file);
    expect(await probeVideo(ffmpeg!, file)).toMatchObject({ width: 160, frames: 32 });
    await copyFile(at('white8.mp4'), file);
    expect(await probeVideo(ffmpeg!, file)).toMatchObject({ width: 64, frames: 8 });
  });

  it.skipIf(!ffmpeg || process.platform === 'win32')('asked twice at once, asks ffprobe once; an abort stops only the asker that aborted (not on Windows: ffprobe is counted by a shell script)', async () => {
    const counted = await countingFfmpeg(join(dir, 'counted'), ffmpeg!);
    const file = at('asked-twice.mp4');
    await copyFile(at('count16.mp4'), file);
    const aborted = new AbortController();
    const asking = [probeVideo(counted.ffmpeg, file), probeVideo(counted.ffmpeg, file, { signal: aborted.signal }), probeVideo(counted.ffmpeg, file)];
    aborted.abort();
    const [first, second, third] = await Promise.allSettled(asking);
    expect(first).toMatchObject({ status: 'fulfilled', value: { frames: 32 } });
    expect(second).toMatchObject({ status: 'rejected', reason: { name: 'AbortError' } });
    expect(third).toMatchObject({ status: 'fulfilled', value: { frames: 32 } });
    expect(await counted.ffprobeRuns()).toBe(1);
  });
});

describe(`media: taking a frame${why}`, { timeout: SLOW }, () => {
  it.skipIf(!ffmpeg)('the last frame is the last decoded one, also when the sound runs on past the picture', async () => {
    for (const clip of ['count16.mp4', 'count16-sound.mp4', 'count-ntsc.mp4']) {
      const { width, height, frames } = await probeVideo(ffmpeg!, at(clip));
      const decoded = await rgbFrames(at(clip), width, height);
      expect(decoded).toHaveLength(frames);
      const last = await extractFrame(ffmpeg!, at(clip), { at: 'last' }, at('last.png'));
      expect(last).toEqual({ path: at('last.png'), width, height });
      const [picture] = await rgbFrames(at('last.png'), width, height);
      // the last frame ffmpeg decodes, and the same picture as the last frame by index
      expect(whichFrame(picture!, decoded)).toBe(frames - 1);
      expect(picture!.equals(decoded.at(-1)!)).toBe(true);
      await extractFrame(ffmpeg!, at(clip), { at: 'index', index: frames - 1 }, at('by-index.png'));
      expect((await rgbFrames(at('by-index.png'), width, height))[0]!.equals(picture!)).toBe(true);
    }
    expect(await leftovers(dir)).toEqual([]);
  });

  it.skipIf(!ffmpeg)('first, by index and by time (the frame shown at that moment)', async () => {
    const decoded = await rgbFrames(at('count16.mp4'), 160, 96);
    const number = async (pick: Parameters<typeof extractFrame>[2]) => {
      await extractFrame(ffmpeg!, at('count16.mp4'), pick, at('pick.png'));
      return whichFrame((await rgbFrames(at('pick.png'), 160, 96))[0]!, decoded);
    };
    expect(await number({ at: 'first' })).toBe(0);
    expect(await number({ at: 'index', index: 0 })).toBe(0);
    expect(await number({ at: 'index', index: 13 })).toBe(13);
    expect(await number({ at: 'time', seconds: 0 })).toBe(0);
    expect(await number({ at: 'time', seconds: 0.99 })).toBe(15);
    expect(await number({ at: 'time', seconds: 1 })).toBe(16);
    expect(await number({ at: 'time', seconds: 1.99 })).toBe(31);
  });

  it.skipIf(!ffmpeg)('refuses a frame past the end, saying how long the video is, and writes nothing', async () => {
    const out = at('none.png');
    await expect(extractFrame(ffmpeg!, at('count16.mp4'), { at: 'index', index: 32 }, out)).rejects.toThrow(`frame 32 is past the end of "${at('count16.mp4')}": it has 32 frames (0 to 31)`);
    await expect(extractFrame(ffmpeg!, at('count16.mp4'), { at: 'index', index: -1 }, out)).rejects.toThrow('a frame index is a whole number from 0, not -1');
    await expect(extractFrame(ffmpeg!, at('count16.mp4'), { at: 'time', seconds: 2 }, out)).rejects.toThrow(`2 s is past the end of "${at('count16.mp4')}": it is 2.000 s long`);
    await expect(extractFrame(ffmpeg!, at('missing.mp4'), { at: 'last' }, out)).rejects.toThrow(`cannot read "${at('missing.mp4')}"`);
    await expect(extractFrame(ffmpeg!, at('count16.mp4'), { at: 'last' }, join(dir, 'no-folder', 'x.png'))).rejects.toThrow(`cannot write "${join(dir, 'no-folder', 'x.png')}": no such file or folder`);
    expect((await readdir(dir)).filter((f) => f.includes('none.png'))).toEqual([]);
  });

  it.skipIf(!ffmpeg)('refuses a video whose frames do not decode, or that is cut short (as the probe says it), and writes nothing', async () => {
    await expect(extractFrame(ffmpeg!, at('garbled.mp4'), { at: 'last' }, at('garbled.png'))).rejects.toThrow(`cannot take the last frame of "${at('garbled.mp4')}": `);
    for (const pick of [{ at: 'last' }, { at: 'first' }] as const) {
      await expect(extractFrame(ffmpeg!, at('cut-frames.mp4'), pick, at('cut.png'))).rejects.toThrow(`"${at('cut-frames.mp4')}" is damaged or incomplete`);
    }
    expect((await readdir(dir)).filter((f) => f.includes('garbled.png') || f.includes('cut.png'))).toEqual([]);
    expect(await leftovers(dir)).toEqual([]);
  });
});

describe(`media: joining${why}`, { timeout: SLOW }, () => {
  const parts = () => [at('count16.mp4'), at('white8.mp4'), at('count25.mp4')];
  // conformed to the first part's 16 fps: 32 frames, 8 frames at 8 fps → 16, 38 frames at 25 fps (1.52 s) → 24
  const lengths = [32, 16, 24];

  it.skipIf(!ffmpeg)('joins in order, conforming size and rate to the first part, into an MP4 that plays', async () => {
    const out = at('joined.mp4');
    const result = await joinVideos(ffmpeg!, parts(), {}, out);
    expect(result).toMatchObject({ path: out, width: 160, height: 96, fps: 16, frames: 72 });
    expect(Math.abs(result.duration - (2 + 1 + 1.52))).toBeLessThanOrEqual(1 / 16);
    expect(result.conformed).toEqual([
      { part: 1, from: { width: 64, height: 64, fps: 8 }, to: { width: 160, height: 96, fps: 16 } },
      { part: 2, from: { width: 64, height: 48, fps: 25 }, to: { width: 160, height: 96, fps: 16 } },
    ]);
    expect(result.copied).toBe(false);
    expect(await probeVideo(ffmpeg!, out)).toMatchObject({ width: 160, height: 96, fps: 16, frames: 72, hasAudio: false });
    expect(await streams(out)).toEqual([{ codec_type: 'video', codec_name: 'h264', pix_fmt: 'yuv420p' }]);
    // every frame decodes without a complaint
    const { stderr } = await exec(ffmpeg!, ['-v', 'error', '-i', out, '-f', 'null', '-']);
    expect(stderr).toBe('');
    // +faststart: the index comes before the frames
    const bytes = await readFile(out);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));

    const frames = await rgbFrames(out, 160, 96);
    expect(frames).toHaveLength(72);
    // the counter first, in order; then the white square letterboxed (black bars left and right: 96×96 in 160×96)
    const counter = await rgbFrames(at('count16.mp4'), 160, 96);
    expect(frames.slice(0, 32).map((f) => whichFrame(f, counter))).toEqual(Array.from({ length: 32 }, (_, k) => k));
    for (const f of frames.slice(32, 48)) {
      for (const x of [5, 154]) for (const c of pixel(f, 160, x, 48)) expect(c).toBeLessThan(24);
      for (const c of pixel(f, 160, 80, 48)) expect(c).toBeGreaterThan(200);
    }
    expect(await leftovers(dir)).toEqual([]);
  });

  it.skipIf(!ffmpeg)('copies parts alike in size, rate and coding one after the other, every frame in its place', async () => {
    const alike = [at('count16.mp4'), at("it's part 2.mp4"), at('count16.mp4')];
    const out = at('copied.mp4');
    const result = await joinVideos(ffmpeg!, alike, {}, out);
    expect(result).toMatchObject({ path: out, width: 160, height: 96, fps: 16, frames: 32 + 16 + 32, conformed: [], copied: true });
    expect(Math.abs(result.duration - 5)).toBeLessThanOrEqual(1 / 16);
    // what the result is, read back: every frame there, each decoding without a complaint
    expect(await probeVideo(ffmpeg!, out)).toMatchObject({ width: 160, height: 96, fps: 16, frames: 80, hasAudio: false });
    const { stdout } = await exec(ffprobeBeside(ffmpeg!), ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out]);
    expect(Math.abs(Number(stdout) - 5)).toBeLessThanOrEqual(1 / 16);
    expect(await streams(out)).toEqual([{ codec_type: 'video', codec_name: 'h264', pix_fmt: 'yuv420p' }]);
    expect((await exec(ffmpeg!, ['-v', 'error', '-i', out, '-f', 'null', '-'])).stderr).toBe('');
    const bytes = await readFile(out);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    // the parts' own frames, in order: the counter, the short counter, the counter again
    const frames = await rgbFrames(out, 160, 96);
    const counter = await rgbFrames(at('count16.mp4'), 160, 96);
    expect(frames.map((f) => whichFrame(f, counter))).toEqual([...Array.from({ length: 32 }, (_, k) => k), ...Array.from({ length: 16 }, (_, k) => k), ...Array.from({ length: 32 }, (_, k) => k)]);
    expect(await leftovers(dir)).toEqual([]);
  });

  it.skipIf(!ffmpeg)('encodes parts alike in size and rate but not in coding, and alike parts that cross-fade', async () => {
    const other = await joinVideos(ffmpeg!, [at('count16.mp4'), at('count16-444.mp4')], {}, at('not-copied.mp4'));
    expect(other).toMatchObject({ frames: 48, conformed: [], copied: false });
    expect(await streams(at('not-copied.mp4'))).toEqual([{ codec_type: 'video', codec_name: 'h264', pix_fmt: 'yuv420p' }]);
    const faded = await joinVideos(ffmpeg!, [at('count16.mp4'), at("it's part 2.mp4")], { crossfadeFrames: 2 }, at('faded-alike.mp4'));
    expect(faded).toMatchObject({ frames: 32 + 16 - 2, conformed: [], copied: false });
  });

  it.skipIf(!ffmpeg)('cross-fades N frames between parts: the sum of the parts minus the fades', async () => {
    const result = await joinVideos(ffmpeg!, parts(), { crossfadeFrames: 4 }, at('faded.mp4'));
    expect(result.frames).toBe(lengths.reduce((a, b) => a + b) - 2 * 4);
    expect(Math.abs(result.duration - (2 + 1 + 1.52 - (2 * 4) / 16))).toBeLessThanOrEqual(1 / 16);
    expect((await exec(ffmpeg!, ['-v', 'error', '-i', at('faded.mp4'), '-f', 'null', '-'])).stderr).toBe('');
    const frames = await rgbFrames(at('faded.mp4'), 160, 96);
    expect(frames).toHaveLength(result.frames);
    // the first part plays untouched up to the fade (its last 4 frames), which ends in the second part
    const counter = await rgbFrames(at('count16.mp4'), 160, 96);
    expect(frames.slice(0, 28).map((f) => whichFrame(f, counter))).toEqual(Array.from({ length: 28 }, (_, k) => k));
    for (const c of pixel(frames[31]!, 160, 80, 48)) expect(c).toBeGreaterThan(150);
    for (const c of pixel(frames[32]!, 160, 80, 48)) expect(c).toBeGreaterThan(200);
  });

  it.skipIf(!ffmpeg)('keeps a first part at 29.97 fps exact: the others are converted to 30000/1001', async () => {
    const result = await joinVideos(ffmpeg!, [at('count-ntsc.mp4'), at('count16.mp4')], { crossfadeFrames: 3 }, at('ntsc.mp4'));
    // 30 frames, then 2 s at 29.97 fps: 60 frames; less the fade
    expect(result).toMatchObject({ width: 64, height: 48, frames: 30 + 60 - 3 });
    expect(result.fps).toBeCloseTo(30000 / 1001, 6);
    expect(result.conformed).toEqual([{ part: 1, from: { width: 160, height: 96, fps: 16 }, to: { width: 64, height: 48, fps: 30000 / 1001 } }]);
    expect((await exec(ffmpeg!, ['-v', 'error', '-i', at('ntsc.mp4'), '-f', 'null', '-'])).stderr).toBe('');
  });

  it.skipIf(!ffmpeg)('refuses a cross-fade longer than a part, and parts that are missing or do not decode, naming them', async () => {
    const out = at('refused.mp4');
    await expect(joinVideos(ffmpeg!, parts(), { crossfadeFrames: 9 }, out)).rejects.toThrow(`part 2 ("${at('white8.mp4')}") has 16 frames, too few for a cross-fade at each end of 9 frames`);
    await expect(joinVideos(ffmpeg!, [at('count16.mp4'), at('count25.mp4')], { crossfadeFrames: 25 }, out)).rejects.toThrow(`part 2 ("${at('count25.mp4')}") has 24 frames, too few for a cross-fade of 25 frames`);
    await expect(joinVideos(ffmpeg!, [at('count16.mp4'), at('missing.mp4')], {}, out)).rejects.toThrow(`cannot read "${at('missing.mp4')}": no such file or folder`);
    await expect(joinVideos(ffmpeg!, [at('count16.mp4'), at('cut-frames.mp4')], {}, out)).rejects.toThrow(`"${at('cut-frames.mp4')}" is damaged or incomplete`);
    await expect(joinVideos(ffmpeg!, [at('count16.mp4'), at('garbled.mp4')], {}, out)).rejects.toThrow(`cannot join the videos: part 2 ("${at('garbled.mp4')}") does not decode: `);
    await expect(joinVideos(ffmpeg!, [], {}, out)).rejects.toThrow('there are no videos to join');
    expect((await readdir(dir)).filter((f) => f.includes('refused'))).toEqual([]);
  });

  it.skipIf(!ffmpeg || process.platform === 'win32')('an abort stops ffmpeg and leaves no file (not on Windows: ffmpeg is slowed by a shell script)', async () => {
    // ffmpeg reading its first input at its own pace (-re): the join lasts as long as that part plays
    const slow = join(dir, 'slow');
    await mkdir(slow);
    await writeFile(join(slow, 'ffmpeg'), `#!/bin/sh\nexec "${ffmpeg}" -re "$@"\n`);
    await chmod(join(slow, 'ffmpeg'), 0o755);
    await symlink(ffprobeBeside(ffmpeg!), join(slow, 'ffprobe'));
    const work = join(dir, 'abort');
    await mkdir(work);
    await exec(ffmpeg!, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=160x96:r=16:d=30', '-c:v', 'libx264', '-preset', 'ultrafast', join(work, 'long.mp4')]);
    await copyFile(at('count16.mp4'), join(work, 'short.mp4'));
    const controller = new AbortController();
    const joining = joinVideos(join(slow, 'ffmpeg'), [join(work, 'long.mp4'), join(work, 'short.mp4')], { signal: controller.signal }, join(work, 'out.mp4'));
    const outcome = joining.then(
      () => 'finished',
      (e: Error) => e.name,
    );
    let settled = false;
    void outcome.finally(() => (settled = true));
    // abort once ffmpeg is writing
    while (!settled && (await leftovers(work)).length === 0) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(await outcome).toBe('AbortError');
    expect((await readdir(work)).sort()).toEqual(['long.mp4', 'short.mp4']);
  });
});
