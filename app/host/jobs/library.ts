import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Coordinate } from '../../core/compile';
import type { GraphDocument } from '../../core/document';
import { parseJson, stringifyJson, type JsonValue } from '../../core/support/json';
import { shareable } from '../../core/support/shareable';
import { writeFileAtomic } from '../file-io';
import { ffprobeBeside, runTool } from '../ffmpeg';
import { writeComment } from '../media/mp4-comment';
import type { JobRecord, ResultRecord } from './types';

// The media library: each result video with a provenance file beside it (graph snapshot, the
// payload, seed, cost, timings), the graph also embedded in the video's own metadata, and an
// index by payload so a result already paid for is found again. Both travel with a shared video,
// so both hold the shareable copy (core/support/shareable.ts): URLs without query, fragment or user-info.

export interface Provenance {
  format: 'wan-graph-result';
  taskUUID: string;
  videoUUID: string;
  resultIndex: number;
  seed: string;
  cost?: number;
  model: unknown;
  payload: Record<string, unknown>;
  graphFile?: string;
  graphName?: string;
  graph: GraphDocument;
  nodeId: number;
  /** The swept values that made this task (a Compare Grid's cell), when it came from a sweep. */
  coordinates?: Coordinate[];
  /** Picked as a favourite in a Compare Grid. */
  favourite?: boolean;
  timings: { createdAt: number; submittedAt?: number; finishedAt: number; downloadedAt: number };
  /** False when the graph could not be embedded in the video (not an MP4 or MOV, and no ffmpeg to do it). */
  embedded: boolean;
}

export interface IndexEntry {
  payloadHash: string;
  jobId: string;
  videoUUID: string;
  file: string;
  seed: string;
  cost?: number;
  /** The file's size when it was stored: a file of another size is damaged, and not reused. */
  bytes?: number;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'graph';

const EXT: Record<string, string> = { MP4: 'mp4', WEBM: 'webm', MOV: 'mov' };

const isAlive = (pid: number) => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export class Library {
  constructor(
    readonly root: string,
    readonly ffmpeg: string | undefined,
  ) {}

  /** Where result k of a job goes: <root>/<day>/<graph>-<uuid8>-<k>.<ext>. */
  placeFor(job: JobRecord, index: number): string {
    const day = new Date(job.createdAt).toISOString().slice(0, 10);
    const ext = EXT[(job.payload?.outputFormat as string | undefined) ?? 'MP4'] ?? 'mp4';
    return join(this.root, day, `${slug(job.graphName ?? 'graph')}-${job.id.slice(0, 8)}-${index + 1}.${ext}`);
  }

  /** Where result k is downloaded to before it is stored: named by this process, so it is known whose it is. */
  partialFor(job: JobRecord, index: number): string {
    return `${this.placeFor(job, index)}.download-${process.pid}`;
  }

  /**
   * Removes downloads cut short by a process that has ended (a crash, a kill). Those of live
   * processes (another window, a command-line run on the same library) are left alone.
   */
  async removeStalePartials(): Promise<void> {
    const names = await readdir(this.root, { recursive: true }).catch(() => [] as string[]);
    await Promise.all(
      names.map(async (name) => {
        const m = /\.download(?:-(\d+))?(?:\.part)?$/.exec(name);
        if (m && !(m[1] && isAlive(Number(m[1])))) await rm(join(this.root, name), { force: true }).catch(() => undefined);
      }),
    );
  }

  /**
   * Moves a downloaded video into the library with its provenance; returns its final path. The
   * downloaded file is moved or removed only once `readers` (others reading it meanwhile) settle.
   */
  async store(job: JobRecord, result: ResultRecord, downloaded: string, downloadedAt: number, readers: Promise<unknown> = Promise.resolve()): Promise<string> {
    const dest = this.placeFor(job, result.index);
    await mkdir(join(dest, '..'), { recursive: true });
    const provenance: Provenance = shareable({
      format: 'wan-graph-result',
      taskUUID: job.id,
      videoUUID: result.videoUUID,
      resultIndex: result.index,
      seed: result.seed,
      ...(result.cost !== undefined && { cost: result.cost }),
      model: job.payload?.model,
      payload: job.payload ?? job.task,
      ...(job.graphFile && { graphFile: job.graphFile }),
      ...(job.graphName && { graphName: job.graphName }),
      graph: job.graph,
      nodeId: job.nodeId,
      ...(job.coordinates?.length && { coordinates: job.coordinates }),
      timings: { createdAt: job.createdAt, ...(job.submittedAt && { submittedAt: job.submittedAt }), finishedAt: job.finishedAt ?? downloadedAt, downloadedAt },
      embedded: false,
    });
    provenance.embedded = await this.#embed(downloaded, dest, provenance, readers);
    if (!provenance.embedded) {
      await readers;
      await rename(downloaded, dest);
    }
    await writeFileAtomic(entryFileOf(dest), stringifyJson(provenance));
    if (job.payloadHash) {
      const { size } = await stat(dest);
      const entry: IndexEntry = { payloadHash: job.payloadHash, jobId: job.id, videoUUID: result.videoUUID, file: relative(this.root, dest), seed: result.seed, ...(result.cost !== undefined && { cost: result.cost }), bytes: size };
      await appendFile(join(this.root, 'index.jsonl'), stringifyJson(entry, 0) + '\n');
    }
    return dest;
  }

  /**
   * The (shareable) graph and payload go into the video's comment tag: written in this process
   * where the file is an MP4 or MOV it understands, by ffmpeg otherwise. The result is synced
   * before it takes the library's name.
   */
  async #embed(src: string, dest: string, p: Provenance, readers: Promise<unknown>): Promise<boolean> {
    const text = stringifyJson({ format: p.format, taskUUID: p.taskUUID, seed: p.seed, payload: p.payload, graph: p.graph }, 0);
    const tmp = `${dest}.embed${dest.slice(dest.lastIndexOf('.'))}`;
    try {
      if (!(await writeComment(src, tmp, text)) && !(await this.#embedByFfmpeg(src, tmp, text))) return false;
      const handle = await open(tmp, 'r+');
      await handle.sync().finally(() => handle.close());
      await rename(tmp, dest);
      await readers;
      await rm(src, { force: true });
      return true;
    } catch {
      await rm(tmp, { force: true });
      return false;
    }
  }

  /** ffmpeg copies the video with the comment, given through a metadata file (never argv). */
  async #embedByFfmpeg(src: string, tmp: string, text: string): Promise<boolean> {
    if (!this.ffmpeg) return false;
    // named by us, never by the service: a videoUUID is the service's text, not a safe file name
    const meta = join(tmpdir(), `wan-meta-${randomUUID()}.txt`);
    try {
      await writeFile(meta, `;FFMETADATA1\ncomment=${text.replace(/[=;#\\\n]/g, (c) => '\\' + c)}\n`);
      await runTool(this.ffmpeg, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', src, '-f', 'ffmetadata', '-i', meta, '-map', '0', '-map_metadata', '1', '-c', 'copy', tmp]);
      return true;
    } finally {
      await rm(meta, { force: true });
    }
  }

  /** Results already in the library for a payload hash. */
  async find(payloadHash: string): Promise<IndexEntry[]> {
    const text = await readFile(join(this.root, 'index.jsonl'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l.includes(payloadHash))
      .flatMap((l) => {
        try {
          const e = parseJson(l) as unknown as IndexEntry;
          return e.payloadHash === payloadHash ? [{ ...e, file: join(this.root, e.file) }] : [];
        } catch {
          return [];
        }
      });
  }
}

const placeOf = (kind: string) => (root: string, graphName: string | undefined, at: number, id: string) =>
  join(root, new Date(at).toISOString().slice(0, 10), `${slug(graphName ?? 'graph')}-${kind}-${id.slice(0, 8)}`);
/** Where an export of a Compare Grid goes, without its extension: <root>/<day>/<graph>-grid-<id8>. */
export const gridPlace = placeOf('grid');
/** Where a Sequence's joined clip goes, without its extension: <root>/<day>/<graph>-film-<id8>. */
export const sequencePlace = placeOf('film');

/** A library file's entry: the provenance file beside it (`clip.mp4` → `clip.json`). */
export const entryFileOf = (file: string): string => file.replace(/\.\w+$/, '.json');

/** Writes to one entry wait for the one before: two quick clicks on a star must not lose one. */
const entryWrites = new Map<string, Promise<unknown>>();

async function readEntry(file: string): Promise<Record<string, JsonValue>> {
  const path = entryFileOf(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file} has no library entry (no ${path} beside it)`);
    throw e;
  }
  const entry = parseJson(text);
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new Error(`the library entry ${path} is not a JSON object`);
  return entry;
}

/** Marks a library file as a favourite, or not, in its entry; the rest of the entry is kept as it is. */
export function setFavourite(file: string, favourite: boolean): Promise<void> {
  const path = entryFileOf(file);
  const next = (entryWrites.get(path) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      const entry = await readEntry(file);
      if (favourite) entry.favourite = true;
      else delete entry.favourite;
      await writeFileAtomic(path, stringifyJson(entry));
    });
  entryWrites.set(path, next);
  void next.finally(() => entryWrites.get(path) === next && entryWrites.delete(path)).catch(() => undefined);
  return next;
}

/** Whether a library file's entry marks it as a favourite (false where it has none). */
export async function isFavourite(file: string): Promise<boolean> {
  await entryWrites.get(entryFileOf(file))?.catch(() => undefined);
  return readEntry(file).then(
    (e) => e.favourite === true,
    () => false,
  );
}

/** The graph a library video was made from, read back from its own metadata. */
export async function graphFromVideo(ffmpeg: string, file: string): Promise<{ graph: GraphDocument; payload: Record<string, unknown>; seed: string } | undefined> {
  const out = await runTool(ffprobeBeside(ffmpeg), ['-v', 'error', '-show_entries', 'format_tags=comment', '-of', 'json', file]);
  const comment = (JSON.parse(out) as { format?: { tags?: Record<string, string> } }).format?.tags;
  const text = comment?.comment ?? comment?.COMMENT;
  if (!text) return undefined;
  try {
    const v = parseJson(text) as { format?: string; graph: GraphDocument; payload: Record<string, unknown>; seed: string };
    return v.format === 'wan-graph-result' ? v : undefined;
  } catch {
    return undefined;
  }
}
