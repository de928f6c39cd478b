import { open, type FileHandle } from 'node:fs/promises';
import { createFile, Log, MP4BoxBuffer } from 'mp4box';
import { IDENTITY_MATRIX, topBoxes } from './mp4-boxes';
import { probeVideo, type VideoInfo } from './probe';

// What an MP4 of plain H.264 is, read from its index (the moov box) in this process: starting
// ffprobe for each clip of a join costs more than the join itself. Only files this reader fully
// understands are described (one H.264 track with its parameter sets in the header, 8-bit 4:2:0,
// progressive, at a constant frame rate, with at most one edit that merely delays the start);
// for anything else it says nothing, and the caller asks ffprobe. A file whose index names data
// past its end is refused, as the probe refuses it.

Log.setLogLevel(Log.error);

/** The index is read whole into memory: a larger one is no clip of ours. */
const MOOV_MAX = 64 << 20;

/** An Exp-Golomb and bit reader over a NAL unit's payload, emulation prevention bytes removed. */
class Bits {
  private readonly bytes: number[] = [];
  private pos = 0;
  constructor(nal: Uint8Array) {
    for (let i = 0, zeros = 0; i < nal.length; i++) {
      if (zeros >= 2 && nal[i] === 3) {
        zeros = 0;
        continue;
      }
      zeros = nal[i] === 0 ? zeros + 1 : 0;
      this.bytes.push(nal[i]!);
    }
  }
  bit(): number {
    const byte = this.bytes[this.pos >> 3];
    if (byte === undefined) throw new RangeError('past the end');
    return (byte >> (7 - (this.pos++ & 7))) & 1;
  }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) if (++zeros > 31) throw new RangeError('bad code');
    return 2 ** zeros - 1 + this.bits(zeros);
  }
}

/**
 * Size and pixel aspect of a sequence parameter set (NAL header included) that is 8-bit 4:2:0
 * and progressive without scaling matrices; undefined for any other, which ffprobe describes.
 */
function readSps(nal: Uint8Array): { width: number; height: number; square: boolean } | undefined {
  try {
    const b = new Bits(nal);
    if ((b.bits(8) & 0x1f) !== 7) return undefined;
    const profile = b.bits(8);
    b.bits(16); // constraint flags, level
    b.ue(); // seq_parameter_set_id
    if (![66, 77, 88].includes(profile)) {
      if (profile !== 100) return undefined;
      // chroma 4:2:0, 8 bits luma and chroma, no lossless, no scaling matrix
      if (b.ue() !== 1 || b.ue() !== 0 || b.ue() !== 0 || b.bit() !== 0 || b.bit() !== 0) return undefined;
    }
    b.ue(); // log2_max_frame_num_minus4
    const pocType = b.ue();
    if (pocType === 0) b.ue();
    else if (pocType !== 2) return undefined;
    b.ue(); // max_num_ref_frames
    b.bit(); // gaps_in_frame_num_value_allowed_flag
    const widthMbs = b.ue() + 1;
    const heightMbs = b.ue() + 1;
    if (b.bit() !== 1) return undefined; // frame_mbs_only_flag: fields are not ours to read
    b.bit(); // direct_8x8_inference_flag
    const crop = b.bit() ? [b.ue(), b.ue(), b.ue(), b.ue()] : [0, 0, 0, 0];
    const [left, right, top, bottom] = crop as [number, number, number, number];
    let square = true;
    if (b.bit() && b.bit()) {
      // vui: aspect_ratio_idc, 0 unspecified, 1 square, 255 given in numbers
      const idc = b.bits(8);
      if (idc === 255) {
        const w = b.bits(16);
        square = w === b.bits(16);
      } else square = idc <= 1;
    }
    return { width: 16 * widthMbs - 2 * (left + right), height: 16 * heightMbs - 2 * (top + bottom), square };
  } catch {
    return undefined;
  }
}

/** The one sequence parameter set in an avcC box's body (NAL header included), if it has one. */
function avcCSps(body: Uint8Array): Uint8Array | undefined {
  // version, profile, compatibility, level, length size, then the count of SPS and the first one's length
  if (body.length < 8 || body[0] !== 1 || (body[5]! & 0x1f) !== 1) return undefined;
  const length = (body[6]! << 8) | body[7]!;
  return body.length >= 8 + length ? body.subarray(8, 8 + length) : undefined;
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

/**
 * The video as probeVideo would describe it, read from the MP4's index; undefined where this
 * reader is not sure (not an MP4, no index, another codec or layout). Throws only for a file
 * whose index names frames that are not there.
 */
export async function readMp4Header(path: string): Promise<VideoInfo | undefined> {
  return (await readMp4Index(path))?.info;
}

/**
 * The video track's frames as the index lists them, where they are in the file and when they are
 * shown: what copying them into another file needs (./mp4-concat.ts).
 */
export interface Mp4Track {
  path: string;
  /** Units per second of the times here. */
  timescale: number;
  /** Every frame's duration: the rate is constant. */
  delta: number;
  /** Where showing starts in the track's time: the edit's media time (B-frames), 0 without one. */
  delay: number;
  offsets: number[];
  sizes: number[];
  /** Each frame's composition time minus its decoding time. */
  ctsOffsets: number[];
  sync: boolean[];
  /** The sample description box (stsd) as it is in the file, header included. */
  stsd: Uint8Array;
  /** Bytes in the length before each NAL unit of a frame (avcC's lengthSizeMinusOne + 1). */
  nalLength: number;
  /** Shown as coded: the track header's matrix is the identity (no rotation, no flip). */
  upright: boolean;
  /** The size it is shown at, as the track header says it (16.16 fixed point). */
  shown: { width: number; height: number };
}

/** What readMp4Header says of the file, with its video track's frames; read once for both. */
export async function readMp4Index(path: string): Promise<{ info: VideoInfo; track: Mp4Track } | undefined> {
  let fd: FileHandle;
  try {
    fd = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const fileSize = (await fd.stat()).size;
    if (fileSize === 0) return undefined;
    const boxes = await topBoxes(fd, fileSize);
    const ftyp = boxes?.[0];
    const moovs = boxes?.filter((b) => b.type === 'moov') ?? [];
    const moov = moovs[0];
    if (ftyp?.type !== 'ftyp' || moovs.length !== 1 || !moov || boxes!.some((b) => b.type === 'moof')) return undefined;
    if (moov.offset + moov.size > fileSize || moov.size > MOOV_MAX || ftyp.size > 4096) return undefined;
    // mp4box wants the file type first; the index's frame offsets are absolute, so the two read as one
    const bytes = new Uint8Array(ftyp.size + moov.size);
    await fd.read(bytes, 0, ftyp.size, 0);
    await fd.read(bytes, ftyp.size, moov.size, moov.offset);
    return describe(path, bytes, fileSize);
  } finally {
    await fd.close();
  }
}

/** A video read from its MP4 index where this reader understands it, else probed by ffprobe. */
export const describeVideo = async (ffmpeg: string, path: string, opts: { signal?: AbortSignal } = {}): Promise<VideoInfo> => (await readMp4Header(path)) ?? probeVideo(ffmpeg, path, opts);

function describe(path: string, bytes: Uint8Array, fileSize: number): { info: VideoInfo; track: Mp4Track } | undefined {
  const file = createFile();
  let failed = false;
  file.onError = () => (failed = true);
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.buffer, 0));
    file.flush();
  } catch {
    return undefined;
  }
  const movie = file.moov;
  if (failed || !movie) return undefined;
  const tracks = movie.traks;
  const video = tracks.filter((t) => t.mdia?.hdlr?.handler === 'vide');
  const v = tracks[0];
  // one video track, first: the concat demuxer matches the parts' streams by their place
  if (video.length !== 1 || v !== video[0] || !v) return undefined;
  const entries = v.mdia.minf.stbl.stsd.entries;
  const entry = entries[0] as { type?: string; width?: number; height?: number; avcC?: { start: number; size: number }; pasp?: { hSpacing: number; vSpacing: number } } | undefined;
  if (entries.length !== 1 || entry?.type !== 'avc1' || !entry.avcC || !entry.width || !entry.height) return undefined;
  const avcC = bytes.subarray(entry.avcC.start, entry.avcC.start + entry.avcC.size);
  if (Buffer.from(avcC.subarray(4, 8)).toString('latin1') !== 'avcC') return undefined;
  const sps = avcCSps(avcC.subarray(8));
  const seq = sps && readSps(sps);
  if (!seq || seq.width !== entry.width || seq.height !== entry.height) return undefined;
  const square = seq.square && (!entry.pasp || entry.pasp.hSpacing === entry.pasp.vSpacing);

  const samples = v.samples;
  const timescale = v.mdia.mdhd.timescale;
  const delta = samples[0]?.duration ?? 0;
  if (!timescale || !delta || samples.length !== v.samples_duration / delta || samples.some((s) => s.duration !== delta)) return undefined;
  const duration = (samples.length * delta) / timescale;
  // an edit that delays the start (B-frames) and shows every frame is understood; any other is not
  const edits = v.edts?.elst?.entries ?? [];
  if (edits.length > 1) return undefined;
  const edit = edits[0];
  if (edit && (edit.media_rate_integer !== 1 || edit.media_time < 0 || Math.abs(edit.segment_duration / movie.mvhd.timescale - duration) > delta / timescale)) return undefined;

  // the file is whole if every frame it names is inside it
  const within = (s: { offset: number; size: number }) => s.offset + s.size <= fileSize;
  const present = samples.filter(within).length;
  if (present < samples.length) throw new Error(`"${path}" is damaged or incomplete: ${present} of its ${samples.length} frames are there`);
  if (!tracks.every((t) => t.samples.every(within))) return undefined;

  const g = gcd(timescale, delta);
  const codec = `avc1.${[...avcC.subarray(9, 12)].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
  const info: VideoInfo = {
    path,
    width: entry.width,
    height: entry.height,
    fps: timescale / delta,
    rate: `${timescale / g}/${delta / g}`,
    frames: samples.length,
    duration,
    hasAudio: tracks.some((t) => t.mdia?.hdlr?.handler === 'soun'),
    coding: { codec: 'h264', pixFmt: 'yuv420p', timeBase: `1/${timescale}`, sar: square ? '1:1' : 'not square', extradata: `${codec}:${Buffer.from(avcC.subarray(8)).toString('hex')}`, constantRate: true },
  };
  // where mp4box did not say where the description is, none is handed on, and the frames are not copied here
  const { start = -1, size } = v.mdia.minf.stbl.stsd;
  const found = start >= 0 && Buffer.from(bytes.subarray(start + 4, start + 8)).toString('latin1') === 'stsd';
  const stsd = found ? bytes.slice(start, start + size) : new Uint8Array(0);
  const track: Mp4Track = {
    path,
    timescale,
    delta,
    delay: edit?.media_time ?? 0,
    offsets: samples.map((s) => s.offset),
    sizes: samples.map((s) => s.size),
    ctsOffsets: samples.map((s) => s.cts - s.dts),
    sync: samples.map((s) => s.is_sync),
    stsd,
    nalLength: (avcC[12]! & 3) + 1,
    upright: IDENTITY_MATRIX.every((x, i) => v.tkhd.matrix[i] === x),
    shown: { width: v.tkhd.width, height: v.tkhd.height },
  };
  return { info, track };
}
