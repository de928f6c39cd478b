import type { FileHandle } from 'node:fs/promises';

// The boxes an MP4 (ISO BMFF) file is made of: each is a size, a four-letter type and a body;
// some bodies are boxes again. Read here where they sit and write new ones; what a box means is
// for the files that use it (mp4-header.ts, mp4-comment.ts).

export interface Box {
  type: string;
  /** Where the box starts (its size field), in the file or buffer it was read from. */
  offset: number;
  /** The whole box, header included. */
  size: number;
  /** The header's length: 8, or 16 where the size is given in 64 bits. */
  header: number;
}

const TOP_BOXES_MAX = 64;

/** The file's top-level boxes, or undefined where their sizes do not add up. */
export async function topBoxes(fd: FileHandle, fileSize: number): Promise<Box[] | undefined> {
  const boxes: Box[] = [];
  const head = Buffer.alloc(16);
  for (let offset = 0; offset < fileSize; ) {
    if (boxes.length === TOP_BOXES_MAX || offset + 8 > fileSize) return undefined;
    await fd.read(head, 0, 16, offset);
    const found = boxAt(head, 0, fileSize - offset);
    if (!found) return undefined;
    boxes.push({ ...found, offset });
    offset += found.size;
  }
  return boxes;
}

/** The boxes one after the other in `bytes[start, end)` (a box's body), or undefined where they do not fit it exactly. */
export function childBoxes(bytes: Uint8Array, start: number, end: number): Box[] | undefined {
  const boxes: Box[] = [];
  for (let offset = start; offset < end; ) {
    const found = boxAt(bytes, offset, end - offset);
    if (!found || found.size > end - offset) return undefined;
    boxes.push({ ...found, offset });
    offset += found.size;
  }
  return boxes;
}

/** The box whose header starts at `at`, with `room` bytes left for it; a size of 0 means "to the end". */
function boxAt(bytes: Uint8Array, at: number, room: number): Omit<Box, 'offset'> | undefined {
  if (room < 8 || bytes.length < at + 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1');
  let size = view.getUint32(at);
  let header = 8;
  if (size === 1) {
    if (room < 16 || bytes.length < at + 16) return undefined;
    size = Number(view.getBigUint64(at + 8));
    header = 16;
  } else if (size === 0) size = room;
  return size < header ? undefined : { type, size, header };
}

/** A box of `type` holding `body`. */
export function box(type: string, ...body: Uint8Array[]): Buffer {
  return Buffer.concat([boxHeader(type, body.reduce((sum, b) => sum + b.length, 0)), ...body]);
}

/** A full box: a version and 24 bits of flags before the body. */
export const fullBox = (type: string, version: number, flags: number, ...body: Uint8Array[]): Buffer => {
  const vf = Buffer.alloc(4);
  vf.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
  return box(type, vf, ...body);
};

/** The header of a box of `type` whose body of `bodySize` bytes is written apart: 16 bytes (a 64-bit size) where 8 cannot say it. */
export function boxHeader(type: string, bodySize: number): Buffer {
  const wide = 8 + bodySize > 0xffffffff;
  const head = Buffer.alloc(wide ? 16 : 8);
  head.writeUInt32BE(wide ? 1 : 8 + bodySize, 0);
  head.write(type, 4, 'latin1');
  if (wide) head.writeBigUInt64BE(BigInt(16 + bodySize), 8);
  return head;
}

/** The transformation matrix of a movie or track shown as it is coded (mvhd, tkhd): 16.16 and 2.30 fixed point. */
export const IDENTITY_MATRIX: readonly number[] = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
