import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { classifyImageRef, frameImageRefusal, ImageDataError, readInlineImage, type ImageRef } from '../../core/image-ref';
import { IMAGE_LIMITS, ImageSniffError, imageSizeProblem, sniffImage, type ImageKind } from '../../core/support/image-kind';
import { parseJson, stringifyJson } from '../../core/support/json';
import type { RunwareClient } from '../../runware/client';
import { readRegularFile, writeFileAtomic } from '../file-io';
import { systemReason } from '../system-error';

// Frame images on this machine and in requests, by the rules of core (image-ref.ts for inline
// data, image-kind.ts for sizes and kinds): files are read (regular files only, the size limit
// kept while reading), checked to be real images by their bytes, then inlined (small) or uploaded
// once — uploads are remembered by content hash for 30 days, the time Runware keeps an unused
// upload. URLs and UUIDs pass through untouched. The image import uses the same checks.

const INLINE_MAX_BYTES = 256 * 1024;
const CACHE_DAYS = 30;

export class FrameImageError extends Error {
  constructor(
    message: string,
    /** Which of the task's frame images, when the error is about one of a task's. */
    readonly index?: number,
  ) {
    super(message);
    this.name = 'FrameImageError';
  }
}

export interface FrameImageBytes {
  bytes: Uint8Array;
  kind: ImageKind;
}

/** Bytes that pass as a frame image (size, kind, readable header); FrameImageError otherwise. */
function checkImageBytes(bytes: Uint8Array, subject: string, index?: number): FrameImageBytes {
  try {
    return { bytes, kind: sniffImage(bytes).kind };
  } catch (e) {
    if (e instanceof ImageSniffError) throw new FrameImageError(frameImageRefusal(subject, e.message), index);
    throw e;
  }
}

/** A data URI or bare base64 decoded and checked as a frame image; FrameImageError otherwise. */
export function imageFromData(value: string, subject: string, index?: number): FrameImageBytes {
  try {
    const { bytes, kind } = readInlineImage(value);
    return { bytes, kind };
  } catch (e) {
    if (e instanceof ImageDataError) throw new FrameImageError(frameImageRefusal(subject, e.message), index);
    throw e;
  }
}

/** A frame image file read and checked; the size limit holds while reading, not only by stat. */
export async function readImageFile(path: string, index?: number): Promise<FrameImageBytes> {
  const subject = JSON.stringify(path);
  const refuse = (problem: string) => new FrameImageError(frameImageRefusal(subject, problem), index);
  const read = await readRegularFile(path, IMAGE_LIMITS.maxBytes).catch((e: NodeJS.ErrnoException) => {
    throw refuse(e.code === 'ENOENT' ? 'no such file' : (systemReason(e) ?? e.code ?? e.message));
  });
  if (read.kind === 'folder' || read.kind === 'not regular') throw refuse('it is not a regular file');
  if (read.kind === 'too large') throw refuse(imageSizeProblem(read.size)!);
  return checkImageBytes(read.bytes, subject, index);
}

/** The task with each frame image (plain string or `{ image }`) mapped by `fn`. */
export async function mapFrameImages(
  task: Record<string, unknown>,
  fn: (ref: ImageRef, image: string, index: number) => Promise<string> | string,
): Promise<Record<string, unknown>> {
  const inputs = task.inputs as { frameImages?: Array<string | { image: string; frame?: unknown }> } | undefined;
  if (!inputs?.frameImages) return task;
  const frameImages = await Promise.all(
    inputs.frameImages.map(async (item, index) => {
      const image = typeof item === 'string' ? item : item.image;
      const mapped = await fn(classifyImageRef(image), image, index);
      return typeof item === 'string' ? mapped : { ...item, image: mapped };
    }),
  );
  return { ...task, inputs: { ...inputs, frameImages } };
}

interface CacheEntry {
  imageUUID: string;
  endpoint: string;
  at: number;
}

export class UploadCache {
  #entries: Record<string, CacheEntry> | undefined;
  constructor(
    readonly path: string,
    readonly now: () => number = Date.now,
  ) {}

  async #load(): Promise<Record<string, CacheEntry>> {
    if (this.#entries) return this.#entries;
    try {
      const raw = parseJson(await readFile(this.path, 'utf8'));
      this.#entries = typeof raw === 'object' && raw && !Array.isArray(raw) ? (raw as unknown as Record<string, CacheEntry>) : {};
    } catch {
      this.#entries = {};
    }
    return this.#entries;
  }

  async get(hash: string, endpoint: string): Promise<string | undefined> {
    const e = (await this.#load())[`${endpoint} ${hash}`];
    return e && this.now() - e.at < CACHE_DAYS * 86_400_000 ? e.imageUUID : undefined;
  }

  async put(hash: string, endpoint: string, imageUUID: string): Promise<void> {
    const entries = await this.#load();
    const cutoff = this.now() - CACHE_DAYS * 86_400_000;
    for (const [k, e] of Object.entries(entries)) if (e.at < cutoff) delete entries[k];
    entries[`${endpoint} ${hash}`] = { imageUUID, endpoint, at: this.now() };
    await writeFileAtomic(this.path, stringifyJson(entries));
  }
}

const IMAGE_MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp' } as const;

/** The task with every local frame image replaced by an uploaded UUID or a data URI. */
export async function resolveFrameImages(
  task: Record<string, unknown>,
  ctx: { client: RunwareClient; cache: UploadCache; baseDir: string; signal?: AbortSignal },
): Promise<Record<string, unknown>> {
  return mapFrameImages(task, (ref, image, index) => (ref.kind === 'file' ? localImage(ref.path, index, ctx) : image));
}

async function localImage(path: string, index: number, ctx: { client: RunwareClient; cache: UploadCache; baseDir: string; signal?: AbortSignal }): Promise<string> {
  const { bytes, kind } = await readImageFile(localPath(path, ctx.baseDir), index);
  const dataUri = toDataUri(bytes, kind);
  if (bytes.byteLength <= INLINE_MAX_BYTES) return dataUri;
  const hash = createHash('sha256').update(bytes).digest('hex');
  const endpoint = ctx.client.baseUrl;
  const cached = await ctx.cache.get(hash, endpoint);
  if (cached) return cached;
  const { imageUUID } = await ctx.client.uploadImage(dataUri, randomUUID(), ctx.signal ? { signal: ctx.signal } : {});
  await ctx.cache.put(hash, endpoint, imageUUID);
  return imageUUID;
}

/** A local image file, checked as the runner checks it, as a data URI (the editor's picture of it). */
export async function readLocalImage(full: string): Promise<{ bytes: Uint8Array; dataUri: string }> {
  const { bytes, kind } = await readImageFile(full);
  return { bytes, dataUri: toDataUri(bytes, kind) };
}

const toDataUri = (bytes: Uint8Array, kind: keyof typeof IMAGE_MIME) => `data:${IMAGE_MIME[kind]};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;

/** A frame image path as written in a graph: relative paths are relative to the graph file. */
export const localPath = (path: string, baseDir: string) => (isAbsolute(path) ? path : resolve(baseDir, path));

export const graphBaseDir = (graphFile: string | undefined) => (graphFile ? dirname(resolve(graphFile)) : process.cwd());
