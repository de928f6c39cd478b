import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffImage } from '../../app/core/support/image-kind';
import {
  DEFAULT_FONT_DIR,
  planSandboxRender,
  qualityToCrf,
  renderSandboxVideo,
  SandboxRenderError,
  wrapText,
  type RenderSandboxVideoOptions,
  type SandboxVideoFormat,
} from '../../app/sandbox/render-video';

const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const FFPROBE = process.env.FFPROBE_PATH ?? 'ffprobe';
const run = promisify(execFile);

let root = '';
const images: Record<string, Buffer> = {};

async function tool(cmd: string, args: string[]): Promise<Buffer> {
  const { stdout } = await run(cmd, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** One still image made by ffmpeg from a lavfi colour source. */
async function makeImage(name: string, color: string, size: string, extra: string[] = []): Promise<Buffer> {
  const file = join(root, name);
  await tool(FFMPEG, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:s=${size}`, '-frames:v', '1', ...extra, file]);
  return readFile(file);
}

interface Probe {
  streams: Array<{ codec_type: string; codec_name: string; width: number; height: number; pix_fmt: string; avg_frame_rate: string; nb_frames?: string; nb_read_frames?: string }>;
  format: { format_name: string; duration: string; tags?: Record<string, string> };
}

async function probe(file: string): Promise<Probe> {
  const out = await tool(FFPROBE, ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_streams', '-show_format', file]);
  return JSON.parse(out.toString('utf8')) as Probe;
}

/** Mean RGB of the middle of one frame (clear of the text overlays at the top and bottom). */
async function meanRgb(file: string, frame: number): Promise<[number, number, number]> {
  const raw = await tool(FFMPEG, ['-nostdin', '-v', 'error', '-i', file, '-vf', `trim=start_frame=${frame},crop=iw/2:ih/4:iw/4:ih*3/8`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  expect(raw.length).toBeGreaterThan(0);
  const sum = [0, 0, 0];
  for (let i = 0; i < raw.length; i++) sum[i % 3]! += raw[i]!;
  const n = raw.length / 3;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

async function dirIsEmpty(dir: string): Promise<boolean> {
  return (await readdir(dir)).length === 0;
}

let caseNo = 0;
/** A fresh output folder and temp root per render, so leftovers can be seen. */
async function paths(ext: string): Promise<{ outDir: string; outFile: string; tempRoot: string }> {
  const dir = join(root, `case-${++caseNo}`);
  const outDir = join(dir, 'out');
  const tempRoot = join(dir, 'tmp');
  await mkdir(outDir, { recursive: true });
  await mkdir(tempRoot, { recursive: true });
  return { outDir, outFile: join(outDir, `video.${ext}`), tempRoot };
}

function options(p: { outFile: string; tempRoot: string }, o: Partial<RenderSandboxVideoOptions> = {}): RenderSandboxVideoOptions {
  return {
    ffmpegPath: FFMPEG,
    outFile: p.outFile,
    tempRoot: p.tempRoot,
    width: 320,
    height: 192,
    fps: 16,
    duration: 2,
    format: 'MP4',
    prompt: 'an ice caravan crossing a frozen sea under the aurora',
    seed: '18446744073709551615',
    frames: [],
    ...o,
  };
}

function frameCount(p: Probe): number {
  const v = p.streams.find((s) => s.codec_type === 'video')!;
  return Number(v.nb_read_frames ?? v.nb_frames);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'render-video-test-'));
  images.red = await makeImage('red.png', 'red', '64x48');
  images.blue = await makeImage('blue.png', 'blue', '96x64');
  images.jpeg = await makeImage('green.jpg', 'green', '80x60', ['-q:v', '3']);
  images.webp = await makeImage('green.webp', 'green', '80x60');
  images.gif = await makeImage('green.gif', 'green', '80x60');
  images.bmp = await makeImage('green.bmp', 'green', '80x60');
}, 60_000); // six ffmpeg runs: slow on a busy machine

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('renderSandboxVideo: containers and codecs', () => {
  const cases: Array<[SandboxVideoFormat, string, string, string]> = [
    ['MP4', 'mp4', 'h264', 'isom'],
    ['WEBM', 'webm', 'vp9', ''],
    ['MOV', 'mov', 'h264', 'qt  '],
  ];
  it.each(cases)('%s: a 2 s 320×192 clip at 16 fps (generated background)', async (format, ext, codec, brand) => {
    const p = await paths(ext);
    await renderSandboxVideo(options(p, { format, label: 'task 0f3c · result 1/1' }));
    const info = await probe(p.outFile);
    const v = info.streams.find((s) => s.codec_type === 'video')!;
    expect(info.streams).toHaveLength(1);
    expect(v.codec_name).toBe(codec);
    expect([v.width, v.height]).toEqual([320, 192]);
    expect(v.pix_fmt).toBe('yuv420p');
    expect(v.avg_frame_rate).toBe('16/1');
    expect(Math.abs(frameCount(info) - 32)).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(info.format.duration) * 16 - 32)).toBeLessThanOrEqual(1);
    if (format === 'WEBM') expect(info.format.format_name).toContain('webm');
    else expect(info.format.tags?.major_brand).toBe(brand);
    if (format !== 'WEBM') {
      // +faststart: the index comes before the media data.
      const bytes = await readFile(p.outFile);
      expect(bytes.indexOf('moov')).toBeGreaterThan(0);
      expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    }
    expect(await readdir(p.outDir)).toEqual([`video.${ext}`]);
    expect(await dirIsEmpty(p.tempRoot)).toBe(true);
  });

  it('MP4: a 1 s 1024×576 clip from one image (zoom and pan)', async () => {
    const p = await paths('mp4');
    await renderSandboxVideo(options(p, { width: 1024, height: 576, duration: 1, frames: [{ bytes: images.red! }] }));
    const info = await probe(p.outFile);
    const v = info.streams[0]!;
    expect([v.codec_name, v.width, v.height, v.avg_frame_rate]).toEqual(['h264', 1024, 576, '16/1']);
    expect(Math.abs(frameCount(info) - 16)).toBeLessThanOrEqual(1);
    const [r, g, b] = await meanRgb(p.outFile, 15);
    expect(r).toBeGreaterThan(180);
    expect(Math.max(g, b)).toBeLessThan(70);
  });
});

describe('renderSandboxVideo: content', () => {
  it('moves a single image (zoom and pan): the middle of the first and last frames differ', async () => {
    const file = join(root, 'split.png');
    await tool(FFMPEG, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=64x48', '-f', 'lavfi', '-i', 'color=c=blue:s=64x48', '-filter_complex', 'hstack', '-frames:v', '1', file]);
    const p = await paths('mp4');
    await renderSandboxVideo(options(p, { frames: [{ bytes: await readFile(file) }] }));
    const n = frameCount(await probe(p.outFile));
    const first = await meanRgb(p.outFile, 0);
    const last = await meanRgb(p.outFile, n - 1);
    expect(Math.abs(first[0] - last[0]) + Math.abs(first[2] - last[2])).toBeGreaterThan(20);
  });

  it('crossfades from the first frame image to the last', async () => {
    const p = await paths('mp4');
    await renderSandboxVideo(options(p, { frames: [{ bytes: images.red! }, { bytes: images.blue! }] }));
    const info = await probe(p.outFile);
    const n = frameCount(info);
    expect(Math.abs(n - 32)).toBeLessThanOrEqual(1);
    const first = await meanRgb(p.outFile, 0);
    const middle = await meanRgb(p.outFile, Math.floor(n / 2));
    const last = await meanRgb(p.outFile, n - 1);
    expect(first[0]).toBeGreaterThan(180);
    expect(first[2]).toBeLessThan(70);
    expect(last[2]).toBeGreaterThan(180);
    expect(last[0]).toBeLessThan(70);
    // Half way both are there.
    expect(middle[0]).toBeGreaterThan(60);
    expect(middle[2]).toBeGreaterThan(60);
  });

  it('WEBM crossfade keeps the order first → last too', async () => {
    const p = await paths('webm');
    await renderSandboxVideo(options(p, { format: 'WEBM', duration: 1, frames: [{ bytes: images.blue! }, { bytes: images.red! }] }));
    const n = frameCount(await probe(p.outFile));
    expect((await meanRgb(p.outFile, 0))[2]).toBeGreaterThan(180);
    expect((await meanRgb(p.outFile, n - 1))[0]).toBeGreaterThan(180);
  });

  it('turns an unavailable image into a labelled placeholder frame', async () => {
    const p = await paths('mp4');
    await renderSandboxVideo(options(p, { duration: 1, frames: [{ placeholder: 'https://example.com/missing.png' }] }));
    const info = await probe(p.outFile);
    expect(Math.abs(frameCount(info) - 16)).toBeLessThanOrEqual(1);
    const [r, g, b] = await meanRgb(p.outFile, 0);
    expect(Math.max(r, g, b)).toBeLessThan(110); // the dark placeholder, not black and not a colour
    expect(b).toBeGreaterThan(r);
  });

  it('crossfades from a placeholder to an image', async () => {
    const p = await paths('mov');
    await renderSandboxVideo(options(p, { format: 'MOV', duration: 1, frames: [{ placeholder: 'https://example.com/a.png' }, { bytes: images.blue! }] }));
    const n = frameCount(await probe(p.outFile));
    expect((await meanRgb(p.outFile, 0))[2]).toBeLessThan(110);
    expect((await meanRgb(p.outFile, n - 1))[2]).toBeGreaterThan(180);
  });

  it.each(['jpeg', 'webp', 'gif', 'bmp'])('accepts a %s frame image', async (kind) => {
    expect(sniffImage(images[kind]!)).toEqual({ kind, width: 80, height: 60 });
    const p = await paths('mp4');
    await renderSandboxVideo(options(p, { duration: 1, frames: [{ bytes: images[kind]! }] }));
    const [r, g, b] = await meanRgb(p.outFile, 0);
    expect(g).toBeGreaterThan(90);
    expect(Math.max(r, b)).toBeLessThan(50);
  });

  it('passes text only through files: nothing from the request reaches argv', () => {
    const prompt = "a 100% %{localtime} prompt: with 'quotes', \"doubles\", [brackets]; commas \\ backslashes";
    const plan = planSandboxRender(
      options({ outFile: '/tmp/x.mp4', tempRoot: '/tmp' }, { prompt, label: "lab'el:1", frames: [{ placeholder: "http://h/a'b:c,d" }] }),
      '/tmp/.x.mp4.part',
    );
    const argv = plan.args.join('\n');
    for (const needle of ['localtime', 'quotes', 'lab', 'http', '18446744073709551615']) expect(argv).not.toContain(needle);
    const info = plan.files.find((f) => f.name === 'info.txt')!.data as string;
    expect(info.split('\n')[0]).toBe("seed 18446744073709551615 · lab'el:1");
    expect(info).toContain('%{localtime}');
    expect(plan.args.join(' ')).toMatch(/textfile=info\.txt:expansion=none/);
    expect(plan.files.map((f) => f.name)).toEqual(['placeholder-0.txt', 'mark.txt', 'counter.txt', 'info.txt']);
    // A seed marker that is not a number (the service's shared renders use "-") is shown as it is.
    const shared = planSandboxRender(options({ outFile: '/tmp/x.mp4', tempRoot: '/tmp' }, { seed: '-' }), '/tmp/.x.mp4.part');
    expect(shared.files.find((f) => f.name === 'info.txt')!.data).toMatch(/^seed -\n/);
  });

  it('copies the fonts when their folder has characters a filter graph would need escaped', async () => {
    const p = await paths('mp4');
    const fontDir = join(p.tempRoot, "..", "font's: dir, 1");
    await mkdir(fontDir);
    for (const f of ['DejaVuSans-Bold.ttf', 'DejaVuSansMono.ttf']) await copyFile(join(DEFAULT_FONT_DIR, f), join(fontDir, f));
    await renderSandboxVideo(options(p, { duration: 1, fontDir }));
    expect(Math.abs(frameCount(await probe(p.outFile)) - 16)).toBeLessThanOrEqual(1);
    expect(await dirIsEmpty(p.tempRoot)).toBe(true);
  });
});

describe('renderSandboxVideo: refusals and failures', () => {
  async function expectRefusal(o: Partial<RenderSandboxVideoOptions>, code: string, message: RegExp): Promise<void> {
    const p = await paths('mp4');
    const err = await renderSandboxVideo(options(p, o)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxRenderError);
    expect((err as SandboxRenderError).code).toBe(code);
    expect((err as Error).message).toMatch(message);
    expect(await dirIsEmpty(p.outDir)).toBe(true);
    expect(await dirIsEmpty(p.tempRoot)).toBe(true);
  }

  it('rejects bytes that are not an image, naming the frame', async () => {
    const p = await paths('mp4');
    const html = Buffer.from('<!DOCTYPE html><html><body>Not found</body></html>');
    const err = (await renderSandboxVideo(options(p, { frames: [{ bytes: images.red! }, { bytes: html }] })).catch((e: unknown) => e)) as SandboxRenderError;
    expect(err).toBeInstanceOf(SandboxRenderError);
    expect(err.code).toBe('invalidFrameImage');
    expect(err.frameIndex).toBe(1);
    expect(err.message).toMatch(/^the last frame image: not a PNG, JPEG, WEBP, GIF or BMP image \(it starts with 3c 21 44 4f/);
    expect(await dirIsEmpty(p.outDir)).toBe(true);
    expect(await dirIsEmpty(p.tempRoot)).toBe(true);
  });

  it('rejects a playlist, an empty file and a truncated PNG', async () => {
    await expectRefusal({ frames: [{ bytes: Buffer.from('#EXTM3U\n#EXTINF:1,\nhttp://example.com/x.ts\n') }] }, 'invalidFrameImage', /not a PNG, JPEG/);
    await expectRefusal({ frames: [{ bytes: new Uint8Array() }] }, 'invalidFrameImage', /empty/);
    await expectRefusal({ frames: [{ bytes: images.red!.subarray(0, 12) }] }, 'invalidFrameImage', /PNG image is truncated/);
  });

  it('rejects odd sizes, fractional frame counts, overlong seeds and bad qualities', async () => {
    await expectRefusal({ width: 321 }, 'invalidOptions', /width must be even/);
    await expectRefusal({ height: 191 }, 'invalidOptions', /height must be even/);
    await expectRefusal({ duration: 1.03 }, 'invalidOptions', /whole number of frames/);
    await expectRefusal({ seed: '1'.repeat(101) }, 'invalidOptions', /seed must be a string/);
    await expectRefusal({ quality: 100 }, 'invalidOptions', /quality must be from 20 to 99/);
    await expectRefusal({ frames: [{ placeholder: 'a' }, { placeholder: 'b' }, { placeholder: 'c' }] }, 'invalidOptions', /0 to 2 frame images/);
  });

  it('includes the tail of ffmpeg’s messages when ffmpeg fails', async () => {
    // A PNG whose header is fine but whose data is not.
    const broken = Buffer.concat([images.red!.subarray(0, 33), Buffer.from('0000IDATgarbage-garbage-garbage')]);
    await expectRefusal({ frames: [{ bytes: broken }] }, 'ffmpegFailed', /^ffmpeg failed \(exit code \d+\):\n\S/);
  });

  it('says so when ffmpeg cannot be found', async () => {
    await expectRefusal({ ffmpegPath: join(root, 'no-such-ffmpeg') }, 'ffmpegMissing', /cannot run ffmpeg/);
  });

  it('abort kills ffmpeg and leaves no file', async () => {
    const p = await paths('mp4');
    const controller = new AbortController();
    let pid = 0;
    const err = await renderSandboxVideo(
      options(p, {
        width: 1280,
        height: 720,
        fps: 60,
        duration: 15,
        signal: controller.signal,
        onSpawn: (id) => {
          pid = id;
          controller.abort();
        },
      }),
    ).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(await dirIsEmpty(p.outDir)).toBe(true);
    expect(await dirIsEmpty(p.tempRoot)).toBe(true);
  });

  it('does not start when already aborted', async () => {
    const p = await paths('mp4');
    let spawned = false;
    const err = await renderSandboxVideo(options(p, { signal: AbortSignal.abort(), onSpawn: () => (spawned = true) })).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(spawned).toBe(false);
    expect(await dirIsEmpty(p.tempRoot)).toBe(true);
    await expect(stat(p.outFile)).rejects.toThrow();
  });
});

describe('helpers', () => {
  it('wraps by words, splits long words, truncates with an ellipsis, strips controls', () => {
    expect(wrapText('one two three four', 9, 5)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('abcdefghijkl', 5, 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapText('aa bb cc dd ee', 5, 2)).toEqual(['aa bb', 'cc d…']);
    expect(wrapText('a\u0000b\r\nc\u202ed', 20, 2)).toEqual(['a b c d']);
    expect(wrapText('😀😀😀', 2, 2)).toEqual(['😀😀', '😀']);
    expect(wrapText('   ', 10, 2)).toEqual([]);
  });

  it('maps quality to a CRF, higher quality lower CRF', () => {
    expect(qualityToCrf('MP4', 99)).toBeLessThan(qualityToCrf('MP4', 20));
    expect(qualityToCrf('WEBM', 99)).toBeLessThan(qualityToCrf('WEBM', 20));
    expect(qualityToCrf('MP4')).toBe(qualityToCrf('MP4', 95));
  });

  it('reads image sizes from headers and refuses oversized ones', () => {
    expect(sniffImage(images.red!)).toEqual({ kind: 'png', width: 64, height: 48 });
    const huge = Buffer.from(images.red!);
    huge.writeUInt32BE(100_000, 16);
    expect(() => sniffImage(huge)).toThrow(/too large/);
  });
});
