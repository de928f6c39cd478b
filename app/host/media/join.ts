import { runTool } from '../ffmpeg';
import { writeAtomically } from './output';
import { probeVideo, toolReason, type VideoInfo } from './probe';

// Clips joined in order into one H.264 MP4. Every part is conformed to the first: scaled to fit
// and letterboxed in black, its frame rate converted, so that concat and xfade get alike frames.
// Cross-fades are placed by frame counts (each part's own, converted to the first part's rate),
// which makes the joined length exactly the sum of the parts minus the fades. Audio is dropped:
// Wan's videos have none.

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
}

interface JoinPlan extends Omit<JoinResult, 'path'> {
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

/**
 * Joins `parts` in order into `outPath`, which appears complete or not at all (an abort through
 * `signal` stops ffmpeg and leaves nothing). Frames, duration and size are read back from the result.
 */
export async function joinVideos(ffmpeg: string, parts: readonly string[], opts: { crossfadeFrames?: number; signal?: AbortSignal }, outPath: string): Promise<JoinResult> {
  const signal = opts.signal && { signal: opts.signal };
  const probed = await Promise.all(parts.map((part) => probeVideo(ffmpeg, part, signal)));
  return writeAtomically(outPath, async (tmp) => {
    const plan = planJoin(probed, opts.crossfadeFrames ?? 0, tmp);
    await runTool(ffmpeg, plan.args, signal).catch(async (e: unknown) => {
      if ((e as Error).name === 'AbortError') throw e;
      throw new Error(await whyJoinFailed(ffmpeg, parts, e));
    });
    const made = await probeVideo(ffmpeg, tmp);
    return { path: outPath, width: made.width, height: made.height, fps: made.fps, frames: made.frames, duration: made.duration, conformed: plan.conformed };
  });
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
