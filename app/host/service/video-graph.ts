import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { GraphDocument } from '../../core/document';
import { parseJson } from '../../core/support/json';
import { serializeGraph } from '../../core/save';
import { graphFromVideo } from '../jobs/library';
import { HostFailure } from '../../core/contract';

// The graph a result video was made from: its provenance file beside it when there is one, else
// the copy embedded in the video's own metadata (which travels with the file when it is shared).

type Found = { text: string; seed?: string };

const asText = (graph: unknown, seed: unknown): Found | undefined => {
  const doc = GraphDocument.safeParse(graph);
  if (!doc.success) return undefined;
  return { text: serializeGraph(doc.data), ...(typeof seed === 'string' && seed && { seed }) };
};

async function fromProvenance(video: string): Promise<Found | undefined> {
  const text = await readFile(video.replace(/\.\w+$/, '.json'), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const p = parseJson(text) as { format?: unknown; graph?: unknown; seed?: unknown };
    // a result's, or a joined clip's (the graph of its chain)
    return p.format === 'wan-graph-result' || p.format === 'wan-graph-sequence' ? asText(p.graph, p.seed) : undefined;
  } catch {
    return undefined;
  }
}

async function fromMetadata(ffmpeg: string | undefined, video: string, name: string): Promise<Found> {
  if (!ffmpeg) throw new HostFailure('no-ffmpeg', `reading the graph inside "${name}" needs ffmpeg: install it, or set FFMPEG_PATH`);
  let meta: Awaited<ReturnType<typeof graphFromVideo>>;
  try {
    meta = await graphFromVideo(ffmpeg, video);
  } catch {
    throw new HostFailure('unreadable', `"${name}" could not be read as a video`);
  }
  const found = meta && asText(meta.graph, meta.seed);
  if (!found) throw new HostFailure('no-graph', `"${name}" carries no graph: it was not made by this app, or its metadata was removed`);
  return found;
}

export async function graphOfVideoFile(ffmpeg: string | undefined, path: string): Promise<Found> {
  const video = resolve(path);
  if (!(await stat(video).catch(() => undefined))?.isFile()) throw new HostFailure('unreadable', `cannot read "${video}": no such file`);
  return (await fromProvenance(video)) ?? fromMetadata(ffmpeg, video, basename(video));
}

const VIDEO_EXT = new Set(['.mp4', '.webm', '.mov', '.mkv', '.m4v']);

/** A video dropped into the editor: its bytes go to a temporary file for ffprobe to read. */
export async function graphOfVideoBytes(ffmpeg: string | undefined, name: string, base64: string): Promise<Found> {
  const dir = await mkdtemp(join(tmpdir(), 'wan-video-'));
  try {
    const ext = extname(name).toLowerCase();
    const file = join(dir, `dropped${VIDEO_EXT.has(ext) ? ext : '.mp4'}`);
    await writeFile(file, Buffer.from(base64.replace(/^data:[^,]*;base64,/, ''), 'base64'));
    return await fromMetadata(ffmpeg, file, name);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
