import { open } from 'node:fs/promises';
import { box, boxHeader, childBoxes, fullBox, IDENTITY_MATRIX } from './mp4-boxes';
import type { Mp4Track } from './mp4-header';

// Alike MP4 clips joined in this process: their video frames copied one after the other into a
// new MP4 whose index (moov) comes before the frames (mdat), so that it plays before it is fully
// loaded. Starting ffmpeg and its second pass (+faststart) cost more than copying the bytes. Only
// parts whose frames this writer fully understands are joined here (same time base and rate,
// same start delay, same sample description, shown upright, every frame shown once in a steady
// rhythm); for any other it writes nothing and says so, and ffmpeg's concat copies them. Only the
// video track is taken, and nothing of the parts' metadata.

/** Frames lying one after the other in a part, read at once: where, how many bytes, and which frames. */
interface Read {
  from: number;
  length: number;
  first: number;
  end: number;
}

/** Frames that sit together in the result, as its index lists them. */
interface Chunk {
  frames: number;
  bytes: number;
}

/** How the joined file is laid out: its header (ftyp, moov, mdat's header), then each part's frames in turn. */
interface Layout {
  head: Buffer;
  reads: Read[][];
}

/** A chunk of the result is kept under this, as ffmpeg keeps it (a frame larger is a chunk alone). */
const CHUNK_MAX = 1 << 20;
/** Bytes read and written at a time, at most (a frame larger is read alone). */
const BLOCK = 4 << 20;
/** A visual sample entry's fields before its child boxes, header included (ISO/IEC 14496-12, VisualSampleEntry). */
const VISUAL_ENTRY_FIELDS = 86;
const U32_MAX = 0xffffffff;

/** Numbers as 32-bit words (an array, not arguments: a table can hold more than a call takes). */
const u32s = (xs: readonly number[]) => {
  const b = Buffer.alloc(4 * xs.length);
  xs.forEach((x, i) => b.writeUInt32BE(x, 4 * i));
  return b;
};
const u64s = (xs: readonly number[]) => {
  const b = Buffer.alloc(8 * xs.length);
  xs.forEach((x, i) => b.writeBigUInt64BE(BigInt(x), 8 * i));
  return b;
};
const u32 = (...xs: number[]) => u32s(xs);
/** A time or duration: 64 bits in a version 1 box, 32 in version 0. */
const time = (wide: boolean, x: number) => (wide ? u64s([x]) : u32(x));
const zeros = (n: number) => Buffer.alloc(n);
const latin1 = (s: string) => Buffer.from(s, 'latin1');

/**
 * The stsd box of one visual sample entry without its bit rate box (btrt): that speaks of one part,
 * not of the whole, and differs from part to part. Undefined for any other layout.
 */
function sampleDescription(stsd: Uint8Array): Buffer | undefined {
  const view = new DataView(stsd.buffer, stsd.byteOffset, stsd.byteLength);
  if (stsd.length < 16 || view.getUint32(0) !== stsd.length || view.getUint32(8) !== 0 || view.getUint32(12) !== 1) return undefined;
  const entries = childBoxes(stsd, 16, stsd.length);
  const entry = entries?.[0];
  if (entries?.length !== 1 || !entry || entry.header !== 8 || entry.size < VISUAL_ENTRY_FIELDS) return undefined;
  const children = childBoxes(stsd, entry.offset + VISUAL_ENTRY_FIELDS, entry.offset + entry.size);
  if (!children) return undefined;
  const kept = children.filter((c) => c.type !== 'btrt').map((c) => stsd.subarray(c.offset, c.offset + c.size));
  return fullBox('stsd', 0, 0, u32(1), box(entry.type, stsd.subarray(entry.offset + 8, entry.offset + VISUAL_ENTRY_FIELDS), ...kept));
}

/** Whether every frame is shown once, one per frame duration from the start delay: then parts follow one another without a gap or overlap. */
function steady(p: Mp4Track): boolean {
  if (p.ctsOffsets.some((c) => c < 0)) return false;
  const shown = p.ctsOffsets.map((c, i) => i * p.delta + c - p.delay).sort((a, b) => a - b);
  return shown.every((t, k) => t === k * p.delta);
}

/** Runs of equal values, as [count, value] pairs (stts, ctts, stsc). */
function runs(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && last[1] === v) last[0]++;
    else out.push([1, v]);
  }
  return out;
}

/** The joined file's layout; undefined where the parts are not all understood and alike. */
function layout(parts: readonly Mp4Track[]): Layout | undefined {
  const first = parts[0];
  const stsd = first && sampleDescription(first.stsd);
  if (!first || !stsd) return undefined;
  for (const p of parts) {
    const alike = p.timescale === first.timescale && p.delta === first.delta && p.delay === first.delay && p.shown.width === first.shown.width && p.shown.height === first.shown.height;
    if (!alike || !p.upright || p.sizes.length === 0 || !steady(p) || !sampleDescription(p.stsd)?.equals(stsd)) return undefined;
  }

  // whole frames next to each other in a part are read at once; the result's chunks are cut by size and at each part
  const reads: Read[][] = [];
  const chunks: Chunk[] = [];
  for (const p of parts) {
    const own: Read[] = [];
    let chunk: Chunk | undefined;
    for (let i = 0; i < p.sizes.length; i++) {
      const [at, size] = [p.offsets[i]!, p.sizes[i]!];
      const read = own[own.length - 1];
      if (read && read.from + read.length === at && read.length + size <= BLOCK) {
        read.length += size;
        read.end++;
      } else own.push({ from: at, length: size, first: i, end: i + 1 });
      if (chunk && chunk.bytes + size <= CHUNK_MAX) {
        chunk.frames++;
        chunk.bytes += size;
      } else chunks.push((chunk = { frames: 1, bytes: size }));
    }
    reads.push(own);
  }
  return { head: header(parts, stsd, chunks), reads };
}

/** ftyp, moov and mdat's header of the joined file: what comes before the frames, which follow in the order of `chunks`. */
function header(parts: readonly Mp4Track[], stsd: Buffer, chunks: readonly Chunk[]): Buffer {
  const first = parts[0]!;
  const { timescale, delta, delay } = first;
  const frames = parts.reduce((n, p) => n + p.sizes.length, 0);
  const duration = frames * delta;
  const dataBytes = chunks.reduce((n, c) => n + c.bytes, 0);
  const wide = duration > U32_MAX;
  const matrix = u32s(IDENTITY_MATRIX);

  const ftyp = box('ftyp', latin1('isom'), u32(0x200), latin1('isomiso2avc1mp41'));
  const mvhd = fullBox('mvhd', wide ? 1 : 0, 0, time(wide, 0), time(wide, 0), u32(timescale), time(wide, duration), u32(0x10000), Buffer.from([1, 0]), zeros(10), matrix, zeros(24), u32(2));
  const tkhd = fullBox('tkhd', wide ? 1 : 0, 3, time(wide, 0), time(wide, 0), u32(1, 0), time(wide, duration), zeros(16), matrix, u32(first.shown.width, first.shown.height));
  // the start delay of B-frames, as the parts have it: showing starts at the first frame shown, and lasts the frames' time
  const edts = delay > 0 ? [box('edts', fullBox('elst', wide ? 1 : 0, 0, u32(1), time(wide, duration), time(wide, delay), u32(0x10000)))] : [];
  const mdhd = fullBox('mdhd', wide ? 1 : 0, 0, time(wide, 0), time(wide, 0), u32(timescale), time(wide, duration), Buffer.from([0x55, 0xc4, 0, 0]));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), latin1('vide'), zeros(12), latin1('VideoHandler\0'));
  const vmhd = fullBox('vmhd', 0, 1, zeros(8));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));

  const cts = parts.flatMap((p) => p.ctsOffsets);
  const sync = parts.flatMap((p) => p.sync);
  const table = (offsets: Buffer) => [
    stsd,
    fullBox('stts', 0, 0, u32(1, frames, delta)),
    ...(sync.every(Boolean) ? [] : [fullBox('stss', 0, 0, u32(sync.filter(Boolean).length), u32s(sync.flatMap((s, i) => (s ? [i + 1] : []))))]),
    ...(cts.every((c) => c === 0) ? [] : [fullBox('ctts', 0, 0, u32(runs(cts).length), u32s(runs(cts).flat()))]),
    fullBox('stsc', 0, 0, u32(stscRuns(chunks).length), u32s(stscRuns(chunks).flat())),
    fullBox('stsz', 0, 0, u32(0, frames), u32s(parts.flatMap((p) => p.sizes))),
    offsets,
  ];
  const moov = (offsets: Buffer) => box('moov', mvhd, box('trak', tkhd, ...edts, box('mdia', mdhd, hdlr, box('minf', vmhd, dinf, box('stbl', ...table(offsets))))));
  const mdat = boxHeader('mdat', dataBytes);

  // the offsets' values do not change the index's length: measure it, then write them
  const starts = (base: number) => chunks.reduce<number[]>((at, c, i) => (at.push(i === 0 ? base : at[i - 1]! + chunks[i - 1]!.bytes), at), []);
  const place = (co64: boolean, base: number) => (co64 ? fullBox('co64', 0, 0, u32(chunks.length), u64s(starts(base))) : fullBox('stco', 0, 0, u32(chunks.length), u32s(starts(base))));
  let co64 = false;
  let base = ftyp.length + moov(place(co64, 0)).length + mdat.length;
  if (base + dataBytes > U32_MAX) {
    co64 = true;
    base = ftyp.length + moov(place(co64, 0)).length + mdat.length;
  }
  return Buffer.concat([ftyp, moov(place(co64, base)), mdat]);
}

/** stsc's entries: [first chunk, frames per chunk, sample description 1] where the frames per chunk change. */
function stscRuns(chunks: readonly Chunk[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  chunks.forEach((c, i) => {
    if (out[out.length - 1]?.[1] !== c.frames) out.push([i + 1, c.frames, 1]);
  });
  return out;
}

/**
 * Whether the frame at `bytes[at, at + size)` is NAL units, each after its length, filling it
 * exactly: what ffmpeg's copy checks of each frame (h264_mp4toannexb). A frame whose data was
 * overwritten fails it; ffmpeg then says what is wrong.
 */
function nalUnits(bytes: Buffer, at: number, size: number, lengthBytes: number): boolean {
  const end = at + size;
  for (let p = at; p < end; ) {
    if (p + lengthBytes >= end) return false;
    const length = bytes.readUIntBE(p, lengthBytes);
    p += lengthBytes;
    // at least a NAL header, whose first bit is 0
    if (length === 0 || length > end - p || (bytes[p]! & 0x80) !== 0) return false;
    p += length;
  }
  return true;
}

/**
 * Writes the parts' video frames one after the other into `out` (a new file, made whole or
 * abandoned by the caller). False where the parts are not all understood and alike (nothing is
 * written then) or a frame is not NAL units as its index says (the file is left unfinished). An
 * abort through `signal` is seen between reads and throws.
 */
export async function concatMp4(parts: readonly Mp4Track[], out: string, signal?: AbortSignal): Promise<boolean> {
  const plan = layout(parts);
  if (!plan) return false;
  signal?.throwIfAborted();
  const fd = await open(out, 'w');
  try {
    let at = 0;
    const put = async (bytes: Buffer, length: number) => {
      const { bytesWritten } = await fd.write(bytes, 0, length, at);
      if (bytesWritten !== length) throw new Error(`cannot write "${out}": only ${bytesWritten} of ${length} bytes were written`);
      at += length;
    };
    await put(plan.head, plan.head.length);
    const buffer = Buffer.allocUnsafe(plan.reads.flat().reduce((n, r) => Math.max(n, r.length), 0));
    for (const [k, part] of parts.entries()) {
      signal?.throwIfAborted();
      const source = await open(part.path, 'r');
      try {
        for (const read of plan.reads[k]!) {
          signal?.throwIfAborted();
          const { bytesRead } = await source.read(buffer, 0, read.length, read.from);
          if (bytesRead !== read.length) throw new Error(`"${part.path}" ended before its frames did`);
          for (let i = read.first, p = 0; i < read.end; p += part.sizes[i++]!) if (!nalUnits(buffer, p, part.sizes[i]!, part.nalLength)) return false;
          await put(buffer, read.length);
        }
      } finally {
        await source.close();
      }
    }
    return true;
  } finally {
    await fd.close();
  }
}
