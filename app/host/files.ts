import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics';
import type { GraphDocument } from '../core/document';
import { fileTooLarge, loadGraph, MAX_FILE_BYTES, type LoadResult } from '../core/load';
import type { Registry } from '../core/node-def';

/** Writes through a temporary file in the same folder, then renames: a crash leaves the old file or the new one, never half of one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
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

/** Reads and loads a graph file; I/O failures become diagnostics like any other load error. */
export async function readGraphFile(path: string, registry: Registry): Promise<LoadResult> {
  const ioError = (message: string): LoadResult => ({ ok: false, errors: [{ severity: 'error', code: 'unreadable', message } satisfies Diagnostic] });
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return ioError('a folder, not a graph file');
    if (info.size > MAX_FILE_BYTES) return fileTooLarge(info.size);
    bytes = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return ioError(err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : `cannot read the file (${err.code ?? err.message})`);
  }
  return loadGraph(bytes, registry);
}

/** What a graph is called in the journal, the library and the ledger: its own name, else its file's. */
export const graphNameOf = (doc: GraphDocument, file: string | undefined): string => doc.name ?? (file ? basename(file).replace(/\.wgraph\.json$|\.json$/, '') : 'untitled');
