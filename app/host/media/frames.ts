import { open } from 'node:fs/promises';
import type { FramePick } from '../../core/plan';
import { ffprobeBeside, runTool } from '../ffmpeg';
import { writeAtomically } from './output';
import { probeVideo, toolReason, type VideoInfo } from './probe';

// One frame of a video as a PNG. Frames are counted from 0 in display order, as ffmpeg decodes
// them. The last frame is the last one decoded: ffmpeg decodes the final stretch of the video and
// keeps overwriting the picture (-update), since a seek from the end lands near it, not on it.


export interface ExtractedFrame {
  path: string;
  width: number;
  height: number;
}

const BEFORE = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-xerror', '-y'];
const PNG = ['-map', '0:v:0', '-an', '-sn', '-dn', '-update', '1', '-c:v', 'png', '-f', 'image2'];

const describe = (pick: FramePick) => (pick.at === 'index' ? `frame ${pick.index}` : pick.at === 'time' ? `the frame at ${pick.seconds} s` : `the ${pick.at} frame`);

/** Writes the picked frame of `video` to `outPath` (PNG); the file appears complete or not at all. */
export async function extractFrame(ffmpeg: string, video: string, pick: FramePick, outPath: string, opts: { signal?: AbortSignal } = {}): Promise<ExtractedFrame> {
  const info = await probeVideo(ffmpeg, video, opts);
  const index = pick.at === 'time' ? await indexAtTime(ffmpeg, info, pick.seconds, opts) : pick.at === 'index' ? checkIndex(info, pick.index) : undefined;
  return writeAtomically(outPath, async (tmp) => {
    const run = async (input: string[], output: string[]) => {
      await runTool(ffmpeg, [...BEFORE, ...input, '-i', `file:${video}`, ...output, ...PNG, `file:${tmp}`], opts).catch((e: unknown) => {
        if ((e as Error).name === 'AbortError') throw e;
        throw new Error(`cannot take ${describe(pick)} of "${video}": ${toolReason(e, video)}`);
      });
      return pngSize(tmp);
    };
    let size: { width: number; height: number } | undefined;
    if (pick.at === 'last') {
      // from a little before the end; should the seek overshoot (a stream ending before the file does), from the start
      const from = info.duration - Math.max(0.5, 4 / info.fps);
      size = (from > 0 ? await run(['-ss', from.toFixed(3)], []) : undefined) ?? (await run([], []));
    } else if (index === 0 || pick.at === 'first') size = await run([], ['-frames:v', '1']);
    else size = await run([], ['-vf', `select=eq(n\\,${index})`, '-frames:v', '1']);
    if (!size) throw new Error(`cannot take ${describe(pick)} of "${video}": ffmpeg decoded no such frame (the file has ${info.frames} frames, some may not decode)`);
    return { path: outPath, ...size };
  });
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
