import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeBeside, findFfmpeg } from '../../app/host/ffmpeg';
import { box, fullBox } from '../../app/host/media/mp4-boxes';
import { withComment, writeComment } from '../../app/host/media/mp4-comment';
import { graphFromVideo, Library, type Provenance } from '../../app/host/jobs/library';
import type { JobRecord, ResultRecord } from '../../app/host/jobs/types';

// The graph's text put into a video's comment tag in this process, read back by ffprobe as ffmpeg
// would have written it, with every packet of every stream unchanged.

const exec = promisify(execFile);
const ffmpeg = await findFfmpeg();
const why = ffmpeg ? '' : ' — skipped: no ffmpeg on this machine';
const SLOW = 120_000;
let dir = '';
const at = (name: string) => join(dir, name);

async function make(name: string, more: string[]): Promise<string> {
  await exec(ffmpeg!, ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=160x96:r=16:d=2', '-f', 'lavfi', '-i', 'sine=d=2', ...more, at(name)]);
  return at(name);
}
const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'];

const commentOf = async (file: string) => {
  const { stdout } = await exec(ffprobeBeside(ffmpeg!), ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', file], { maxBuffer: 64 << 20 });
  return (JSON.parse(stdout) as { format: { tags?: Record<string, string> } }).format.tags ?? {};
};
/** A hash of every packet of every stream: equal only if not one byte of the media changed. */
const packets = async (file: string) => (await exec(ffmpeg!, ['-v', 'error', '-i', file, '-map', '0', '-c', 'copy', '-f', 'framemd5', '-'], { maxBuffer: 64 << 20 })).stdout;
const decodeErrors = async (file: string) => (await exec(ffmpeg!, ['-v', 'error', '-i', file, '-f', 'null', '-'])).stderr;
const topTypes = async (file: string) => {
  const bytes = await readFile(file);
  const types: string[] = [];
  for (let o = 0; o < bytes.length; o += bytes.readUInt32BE(o)) types.push(bytes.toString('latin1', o + 4, o + 8));
  return types;
};

// what a graph's text may hold: quotes, the characters ffmetadata escapes, line breaks, any script
const TEXT = JSON.stringify({ format: 'wan-graph-result', prompt: 'a fox; #1 = "the best"\\ \n 狐狸 🦊 é', pad: 'x'.repeat(200_000) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-mp4-comment-'));
  if (!ffmpeg) return;
  await Promise.all([
    make('faststart.mp4', [...h264, '-movflags', '+faststart']),
    make('plain.mp4', h264),
    make('clip.mov', h264),
    make('tagged.mp4', [...h264, '-metadata', 'title=old title', '-metadata', 'comment=old comment']),
    make('fragmented.mp4', [...h264, '-movflags', 'frag_keyframe+empty_moov']),
    make('clip.webm', ['-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus']),
  ]);
  await writeFile(at('notes.mp4'), 'not a video at all\n');
}, SLOW);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe(`the comment written in this process${why}`, { timeout: SLOW }, () => {
  it.skipIf(!ffmpeg)('is read back by ffprobe, with every packet unchanged and the index where it was', async () => {
    for (const name of ['faststart.mp4', 'plain.mp4', 'clip.mov', 'tagged.mp4']) {
      const out = at(`commented-${name}`);
      expect(await writeComment(at(name), out, TEXT), name).toBe(true);
      const tags = await commentOf(out);
      expect(tags.comment, name).toBe(TEXT);
      expect(tags.title, name).toBeUndefined(); // replaced, as ffmpeg's -map_metadata does
      expect(await packets(out), name).toBe(await packets(at(name)));
      expect(await decodeErrors(out), name).toBe('');
      expect(await topTypes(out), name).toEqual(await topTypes(at(name)));
    }
    expect((await topTypes(at('commented-faststart.mp4'))).indexOf('moov')).toBeLessThan((await topTypes(at('commented-faststart.mp4'))).indexOf('mdat'));
  });

  it.skipIf(!ffmpeg)('leaves files it does not understand to ffmpeg, writing nothing', async () => {
    for (const name of ['fragmented.mp4', 'clip.webm', 'notes.mp4']) {
      expect(await writeComment(at(name), at(`left-${name}`), TEXT), name).toBe(false);
      await expect(access(at(`left-${name}`)), name).rejects.toThrow();
    }
  });

  it.skipIf(!ffmpeg)('puts the graph in the library video without ffmpeg, so it opens again from the video alone', async () => {
    const library = new Library(at('library'), undefined);
    const downloaded = at('downloaded.mp4');
    await writeFile(downloaded, await readFile(at('faststart.mp4')));
    const graph = { format: 'wan-graph', version: 1, name: 'fox', nodes: [], links: [] } as unknown as JobRecord['graph'];
    const job = { id: '0d5c3a5e-6f2b-4b7e-9a51-5a7f3c2a9b10', createdAt: Date.UTC(2026, 11, 3), graph, graphName: 'fox', nodeId: 3, payload: { model: 'runware:200@8', outputFormat: 'MP4' }, task: {} } as unknown as JobRecord;
    const result = { index: 0, videoUUID: 'v-1', seed: '42' } as unknown as ResultRecord;
    const dest = await library.store(job, result, downloaded, Date.now());
    const provenance = JSON.parse(await readFile(dest.replace(/\.mp4$/, '.json'), 'utf8')) as Provenance;
    expect(provenance.embedded).toBe(true);
    await expect(access(downloaded)).rejects.toThrow();
    expect(await graphFromVideo(ffmpeg!, dest)).toMatchObject({ graph, seed: '42', payload: job.payload });
    expect(await packets(dest)).toBe(await packets(at('faststart.mp4')));
  });
});

/** A file of a track whose chunks sit at `offsets`, its index before them: what the rewrite must move. */
function indexed(offsets: number[], wide: boolean): Buffer {
  const table = Buffer.alloc(4 + offsets.length * (wide ? 8 : 4));
  table.writeUInt32BE(offsets.length, 0);
  offsets.forEach((o, i) => (wide ? table.writeBigUInt64BE(BigInt(o), 4 + 8 * i) : table.writeUInt32BE(o, 4 + 4 * i)));
  const stbl = box('stbl', fullBox(wide ? 'co64' : 'stco', 0, 0, table));
  return Buffer.concat([box('ftyp', Buffer.from('isom')), box('moov', box('trak', box('mdia', box('minf', stbl)))), box('mdat', Buffer.alloc(16))]);
}
const chunkOffsets = (parts: Buffer[], wide: boolean) => {
  const file = Buffer.concat(parts);
  const at = file.indexOf(wide ? 'co64' : 'stco') + 8;
  const count = file.readUInt32BE(at);
  return Array.from({ length: count }, (_, i) => (wide ? Number(file.readBigUInt64BE(at + 4 + 8 * i)) : file.readUInt32BE(at + 4 + 4 * i)));
};

describe('chunk offsets after the index grows', () => {
  it('move by what the index grew, in 32 and 64 bits', () => {
    for (const wide of [false, true]) {
      const file = indexed([0, 0], wide);
      const mdat = file.indexOf('mdat') - 4;
      const before = indexed([mdat + 8, mdat + 16], wide);
      const parts = withComment(before, 'text')!;
      const grown = parts[1]!.length - (mdat - before.indexOf('moov') + 4);
      expect(chunkOffsets(parts, wide)).toEqual([mdat + 8 + grown, mdat + 16 + grown]);
      expect(Buffer.concat(parts).subarray(mdat + grown)).toEqual(before.subarray(mdat));
    }
  });

  it('leave the file to ffmpeg where a 32-bit offset would overflow', () => {
    expect(withComment(indexed([0xffff_fff0], false), 'text')).toBeUndefined();
    expect(withComment(indexed([0xffff_fff0], true), 'text')).toBeDefined();
  });
});
