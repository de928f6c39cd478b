import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ffprobeBeside, runTool } from '../ffmpeg';
import { systemReason } from '../system-error';

// What a video file is, asked of ffprobe. Packets are counted (the file is read, nothing is
// decoded): that gives the frame count of any container, and a file cut short shows itself by
// having fewer packets than its header announces. What ffprobe said is kept while the file stays
// as it was: starting ffprobe costs more than reading the file, and a chain asks twice about each
// clip (for its last frame, then to join it).

export interface VideoInfo {
  path: string;
  width: number;
  height: number;
  /** Frames per second, from the stream's r_frame_rate. */
  fps: number;
  /** The same rate as ffmpeg writes it ("16/1", "30000/1001"), for filters: 29.97 stays exact. */
  rate: string;
  /** Frames in the file (its video packets); from duration × fps only where the file has no packets to count. */
  frames: number;
  /** Seconds of video (the video stream's, else the file's). */
  duration: number;
  hasAudio: boolean;
  /** How the video is coded, for telling whether clips can be joined as they are, without encoding. */
  coding: { codec: string; pixFmt: string; timeBase: string; sar: string; extradata: string; constantRate: boolean };
}

interface Stream {
  codec_type?: string;
  codec_name?: string;
  pix_fmt?: string;
  time_base?: string;
  sample_aspect_ratio?: string;
  extradata_hash?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  duration?: string;
}

/** A rate "num/den" as a number; undefined for "0/0" and the like. */
function parseRate(rate: string | undefined): number | undefined {
  const [num, den = 1] = (rate ?? '').split('/').map(Number);
  const fps = num! / den;
  return Number.isFinite(fps) && fps > 0 ? fps : undefined;
}

/** The reason ffmpeg or ffprobe gave, without its addresses and the file name it repeats. */
export function toolReason(e: unknown, path: string): string {
  return (e as Error).message
    .replace(/^ff\w+ exited with \d+: /, '')
    .replace(/\[[^\]]* @ 0x[0-9a-f]+\] /g, '')
    .split(`file:${path}: `)
    .join('');
}

/** Stops early, in words naming the file, when there is no file to give ffmpeg. */
async function checkFile(path: string): Promise<Stats> {
  const s = await stat(path).catch((e: unknown) => {
    throw new Error(`cannot read "${path}": ${systemReason(e) ?? (e as Error).message}`);
  });
  if (s.isDirectory()) throw new Error(`"${path}" is a folder, not a video`);
  if (s.size === 0) throw new Error(`"${path}" is empty, not a video`);
  return s;
}

/**
 * Files probed lately, by path, with what identifies their contents (a file written again differs
 * in one of them): what ffprobe said, or is saying (two asking at once start it once).
 */
const known = new Map<string, { version: string; info: Promise<VideoInfo> }>();
const KNOWN_MAX = 256;

export async function probeVideo(ffmpeg: string, path: string, opts: { signal?: AbortSignal } = {}): Promise<VideoInfo> {
  const s = await checkFile(path);
  const version = `${ffmpeg}|${s.dev}|${s.ino}|${s.size}|${s.mtimeMs}|${s.ctimeMs}`;
  let seen = known.get(path);
  if (seen?.version !== version) {
    // not stopped by one asker's abort, as others may wait for it: it is short, and leaves nothing
    const entry = { version, info: askFfprobe(ffmpeg, path) };
    known.delete(path);
    known.set(path, entry);
    if (known.size > KNOWN_MAX) known.delete(known.keys().next().value!);
    // a refusal is not kept: the file may be whole by the next time
    entry.info.catch(() => known.get(path) === entry && known.delete(path));
    seen = entry;
  }
  const info = await abortable(seen.info, opts.signal);
  return { ...info, coding: { ...info.coding } };
}

/** The promise's outcome, or an AbortError if the signal aborts first. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('The operation was aborted', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function askFfprobe(ffmpeg: string, path: string): Promise<VideoInfo> {
  const args = ['-v', 'error', '-count_packets', '-show_data_hash', 'sha256', '-show_entries', 'stream=codec_type,codec_name,pix_fmt,time_base,sample_aspect_ratio,extradata_hash,width,height,r_frame_rate,avg_frame_rate,nb_frames,nb_read_packets,duration:format=duration,format_name', '-of', 'json', `file:${path}`];
  const out = await runTool(ffprobeBeside(ffmpeg), args).catch((e: unknown) => {
    throw new Error(`"${path}" is not a video, or is damaged: ${toolReason(e, path)}`);
  });
  const j = JSON.parse(out) as { streams?: Stream[]; format?: { duration?: string; format_name?: string } };
  const format = j.format?.format_name ?? '';
  const v = j.streams?.find((s) => s.codec_type === 'video');
  if (format === 'image2' || format.endsWith('_pipe')) throw new Error(`"${path}" is a picture, not a video`);
  if (!v?.width || !v.height) throw new Error(`"${path}" has no video stream`);
  const rate = parseRate(v.r_frame_rate) ? v.r_frame_rate! : v.avg_frame_rate;
  const fps = parseRate(rate);
  if (!fps) throw new Error(`"${path}" has no frame rate`);
  const announced = Number(v.nb_frames) || undefined;
  const read = Number(v.nb_read_packets) || 0;
  if (announced !== undefined && read < announced) throw new Error(`"${path}" is damaged or incomplete: ${read} of its ${announced} frames are there`);
  const seconds = Number(v.duration) || Number(j.format?.duration) || 0;
  const frames = read || Math.round(seconds * fps);
  if (frames === 0) throw new Error(`"${path}" has no frames`);
  const coding = {
    codec: v.codec_name ?? '',
    pixFmt: v.pix_fmt ?? '',
    timeBase: v.time_base ?? '',
    sar: v.sample_aspect_ratio ?? '',
    extradata: v.extradata_hash ?? '',
    constantRate: parseRate(v.avg_frame_rate) === fps,
  };
  return { path, width: v.width, height: v.height, fps, rate: rate!, frames, duration: seconds || frames / fps, hasAudio: j.streams?.some((s) => s.codec_type === 'audio') ?? false, coding };
}
