import { open } from 'node:fs/promises';
import type { FramePick } from '../../core/plan';
import { ffprobeBeside, runTool } from '../ffmpeg';
import { describeVideo } from './mp4-header';
import { writeAtomically } from './output';
import { toolReason, type VideoInfo } from './probe';

// One frame of a video as a PNG. Frames are counted from 0 in display order, as ffmpeg decodes
// them. The last frame is the last one decoded: ffmpeg decodes the final stretch of the video and
// keeps the last picture it got (a seek from the end lands near the end, not on it; the half second
// decoded from there is turned around, so that its last picture is the one made a PNG). The first and
// the last frame need nothing from the probe to be found, so ffmpeg takes them while the file is
// checked (its MP4 index read, or ffprobe asked); that refusal (a damaged or cut file) is the one said.

export interface ExtractedFrame {
  path: string;
  width: number;
  height: number;
}

const BEFORE = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-xerror', '-y'];
const PNG = ['-map', '0:v:0', '-an', '-sn', '-dn', '-update', '1', '-c:v', 'png', '-f', 'image2'];
/** Decoded from this far before the end of the file (s): the last frame is in it at 2 fps and more. */
const TAIL_S = 0.5;

const describe = (pick: FramePick) => (pick.at === 'index' ? `frame ${pick.index}` : pick.at === 'time' ? `the frame at ${pick.seconds} s` : `the ${pick.at} frame`);

/** Writes the picked frame of `video` to `outPath` (PNG); the file appears complete or not at all. */
export async function extractFrame(ffmpeg: string, video: string, pick: FramePick, outPath: string, opts: { signal?: AbortSignal } = {}): Promise<ExtractedFrame> {
  const ends = pick.at === 'last' || pick.at === 'first';
  // taking the first or last frame does not wait for the probe; should the probe refuse the file, that stops it
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const probing = describeVideo(ffmpeg, video, opts).catch((e: unknown) => {
    stop.abort(e);
    throw e;
  });
  if (!ends) await probing;
  const taking = writeAtomically(outPath, async (tmp) => {
    const run = async (input: string[], output: string[]) => {
      await runTool(ffmpeg, [...BEFORE, ...input, '-i', `file:${video}`, ...output, ...PNG, `file:${tmp}`], { signal }).catch((e: unknown) => {
        if ((e as Error).name === 'AbortError') throw e;
        throw new Error(`cannot take ${describe(pick)} of "${video}": ${toolReason(e, video)}`);
      });
      return pngSize(tmp);
    };
    let size: { width: number; height: number } | undefined;
    if (pick.at === 'last') {
      size =
        // the tail backwards, so that only its last frame becomes a PNG (not each frame it decodes)
        (await run(['-sseof', `-${TAIL_S}`], ['-vf', 'reverse', '-frames:v', '1'])) ??
        // the file outlasts its picture (a longer soundtrack): from before the end of the video stream, else from the start
        (await lastByProbe(await probing, run)) ??
        (await run([], []));
    } else if (pick.at === 'first') size = await run([], ['-frames:v', '1']);
    else {
      const index = pick.at === 'time' ? await indexAtTime(ffmpeg, await probing, pick.seconds, opts) : checkIndex(await probing, pick.index);
      size = await run([], index === 0 ? ['-frames:v', '1'] : ['-vf', `select=eq(n\\,${index})`, '-frames:v', '1']);
    }
    const info = await probing;
    if (!size) throw new Error(`cannot take ${describe(pick)} of "${video}": ffmpeg decoded no such frame (the file has ${info.frames} frames, some may not decode)`);
    return { path: outPath, ...size };
  });
  const [probed, taken] = await Promise.allSettled([probing, taking]);
  if (probed.status === 'rejected') throw probed.reason;
  if (taken.status === 'rejected') throw taken.reason;
  return taken.value;
}

/** The last frame from a little before the end of the video stream, as the probe says it is. */
function lastByProbe(info: VideoInfo, run: (input: string[], output: string[]) => Promise<{ width: number; height: number } | undefined>) {
  const from = info.duration - Math.max(0.5, 4 / info.fps);
  return from > 0 ? run(['-ss', from.toFixed(3)], []) : undefined;
}

function checkIndex(info: VideoInfo, index: number): number {
  if (!Number.isInteger(index) || index < 0) throw new Error(`a frame index is a whole number from 0, not ${index}`);
  if (index >= info.frames) throw new Error(`frame ${index} is past the end of "${info.path}": it has ${info.frames} frames (0 to ${info.frames - 1})`);
  return index;
}

/** The index of the frame shown at `seconds` from the video's start: the last one whose time is not after it. */
async function indexAtTime(ffmpeg: string, info: VideoInfo, seconds: number, opts: { signal?: AbortSignal }): Promise<number> {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`a time in a video is a number of seconds from 0, not ${seconds}`);
  if (seconds >= info.duration) throw new Error(`${seconds} s is past the end of "${info.path}": it is ${info.duration.toFixed(3)} s long`);
  const out = await runTool(ffprobeBeside(ffmpeg), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', `file:${info.path}`], opts);
  // packets come in decoding order; those flagged D (discarded by an edit list) are never shown
  const times = out
    .split('\n')
    .map((line) => line.split(','))
    .filter(([t, flags]) => t && t !== 'N/A' && !flags?.includes('D'))
    .map(([t]) => Number(t))
    .sort((a, b) => a - b);
  if (times.length === 0) return checkIndex(info, Math.floor(seconds * info.fps + 1e-6));
  const start = times[0]!;
  const shown = times.filter((t) => t - start <= seconds + 1e-6).length;
  return checkIndex(info, Math.max(0, shown - 1));
}

/** A PNG's size from its header; undefined when ffmpeg wrote nothing. */
async function pngSize(path: string): Promise<{ width: number; height: number } | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const head = Buffer.alloc(24);
    const { bytesRead } = await handle.read(head, 0, 24, 0);
    if (bytesRead < 24) return undefined;
    return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  } finally {
    await handle.close();
  }
}
