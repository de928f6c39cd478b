import { readFile, stat, writeFile } from 'node:fs/promises';
import { box, childBoxes, fullBox, type Box } from './mp4-boxes';

// A text put into an MP4's (or MOV's) comment tag in this process, where ffmpeg can read it back
// (`format_tags=comment`): the index gains moov/udta/meta/ilst/©cmt, as ffmpeg's muxer writes it,
// and the frames are copied byte for byte. Starting ffmpeg to do the same costs a chain link most
// of its time. Only a progressive file with one index is rewritten; for any other (fragmented,
// not ISO media) nothing is written and the caller asks ffmpeg.

/** A file is read whole: anything larger is no clip of ours, and goes to ffmpeg. */
const FILE_MAX = 1 << 30;
/** Boxes on the way from moov to a track's chunk offsets. */
const TO_OFFSETS = new Set(['trak', 'mdia', 'minf', 'stbl']);

/** The user data box holding `text` as the comment, in iTunes form (ffmpeg writes and reads it so). */
function commentUdta(text: string): Buffer {
  // handler "mdir", made by "appl", an empty name: what players look for before reading ilst
  const handler = Buffer.alloc(4 + 4 + 12 + 1);
  handler.write('mdir', 4, 'latin1');
  handler.write('appl', 8, 'latin1');
  // a data box: type 1 (UTF-8), locale 0, then the text
  const data = box('data', Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]), Buffer.from(text, 'utf8'));
  return box('udta', fullBox('meta', 0, 0, fullBox('hdlr', 0, 0, handler), box('ilst', box('\u00a9cmt', data))));
}

/**
 * Adds `delta` to every chunk offset in `moov` at or past `from` (the frames that move when the
 * index before them grows); false where the tables are not whole or an offset outgrows 32 bits.
 */
function moveChunks(moov: Buffer, start: number, end: number, from: number, delta: number): boolean {
  const boxes = childBoxes(moov, start, end);
  if (!boxes) return false;
  return boxes.every((b: Box) => {
    const body = b.offset + b.header;
    const stop = b.offset + b.size;
    if (TO_OFFSETS.has(b.type)) return moveChunks(moov, body, stop, from, delta);
    if (b.type !== 'stco' && b.type !== 'co64') return true;
    const wide = b.type === 'co64';
    if (body + 8 > stop) return false;
    const count = moov.readUInt32BE(body + 4);
    if (body + 8 + count * (wide ? 8 : 4) > stop) return false;
    for (let i = 0, at = body + 8; i < count; i++, at += wide ? 8 : 4) {
      const offset = wide ? Number(moov.readBigUInt64BE(at)) : moov.readUInt32BE(at);
      if (offset < from) continue;
      if (wide) moov.writeBigUInt64BE(BigInt(offset + delta), at);
      else if (offset + delta > 0xffffffff) return false;
      else moov.writeUInt32BE(offset + delta, at);
    }
    return true;
  });
}

/**
 * The bytes of `file` with `text` as its comment (any user data the index had is replaced, as
 * ffmpeg's `-map_metadata` does), or undefined where the file is not one this rewrites.
 */
export function withComment(file: Buffer, text: string): Buffer[] | undefined {
  const top = childBoxes(file, 0, file.length);
  const moovs = top?.filter((b) => b.type === 'moov') ?? [];
  const moov = moovs[0];
  if (top?.[0]?.type !== 'ftyp' || moovs.length !== 1 || !moov || top.some((b) => b.type === 'moof')) return undefined;
  const children = childBoxes(file, moov.offset + moov.header, moov.offset + moov.size);
  if (!children?.some((b) => b.type === 'trak') || children.some((b) => b.type === 'mvex')) return undefined;
  const kept = children.filter((b) => b.type !== 'udta').map((b) => file.subarray(b.offset, b.offset + b.size));
  const next = box('moov', ...kept, commentUdta(text));
  const end = moov.offset + moov.size;
  if (!moveChunks(next, 8, next.length, end, next.length - moov.size)) return undefined;
  return [file.subarray(0, moov.offset), next, file.subarray(end)];
}

/**
 * Writes `src` to `out` with `text` as its comment tag; false, writing nothing, where the file is
 * not a progressive MP4 or MOV this understands (ffmpeg can still do it then).
 */
export async function writeComment(src: string, out: string, text: string): Promise<boolean> {
  const { size } = await stat(src);
  if (size > FILE_MAX) return false;
  const parts = withComment(await readFile(src), text);
  if (!parts) return false;
  await writeFile(out, parts);
  return true;
}
