// The video generator of the local sandbox endpoint: instead of running Wan2.2 it renders, with
// ffmpeg, a short clip of exactly the requested size, frame rate, length and container that shows
// what was asked for (the frame images, the prompt, the seed) under a "SANDBOX" mark.
//
// - two frame images: a crossfade from the first to the last over the whole clip;
// - one frame image: that image with a slow zoom and pan;
// - none: an animated gradient whose colours and direction follow the seed.
//
// All text reaches ffmpeg through files (drawtext textfile=, with expansion off for anything that
// came from a request); the filter graph names only files in a private temporary folder that is
// ffmpeg's working directory, so nothing is ever escaped by hand. The result is written beside the
// output file under a temporary name and renamed into place only on success.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, copyFile, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { ImageSniffError, sniffImage, type ImageKind } from '../core/support/image-kind';

export type SandboxVideoFormat = 'MP4' | 'WEBM' | 'MOV';
export type SandboxFrame = { bytes: Uint8Array } | { placeholder: string };

export interface RenderSandboxVideoOptions {
  /** The ffmpeg executable (a path, or a bare name looked up on PATH). */
  ffmpegPath: string;
  outFile: string;
  width: number;
  height: number;
  fps: number;
  /** Seconds; duration × fps must be a whole number of frames. */
  duration: number;
  format: SandboxVideoFormat;
  /** Runware's outputQuality, 20–99 (default 95), mapped to a CRF. */
  quality?: number;
  prompt: string;
  /** Usually decimal, any length (beyond 2^53 too): shown verbatim, hashed for colours, never parsed. */
  seed: string;
  /** A short caption shown beside the seed (e.g. the task UUID or "result 2/4"). */
  label?: string;
  /** 0–2 frame images, first → last. A placeholder stands for an image that could not be fetched. */
  frames: readonly SandboxFrame[];
  signal?: AbortSignal;
  /** Folder holding DejaVuSans-Bold.ttf and DejaVuSansMono.ttf (Debian's fonts-dejavu-core by default). */
  fontDir?: string;
  /** Where the private temporary folder is made (os.tmpdir() by default). */
  tempRoot?: string;
  /** Called once ffmpeg has started, with its process id. */
  onSpawn?: (pid: number) => void;
}

export type SandboxRenderErrorCode = 'invalidOptions' | 'invalidFrameImage' | 'fontMissing' | 'ffmpegMissing' | 'ffmpegFailed';

export class SandboxRenderError extends Error {
  override name = 'SandboxRenderError';
  constructor(
    readonly code: SandboxRenderErrorCode,
    message: string,
    /** For invalidFrameImage: which frame image (0 first, 1 last). */
    readonly frameIndex?: number,
  ) {
    super(message);
  }
}

/** The DejaVu fonts shipped with the app (npm dejavu-fonts-ttf), so the sandbox draws its text on
 *  any system; Debian's copy when that package is missing. */
export const DEFAULT_FONT_DIR = shippedFontDir() ?? '/usr/share/fonts/truetype/dejavu';

function shippedFontDir(): string | undefined {
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    // in the packaged desktop app the fonts are unpacked beside app.asar, where ffmpeg can read them
    return dir.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  } catch {
    return undefined;
  }
}
const FONTS = { bold: 'DejaVuSans-Bold.ttf', mono: 'DejaVuSansMono.ttf' } as const;
/** DejaVu Sans Mono advances every glyph by 1233/2048 em: wrapping by characters is exact. */
const MONO_ADVANCE = 1233 / 2048;

const SANDBOX_LIMITS = { minSide: 16, maxSide: 4096, maxFps: 120, maxFrames: 3600, maxFrameImages: 2 } as const;

function fail(message: string): never {
  throw new SandboxRenderError('invalidOptions', message);
}

/** Runware's outputQuality (20–99, higher is better) as a CRF of the format's encoder. */
export function qualityToCrf(format: SandboxVideoFormat, quality = 95): number {
  const t = (Math.min(99, Math.max(20, quality)) - 20) / 79;
  return format === 'WEBM' ? Math.round(55 - 40 * t) : Math.round(40 - 22 * t);
}

/**
 * Wraps text into at most maxLines lines of at most cols characters (code points), breaking at
 * spaces where it can; what does not fit ends in "…". Control and format characters become spaces.
 */
export function wrapText(text: string, cols: number, maxLines: number): string[] {
  const clean = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ').replace(/\s+/gu, ' ').trim();
  const words = clean ? clean.split(' ').map((w) => Array.from(w)) : [];
  const lines: string[][] = [];
  let line: string[] = [];
  for (let word of words) {
    if (line.length > 0 && line.length + 1 + word.length <= cols) {
      line.push(' ', ...word);
      continue;
    }
    if (line.length > 0) lines.push(line);
    line = [];
    while (word.length > cols) {
      lines.push(word.slice(0, cols));
      word = word.slice(cols);
    }
    line = word;
  }
  if (line.length > 0) lines.push(line);
  if (lines.length > maxLines) {
    const last = lines[maxLines - 1] ?? [];
    lines.length = maxLines;
    lines[maxLines - 1] = [...last.slice(0, Math.max(0, cols - 1)), '…'];
  }
  return lines.map((l) => l.join(''));
}

interface CheckedOptions {
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  format: SandboxVideoFormat;
  crf: number;
}

function checkOptions(o: RenderSandboxVideoOptions): CheckedOptions {
  const { width, height, fps, duration, format } = o;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < SANDBOX_LIMITS.minSide || v > SANDBOX_LIMITS.maxSide) {
      fail(`${name} must be a whole number from ${SANDBOX_LIMITS.minSide} to ${SANDBOX_LIMITS.maxSide} (got ${v})`);
    }
    if (v % 2 !== 0) fail(`${name} must be even for ${format} video in yuv420p (got ${v}); the sandbox does not rescale`);
  }
  if (!Number.isInteger(fps) || fps < 1 || fps > SANDBOX_LIMITS.maxFps) fail(`fps must be a whole number from 1 to ${SANDBOX_LIMITS.maxFps} (got ${fps})`);
  if (!Number.isFinite(duration) || duration <= 0) fail(`duration must be a positive number of seconds (got ${duration})`);
  const exact = duration * fps;
  const frameCount = Math.round(exact);
  if (Math.abs(exact - frameCount) > 1e-6) fail(`duration × fps must be a whole number of frames (${duration} × ${fps} = ${exact})`);
  if (frameCount < 1 || frameCount > SANDBOX_LIMITS.maxFrames) fail(`duration × fps must be from 1 to ${SANDBOX_LIMITS.maxFrames} frames (got ${frameCount})`);
  if (format !== 'MP4' && format !== 'WEBM' && format !== 'MOV') fail(`format must be MP4, WEBM or MOV (got ${String(format)})`);
  const quality = o.quality ?? 95;
  if (!Number.isFinite(quality) || quality < 20 || quality > 99) fail(`quality must be from 20 to 99 (got ${quality})`);
  if (typeof o.prompt !== 'string') fail('prompt must be a string');
  // Usually decimal (any length), but shown verbatim and only hashed: a marker such as "-" is fine.
  if (typeof o.seed !== 'string' || o.seed.length > 100) fail('seed must be a string of at most 100 characters');
  if (o.label !== undefined && typeof o.label !== 'string') fail('label must be a string');
  if (!Array.isArray(o.frames) || o.frames.length > SANDBOX_LIMITS.maxFrameImages) fail(`frames must hold 0 to ${SANDBOX_LIMITS.maxFrameImages} frame images`);
  if (!o.outFile) fail('outFile is required');
  return { width, height, fps, frameCount, format, crf: qualityToCrf(format, quality) };
}

/** A frame image ready for ffmpeg: validated bytes, or a placeholder caption. */
type PreparedFrame = { kind: ImageKind; bytes: Uint8Array } | { placeholder: string };

function prepareFrames(frames: readonly SandboxFrame[]): PreparedFrame[] {
  return frames.map((frame, index) => {
    const which = frames.length === 1 ? 'the frame image' : index === 0 ? 'the first frame image' : 'the last frame image';
    if ('placeholder' in frame && typeof frame.placeholder === 'string') return { placeholder: frame.placeholder };
    if (!('bytes' in frame) || !(frame.bytes instanceof Uint8Array)) {
      throw new SandboxRenderError('invalidFrameImage', `${which} must carry bytes or a placeholder`, index);
    }
    try {
      return { kind: sniffImage(frame.bytes).kind, bytes: frame.bytes };
    } catch (e) {
      if (e instanceof ImageSniffError) throw new SandboxRenderError('invalidFrameImage', `${which}: ${e.message}`, index);
      throw e;
    }
  });
}

const DECODER: Record<ImageKind, [codec: string, ext: string]> = {
  png: ['png', 'png'],
  jpeg: ['mjpeg', 'jpg'],
  webp: ['webp', 'webp'],
  gif: ['gif', 'gif'],
  bmp: ['bmp', 'bmp'],
};

/** Colours and directions that follow the seed (any length: it is hashed, never parsed as a number). */
function seedLook(seed: string): { colors: string[]; points: [number, number, number, number]; panSign: 1 | -1 } {
  const h = createHash('sha256').update(`wan-sandbox:${seed}`).digest();
  const hsl = (hue: number, s: number, l: number): string => {
    const f = (n: number): number => {
      const k = (n + hue / 30) % 12;
      return l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    };
    return '0x' + [f(0), f(8), f(4)].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('');
  };
  const base = (h.readUInt16BE(0) / 65536) * 360;
  const colors = [0, 1, 2].map((i) => hsl((base + i * (90 + (h[2 + i] ?? 0) / 4)) % 360, 0.55 + (h[5 + i] ?? 0) / 1024, 0.32 + (h[8 + i] ?? 0) / 1280));
  const frac = (i: number): number => (h[11 + i] ?? 0) / 255;
  return { colors, points: [frac(0), frac(1), frac(2), frac(3)], panSign: (h[15] ?? 0) & 1 ? 1 : -1 };
}

/** What ffmpeg is given: its arguments and the files to put into its (temporary) working folder. */
export interface SandboxRenderPlan {
  args: string[];
  files: Array<{ name: string; data: Uint8Array | string }>;
  /** Font files to copy into the working folder (when their folder's path is not plain). */
  fontCopies: Array<{ from: string; name: string }>;
  frameCount: number;
}

const PLAIN_PATH = /^[A-Za-z0-9_./-]+$/;

/** Builds the ffmpeg command for a render; pure apart from hashing, so it can be inspected in tests. */
export function planSandboxRender(opts: RenderSandboxVideoOptions, tmpOut: string): SandboxRenderPlan {
  const c = checkOptions(opts);
  const frames = prepareFrames(opts.frames);
  const { width: W, height: H, fps, frameCount: F } = c;
  const files: SandboxRenderPlan['files'] = [];
  const fontCopies: SandboxRenderPlan['fontCopies'] = [];

  // Fonts by absolute path when it needs no escaping in a filter graph, else copied beside the text.
  const fontDir = resolve(opts.fontDir ?? DEFAULT_FONT_DIR);
  const font = (key: keyof typeof FONTS): string => {
    const path = join(fontDir, FONTS[key]);
    if (PLAIN_PATH.test(path)) return path;
    const name = `font-${key}.ttf`;
    if (!fontCopies.some((f) => f.name === name)) fontCopies.push({ from: path, name });
    return name;
  };

  // Sizes of the overlays follow the frame height.
  const fs = Math.min(40, Math.max(10, Math.round(H / 30)));
  const markSize = Math.round(fs * 1.6);
  const margin = Math.max(4, Math.round(fs * 0.6));
  const border = Math.max(2, Math.round(fs * 0.3));
  const cols = Math.max(8, Math.floor((W - 2 * margin - 2 * border) / (fs * MONO_ADVANCE)));
  const text = (name: string, content: string): string => {
    files.push({ name, data: content });
    return name;
  };
  const drawtext = (o: Record<string, string | number>): string =>
    'drawtext=' + Object.entries(o).map(([k, v]) => `${k}=${v}`).join(':');

  const promptLines = wrapText(opts.prompt, cols, H >= 480 ? 4 : 3);
  const caption = wrapText(`seed ${opts.seed}${opts.label ? ` · ${opts.label}` : ''}`, cols, 1);
  const info = [...caption, ...(promptLines.length ? promptLines : ['(no prompt)'])].join('\n');
  const digits = String(F).length;

  // Each frame image becomes one still of the cover size; the zoom of a single image needs room.
  const zoomScale = frames.length === 1 ? Math.max(1, Math.min(2, 4096 / Math.max(W, H))) : 1;
  const CW = 2 * Math.round((W * zoomScale) / 2);
  const CH = 2 * Math.round((H * zoomScale) / 2);
  const inputs: string[] = [];
  const chains: string[] = [];
  let inputIndex = 0;
  frames.forEach((frame, i) => {
    const fit = `scale=${CW}:${CH}:force_original_aspect_ratio=increase:flags=bicubic,crop=${CW}:${CH},setsar=1,format=yuv420p`;
    if ('placeholder' in frame) {
      const phSize = Math.round(fs * 1.3);
      const phCols = Math.max(8, Math.floor((W * 0.8) / (phSize * MONO_ADVANCE)));
      const lines = ['image unavailable:', ...wrapText(frame.placeholder || '(no address)', phCols, 4)];
      chains.push(
        `color=c=0x1e2230:s=${W}x${H}:r=${fps},trim=end_frame=1,` +
          `drawbox=x=0:y=0:w=iw:h=ih:color=0x8a93a8:t=${border * 2},` +
          drawtext({ fontfile: font('mono'), textfile: text(`placeholder-${i}.txt`, lines.join('\n')), expansion: 'none', fontsize: phSize, fontcolor: '0xd8dde8', line_spacing: border, x: '(w-text_w)/2', y: '(h-text_h)/2' }) +
          `,${fit}[src${i}]`,
      );
    } else {
      const [codec, ext] = DECODER[frame.kind];
      const name = `frame-${i}.${ext}`;
      files.push({ name, data: frame.bytes });
      inputs.push('-protocol_whitelist', 'file', '-f', 'image2', '-pattern_type', 'none', '-c:v', codec, '-i', name);
      chains.push(`[${inputIndex++}:v]trim=end_frame=1,${fit}[src${i}]`);
    }
  });

  const den = Math.max(1, F - 1);
  const still = (i: number, extra = ''): string => `[src${i}]${extra}loop=loop=${F - 1}:size=1:start=0,settb=1/${fps},setpts=N`;
  const look = seedLook(opts.seed);
  if (frames.length === 0) {
    const [x0, y0, x1, y1] = look.points;
    const [c0, c1, c2] = look.colors;
    // Smooth by nature: drawn at a quarter of the size and scaled up, which is ten times cheaper.
    const GW = Math.max(16, 2 * Math.round(W / 8));
    const GH = Math.max(16, 2 * Math.round(H / 8));
    chains.push(
      `gradients=s=${GW}x${GH}:r=${fps}:c0=${c0}:c1=${c1}:c2=${c2}:nb_colors=3` +
        `:x0=${Math.round(x0 * GW * 0.4)}:y0=${Math.round(y0 * GH)}:x1=${Math.round(GW - x1 * GW * 0.4)}:y1=${Math.round(y1 * GH)}` +
        `:speed=${(0.6 / fps).toFixed(5)},trim=end_frame=${F},format=yuv420p,scale=${W}:${H}:flags=bilinear,setsar=1[bg]`,
    );
  } else if (frames.length === 1) {
    const pan = look.panSign > 0 ? `0.5+0.35*on/${den}` : `0.5-0.35*on/${den}`;
    chains.push(`[src0]zoompan=z=1+0.1*on/${den}:x=(iw-iw/zoom)*(${pan}):y=(ih-ih/zoom)*0.5:d=${F}:s=${W}x${H}:fps=${fps},setsar=1[bg]`);
  } else {
    chains.push(`${still(0)}[a]`);
    chains.push(`${still(1, 'format=yuva420p,')},fade=t=in:s=0:n=${den}:alpha=1[b]`);
    chains.push('[a][b]overlay=x=0:y=0:format=yuv420:eof_action=endall[bg]');
  }

  const box = { box: 1, boxborderw: border, fix_bounds: 1 };
  chains.push(
    '[bg]' +
      [
        drawtext({ fontfile: font('bold'), textfile: text('mark.txt', 'SANDBOX'), expansion: 'none', fontsize: markSize, fontcolor: 'white', ...box, boxcolor: '0xd01c1c@0.8', x: margin + border, y: margin + border }),
        drawtext({ fontfile: font('mono'), textfile: text('counter.txt', `%{eif:n+1:d:${digits}}/${F}  %{pts:hms}`), fontsize: fs, fontcolor: 'white', ...box, boxcolor: 'black@0.55', x: `w-text_w-${margin + border}`, y: margin + border }),
        drawtext({ fontfile: font('mono'), textfile: text('info.txt', info), expansion: 'none', fontsize: fs, fontcolor: 'white', line_spacing: Math.round(fs * 0.25), ...box, boxcolor: 'black@0.55', x: margin + border, y: `h-text_h-${margin + border}` }),
        'format=yuv420p',
      ].join(',') +
      '[out]',
  );

  const encoder =
    c.format === 'WEBM'
      ? ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-crf', String(c.crf), '-b:v', '0', '-f', 'webm']
      : ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', String(c.crf), '-movflags', '+faststart', '-f', c.format === 'MOV' ? 'mov' : 'mp4'];
  const args = [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-filter_complex_threads', '1',
    ...inputs,
    '-filter_complex', chains.join(';\n'),
    '-map', '[out]', '-an', '-sn', '-dn', '-map_metadata', '-1',
    '-r', String(fps), '-frames:v', String(F), '-pix_fmt', 'yuv420p', '-threads', '2',
    ...encoder,
    `file:${tmpOut}`,
  ];
  return { args, files, fontCopies, frameCount: F };
}

const abortError = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

const STDERR_TAIL = 4000;

function runFfmpeg(ffmpegPath: string, args: string[], cwd: string, signal: AbortSignal | undefined, onSpawn: ((pid: number) => void) | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let tail = '';
    let aborted = false;
    let settled = false;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolvePromise();
      else reject(error);
    };
    const child = spawn(ffmpegPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    function onAbort(): void {
      aborted = true;
      child.kill('SIGKILL');
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-STDERR_TAIL);
    });
    let hookError: unknown;
    child.once('spawn', () => {
      try {
        if (child.pid !== undefined) onSpawn?.(child.pid);
      } catch (e) {
        hookError = e ?? new Error('onSpawn failed');
        child.kill('SIGKILL');
      }
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      // A failed spawn emits no 'close' of a running process; a failed kill is followed by one.
      if (err.code === 'ENOENT' || err.code === 'EACCES') {
        settle(new SandboxRenderError('ffmpegMissing', `cannot run ffmpeg at ${JSON.stringify(ffmpegPath)} (${err.code}); install ffmpeg or set its path`));
      } else if (child.pid === undefined) {
        settle(new SandboxRenderError('ffmpegFailed', `cannot run ffmpeg: ${err.message}`));
      }
    });
    child.once('close', (code, sig) => {
      if (aborted && signal) return settle(abortError(signal));
      if (hookError !== undefined) return settle(hookError);
      if (code === 0) return settle();
      const detail = tail.trim() ? `:\n${tail.trim()}` : ' (no message)';
      settle(new SandboxRenderError('ffmpegFailed', `ffmpeg failed (${code !== null ? `exit code ${code}` : `signal ${sig}`})${detail}`));
    });
  });
}

/**
 * Renders the sandbox's stand-in for a generated video into outFile. Rejects with a
 * SandboxRenderError (see its code), or with the signal's reason when aborted; in either case no
 * file appears at outFile and the temporary folder is gone.
 */
export async function renderSandboxVideo(opts: RenderSandboxVideoOptions): Promise<void> {
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  const outFile = resolve(opts.outFile ?? '');
  const tmpOut = join(dirname(outFile), `.${basename(outFile)}.${randomBytes(6).toString('hex')}.part`);
  const plan = planSandboxRender(opts, tmpOut); // validates everything before touching the disk

  const outDir = await stat(dirname(outFile)).catch(() => undefined);
  if (!outDir?.isDirectory()) fail(`the output folder does not exist: ${dirname(outFile)}`);
  const fontDir = resolve(opts.fontDir ?? DEFAULT_FONT_DIR);
  for (const name of Object.values(FONTS)) {
    await access(join(fontDir, name), constants.R_OK).catch(() => {
      throw new SandboxRenderError('fontMissing', `font not found: ${join(fontDir, name)} (reinstall the app's npm packages, install fonts-dejavu-core, or pass fontDir)`);
    });
  }

  const work = await mkdtemp(join(opts.tempRoot ?? tmpdir(), 'wan-sandbox-render-'));
  let done = false;
  try {
    for (const f of plan.files) await writeFile(join(work, f.name), f.data, { mode: 0o600, flag: 'wx' });
    for (const f of plan.fontCopies) await copyFile(f.from, join(work, f.name));
    if (signal?.aborted) throw abortError(signal);
    await runFfmpeg(opts.ffmpegPath, plan.args, work, signal, opts.onSpawn);
    if (signal?.aborted) throw abortError(signal);
    const written = await stat(tmpOut).catch(() => undefined);
    if (!written?.size) throw new SandboxRenderError('ffmpegFailed', 'ffmpeg finished but wrote no video');
    await rename(tmpOut, outFile);
    done = true;
  } finally {
    if (!done) await rm(tmpOut, { force: true }).catch(() => {});
    await rm(work, { recursive: true, force: true }).catch(() => {});
  }
}
