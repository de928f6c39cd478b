import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { OpOutput } from '../../core/contract';
import { FILE_EXTENSION } from '../../core/document';
import { MAX_FILE_BYTES } from '../../core/load';
import { writeFileAtomic } from '../files';
import { HostFailure } from './errors';

// Graph files for the open and save dialogs: reading text (loading is core's job, in the editor),
// writing only .wgraph.json files, and listing a folder's graphs and subfolders.

const reason = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return code ?? (e as Error).message;
};

export async function readGraphText(path: string): Promise<OpOutput<'file.read'>> {
  const file = resolve(path);
  const fail = (why: string) => new HostFailure('unreadable', `cannot read "${file}": ${why}`);
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw fail('it is a folder, not a graph file');
    if (info.size > MAX_FILE_BYTES) throw fail(`it is ${(info.size / 1048576).toFixed(1)} MB; graph files are limited to ${MAX_FILE_BYTES / 1048576} MB`);
    bytes = await readFile(file);
  } catch (e) {
    throw e instanceof HostFailure ? e : fail(reason(e));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail('it is not UTF-8 text');
  }
  return { path: file, text, name: basename(file) };
}

export async function writeGraphText(path: string, text: string): Promise<string> {
  const file = resolve(path);
  if (!file.endsWith(FILE_EXTENSION)) throw new HostFailure('refused', `graphs are saved only as ${FILE_EXTENSION} files, not "${basename(file)}"`);
  try {
    await writeFileAtomic(file, text);
  } catch (e) {
    throw new HostFailure('unwritable', `cannot save "${file}": ${reason(e)}`);
  }
  return file;
}

export async function listGraphFolder(dir: string): Promise<OpOutput<'file.list'>> {
  const folder = resolve(dir);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => !n.startsWith('.'));
  } catch (e) {
    throw new HostFailure('unreadable', `cannot list "${folder}": ${(e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'not a folder' : reason(e)}`);
  }
  // stat, not the dirent type: a link to a folder is a folder to the artist
  const entries = (
    await Promise.all(
      names.map(async (name) => {
        const path = join(folder, name);
        const info = await stat(path).catch(() => undefined);
        if (info?.isDirectory()) return { name, path, kind: 'dir' as const };
        if (info?.isFile() && name.endsWith(FILE_EXTENSION)) return { name, path, kind: 'graph' as const };
        return undefined;
      }),
    )
  ).filter((e) => e !== undefined);
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
  const parent = dirname(folder);
  return { dir: folder, ...(parent !== folder && { parent }), entries };
}
