import { createHash, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { classifyImageRef } from '../../core/image-ref';
import { imageKindOf } from '../../core/image-kind';
import { parseJson, stringifyJson } from '../../core/json';
import type { RunwareClient } from '../../runware/client';
import { writeFileAtomic } from '../files';

// Frame images that are files on this machine: read, checked to be real images by their bytes,
// size-limited, then inlined (small) or uploaded once — uploads are remembered by content hash
// for 30 days, the time Runware keeps an unused upload. URLs and UUIDs pass through untouched.

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const INLINE_MAX_BYTES = 256 * 1024;
const CACHE_DAYS = 30;

export class FrameImageError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'FrameImageError';
  }
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

export const IMAGE_MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp' } as const;

/** The task with every local frame image replaced by an uploaded UUID or a data URI. */
export async function resolveFrameImages(
  task: Record<string, unknown>,
  ctx: { client: RunwareClient; cache: UploadCache; baseDir: string; signal?: AbortSignal },
): Promise<Record<string, unknown>> {
  const inputs = task.inputs as { frameImages?: Array<string | { image: string; frame?: unknown }> } | undefined;
  if (!inputs?.frameImages) return task;
  const frameImages = await Promise.all(
    inputs.frameImages.map(async (item, index) => {
      const image = typeof item === 'string' ? item : item.image;
      const ref = classifyImageRef(image);
      if (ref.kind !== 'file') return item;
      const resolved = await localImage(ref.path, index, ctx);
      return typeof item === 'string' ? resolved : { ...item, image: resolved };
    }),
  );
  return { ...task, inputs: { ...inputs, frameImages } };
}

async function localImage(path: string, index: number, ctx: { client: RunwareClient; cache: UploadCache; baseDir: string; signal?: AbortSignal }): Promise<string> {
  let dataUri: string;
  let bytes: Buffer;
  try {
    ({ dataUri, bytes } = await readLocalImage(localPath(path, ctx.baseDir)));
  } catch (e) {
    throw new FrameImageError((e as Error).message, index);
  }
  if (bytes.byteLength <= INLINE_MAX_BYTES) return dataUri;
  const hash = createHash('sha256').update(bytes).digest('hex');
  const endpoint = ctx.client.baseUrl;
  const cached = await ctx.cache.get(hash, endpoint);
  if (cached) return cached;
  const { imageUUID } = await ctx.client.uploadImage(dataUri, randomUUID(), ctx.signal ? { signal: ctx.signal } : {});
  await ctx.cache.put(hash, endpoint, imageUUID);
  return imageUUID;
}

/** A local image file, checked by its size and bytes, as a data URI; errors name the file and say what is wrong. */
export async function readLocalImage(full: string): Promise<{ bytes: Buffer; dataUri: string }> {
  const info = await stat(full).catch(() => undefined);
  if (!info?.isFile()) throw new Error(`frame image file not found: ${full}`);
  if (info.size > MAX_IMAGE_BYTES) throw new Error(`frame image ${full} is ${(info.size / 1048576).toFixed(1)} MB; the limit is ${MAX_IMAGE_BYTES / 1048576} MB`);
  const bytes = await readFile(full);
  const kind = imageKindOf(bytes);
  if (!kind) throw new Error(`${full} is not a PNG, JPEG, WEBP, GIF or BMP image (judged by its contents, not its name)`);
  return { bytes, dataUri: `data:${IMAGE_MIME[kind]};base64,${bytes.toString('base64')}` };
}

/** A frame image path as written in a graph: relative paths are relative to the graph file. */
export const localPath = (path: string, baseDir: string) => (isAbsolute(path) ? path : resolve(baseDir, path));

export const graphBaseDir = (graphFile: string | undefined) => (graphFile ? dirname(resolve(graphFile)) : process.cwd());
