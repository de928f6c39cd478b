import { rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runTool } from '../ffmpeg';
import { concatMp4 } from './mp4-concat';
import { describeVideo, readMp4Header, readMp4Index, type Mp4Track } from './mp4-header';
import { writeAtomically } from './output';
import { probeVideo, toolReason, type VideoInfo } from './probe';

// Clips joined in order into one H.264 MP4. Every part is conformed to the first: scaled to fit
// and letterboxed in black, its frame rate converted, so that concat and xfade get alike frames.
// Cross-fades are placed by frame counts (each part's own, converted to the first part's rate),
// which makes the joined length exactly the sum of the parts minus the fades. Audio is dropped:
// Wan's videos have none. Parts that need no conforming and no fade (H.264 alike in every way that
// matters to a player: size, rate, pixel format, time base, coding parameters) are copied one after
// the other without decoding, in this process where ./mp4-concat.ts understands them, else by
// ffmpeg's concat demuxer: their frames are the parts' own, and the join takes a fraction of the
// time. Copying decodes nothing, so a part damaged inside (its index and NAL units whole) is
// copied as it is; a part cut short is still refused by the probe. Parts and result are described
// from their MP4 index in this process where it can be read (./mp4-header.ts), which spares
// starting ffprobe for each; where one cannot, ffprobe describes them all, so that parts are
// never compared across the two.

interface Shape {
  width: number;
  height: number;
  fps: number;
}

export interface JoinResult extends Shape {
  path: string;
  frames: number;
  duration: number;
  /** The parts that were changed to match the first, and how. */
  conformed: { part: number; from: Shape; to: Shape }[];
  /** Joined by copying the parts' frames, not by encoding them again. */
  copied: boolean;
}

interface JoinPlan extends Omit<JoinResult, 'path' | 'copied'> {
  args: string[];
}

const even = (n: number) => Math.max(2, 2 * Math.floor(n / 2));

/** The ffmpeg arguments that join the probed parts into `out`; pure, so what ffmpeg is asked can be read in tests. */
function planJoin(parts: readonly VideoInfo[], crossfadeFrames: number, out: string): JoinPlan {
  const first = parts[0];
  if (!first) throw new Error('there are no videos to join');
  const n = crossfadeFrames;
  if (!Number.isInteger(n) || n < 0) throw new Error(`a cross-fade is a whole number of frames from 0, not ${n}`);
  const to: Shape = { width: even(first.width), height: even(first.height), fps: first.fps };
  const { width: W, height: H } = to;
  const R = first.rate;

  const conformed: JoinResult['conformed'] = [];
  const lengths: number[] = [];
  const chains = parts.map((p, i) => {
    const resize = p.width !== W || p.height !== H;
    const retime = p.fps !== first.fps;
    if (resize || retime) conformed.push({ part: i, from: { width: p.width, height: p.height, fps: p.fps }, to });
    lengths.push(retime ? Math.round((p.frames / p.fps) * first.fps) : p.frames);
    const steps = ['setpts=PTS-STARTPTS'];
    if (resize) steps.push(`scale=${W}:${H}:force_original_aspect_ratio=decrease`, `pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:color=black`);
    // fps on every part, also those at the rate already: it gives them one time base, which xfade needs
    steps.push('setsar=1', `fps=${R}`, 'format=yuv420p');
    return `[${i}:v]${steps.join(',')}[v${i}]`;
  });

  if (n > 0) {
    lengths.forEach((frames, i) => {
      const fades = parts.length === 1 ? 0 : i === 0 || i === parts.length - 1 ? 1 : 2;
      if (frames < fades * n) throw new Error(`part ${i + 1} ("${parts[i]!.path}") has ${frames} frames, too few for ${fades === 2 ? 'a cross-fade at each end' : 'a cross-fade'} of ${n} frames`);
    });
  }
  // frames stamped by their number: xfade (ffmpeg 5.1) leaves a gap after a fade, which would shift the next fade and add a frame
  const restamp = `setpts=N/((${R})*TB)`;
  let frames = lengths[0]!;
  if (parts.length === 1) chains.push('[v0]null[out]');
  else if (n === 0) chains.push(`${lengths.map((_, i) => `[v${i}]`).join('')}concat=n=${parts.length}:v=1:a=0,${restamp}[out]`);
  else
    for (let i = 1; i < parts.length; i++) {
      // the fade starts n frames before the end of what is joined so far
      const offset = (frames - n) / first.fps;
      chains.push(`[${i === 1 ? 'v0' : `x${i - 1}`}][v${i}]xfade=transition=fade:duration=${(n / first.fps).toFixed(6)}:offset=${offset.toFixed(6)},${restamp}${i === parts.length - 1 ? '[out]' : `[x${i}]`}`);
      frames += lengths[i]! - n;
    }
  if (n === 0) frames = lengths.reduce((a, b) => a + b, 0);

  const inputs = parts.flatMap((p) => ['-i', `file:${p.path}`]);
  const output = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4'];
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-xerror', '-y', ...inputs, '-filter_complex', chains.join(';'), '-map', '[out]', '-an', '-sn', '-dn', '-map_metadata', '-1', ...output, `file:${out}`];
  return { args, ...to, frames, duration: frames / first.fps, conformed };
}

/** Whether the parts can be copied one after the other: the result would be what encoding gives, without the wait. */
function copyable(parts: readonly VideoInfo[], crossfadeFrames: number): boolean {
  const first = parts[0]!;
  const c = first.coding;
  const square = c.sar === '1:1' || c.sar === '0:1' || c.sar === '';
  return (
    crossfadeFrames === 0 &&
    c.codec === 'h264' &&
    c.pixFmt === 'yuv420p' &&
    c.extradata !== '' &&
    square &&
    first.width === even(first.width) &&
    first.height === even(first.height) &&
    parts.every(
      (p) =>
        // the concat list is read by lines
        !/[\r\n]/.test(p.path) &&
        p.width === first.width &&
        p.height === first.height &&
        p.rate === first.rate &&
        p.coding.constantRate &&
        p.coding.codec === c.codec &&
        p.coding.pixFmt === c.pixFmt &&
        p.coding.timeBase === c.timeBase &&
        p.hasAudio === first.hasAudio &&
        p.coding.sar === c.sar &&
        p.coding.extradata === c.extradata,
    )
  );
}

/** A concat demuxer's list of the parts; quoted, so that any name but one with a line break is read as it is. */
const concatList = (parts: readonly VideoInfo[]) => parts.map((p) => `file 'file:${resolve(p.path).replace(/'/g, "'\\''")}'\n`).join('');

/** The ffmpeg arguments that copy the parts listed in `list` into `out`. */
const copyArgs = (list: string, out: string) => ['-nostdin', '-hide_banner', '-loglevel', 'error', '-xerror', '-y', '-f', 'concat', '-safe', '0', '-i', `file:${list}`, '-map', '0:v:0', '-c', 'copy', '-an', '-sn', '-dn', '-map_metadata', '-1', '-movflags', '+faststart', '-f', 'mp4', `file:${out}`];

/**
 * Joins `parts` in order into `outPath`, which appears complete or not at all (an abort through
 * `signal` stops ffmpeg and leaves nothing). Frames, duration and size are read back from the result.
 */
export async function joinVideos(ffmpeg: string, parts: readonly string[], opts: { crossfadeFrames?: number; signal?: AbortSignal }, outPath: string): Promise<JoinResult> {
  const signal = opts.signal && { signal: opts.signal };
  const { probed, tracks } = await describeParts(ffmpeg, parts, signal);
  const crossfadeFrames = opts.crossfadeFrames ?? 0;
  return writeAtomically(outPath, async (tmp) => {
    const plan = planJoin(probed, crossfadeFrames, tmp);
    const run = (args: string[]) =>
      runTool(ffmpeg, args, signal).catch(async (e: unknown) => {
        if ((e as Error).name === 'AbortError') throw e;
        throw new Error(await whyJoinFailed(ffmpeg, parts, e));
      });
    if (copyable(probed, crossfadeFrames)) {
      const copied = (tracks && (await concatHere(tracks, probed, tmp, opts.signal))) ?? (await copyParts(ffmpeg, probed, tmp, signal));
      if (copied) return { path: outPath, ...copied, conformed: plan.conformed, copied: true };
    }
    await run(plan.args);
    const made = await describeVideo(ffmpeg, tmp);
    return { path: outPath, width: made.width, height: made.height, fps: made.fps, frames: made.frames, duration: made.duration, conformed: plan.conformed, copied: false };
  });
}

/** The parts read from their MP4 index, with their frames, or, if any cannot be, all of them probed by ffprobe. */
async function describeParts(ffmpeg: string, parts: readonly string[], signal: { signal: AbortSignal } | undefined): Promise<{ probed: VideoInfo[]; tracks?: Mp4Track[] }> {
  const read = await Promise.all(parts.map(readMp4Index));
  signal?.signal.throwIfAborted();
  if (read.every((r) => r !== undefined)) return { probed: read.map((r) => r.info), tracks: read.map((r) => r.track) };
  return { probed: await Promise.all(parts.map((part) => probeVideo(ffmpeg, part, signal))) };
}

/** What the copy made, if it is every frame of every part in its time; undefined otherwise. */
function wholeCopy(made: VideoInfo | undefined, parts: readonly VideoInfo[]) {
  const frames = parts.reduce((sum, p) => sum + p.frames, 0);
  // the length the frames make at the first part's rate, give or take a frame
  if (!made || made.frames !== frames || Math.abs(made.duration - frames / parts[0]!.fps) > 1 / parts[0]!.fps) return undefined;
  return { width: made.width, height: made.height, fps: made.fps, frames: made.frames, duration: made.duration };
}

/**
 * The parts' frames copied into `tmp` in this process (./mp4-concat.ts), and what the result is
 * read from its index; undefined where the writer does not understand the parts or the result
 * is not every frame in its time, or anything failed but an abort (ffmpeg copies them then).
 */
async function concatHere(tracks: readonly Mp4Track[], parts: readonly VideoInfo[], tmp: string, signal: AbortSignal | undefined) {
  try {
    if (!(await concatMp4(tracks, tmp, signal))) return undefined;
    return wholeCopy(await readMp4Header(tmp), parts);
  } catch (e) {
    if ((e as Error).name === 'AbortError' || signal?.aborted) throw e;
    return undefined;
  }
}

/**
 * The parts copied into `tmp` one after the other, and what the result is; undefined when ffmpeg
 * refused or the result is not every frame of every part in its time (encoding does it then).
 */
async function copyParts(ffmpeg: string, parts: readonly VideoInfo[], tmp: string, signal: { signal: AbortSignal } | undefined) {
  const list = `${tmp}.txt`;
  try {
    await writeFile(list, concatList(parts));
    const done = await runTool(ffmpeg, copyArgs(list, tmp), signal).then(
      () => true,
      (e: unknown) => {
        if ((e as Error).name === 'AbortError') throw e;
        return false;
      },
    );
    if (!done) return undefined;
    return wholeCopy(await describeVideo(ffmpeg, tmp), parts);
  } finally {
    await rm(list, { force: true });
  }
}

/** Names the part that does not decode, if one does not; otherwise says what ffmpeg said. */
async function whyJoinFailed(ffmpeg: string, parts: readonly string[], e: unknown): Promise<string> {
  for (const [i, part] of parts.entries()) {
    const broken = await runTool(ffmpeg, ['-nostdin', '-v', 'error', '-xerror', '-i', `file:${part}`, '-map', '0:v:0', '-f', 'null', '-']).then(
      () => undefined,
      (err: unknown) => toolReason(err, part),
    );
    if (broken) return `cannot join the videos: part ${i + 1} ("${part}") does not decode: ${broken}`;
  }
  return `cannot join the videos: ${toolReason(e, '')}`;
}
