import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostics';
import { fileTooLarge, loadGraph, MAX_FILE_BYTES, type LoadResult } from '../core/load';
import type { Registry } from '../core/node-def';
import { systemReason, withContext } from './system-error';

/** Writes through a temporary file in the same folder, then renames: a crash leaves the old file or the new one, never half of one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  try {
    await writeThroughTemporary(path, data, mode);
  } catch (e) {
    // named by the file asked for, not the temporary one
    throw withContext(e, 'write', path);
  }
}

async function writeThroughTemporary(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  // Persist the rename itself; not every platform can open a directory, which is fine.
  const dir = await open(dirname(path), 'r').catch(() => undefined);
  await dir?.sync().catch(() => {});
  await dir?.close();
}

export type GraphRead = LoadResult & { path: string; text?: string };

const ioError = (message: string): LoadResult => ({ ok: false, errors: [{ severity: 'error', code: 'unreadable', message } satisfies Diagnostic] });

/**
 * The one way a graph file is read, by the command line and the editor's host alike: regular files
 * only (a pipe or a device would never end), at most MAX_FILE_BYTES counted while reading (a file
 * may grow after its stat), then loaded. I/O failures become diagnostics like any other load
 * error. `text` is there whenever the bytes are UTF-8, so a graph that fails to load can still be
 * shown; `path` is the full path.
 */
export async function readGraphFile(path: string, registry: Registry): Promise<GraphRead> {
  const file = resolve(path);
  let bytes: Buffer;
  try {
    const read = await readRegularFile(file, MAX_FILE_BYTES);
    if (read.kind === 'folder') return { path: file, ...ioError('a folder, not a graph file') };
    if (read.kind === 'not regular') return { path: file, ...ioError('not a regular file (a pipe, a device or a socket)') };
    if (read.kind === 'too large') return { path: file, ...fileTooLarge(read.size) };
    bytes = read.bytes;
  } catch (e) {
    return { path: file, ...ioError(systemReason(e) ?? `cannot read the file (${(e as Error).message})`) };
  }
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // loadGraph says what is wrong with the bytes
  }
  return { path: file, ...(text !== undefined && { text }), ...loadGraph(text ?? bytes, registry) };
}

export type RegularFileRead = { kind: 'ok'; bytes: Buffer } | { kind: 'folder' } | { kind: 'not regular' } | { kind: 'too large'; size: number };

/**
 * A regular file's bytes, read only if it is one (a pipe or a device would never end) and only up
 * to `limit` bytes, counted while reading (a file may grow after its stat). System errors (no such
 * file, no permission) are thrown as they are.
 */
export async function readRegularFile(path: string, limit: number): Promise<RegularFileRead> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return { kind: 'folder' };
    throw e;
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { kind: 'folder' };
    if (!info.isFile()) return { kind: 'not regular' };
    if (info.size > limit) return { kind: 'too large', size: info.size };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return { kind: 'ok', bytes: Buffer.concat(chunks, total) };
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) return { kind: 'too large', size: total };
    }
  } finally {
    await handle.close();
  }
}

/** What a graph is called in the journal, the library and the ledger: its own name, else its file's. */
