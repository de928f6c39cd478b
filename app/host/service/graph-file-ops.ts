import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { HostFailure, type OpOutput } from '../../core/contract';
import type { Diagnostic } from '../../core/diagnostics';
import { FILE_EXTENSION, FILE_FORMAT } from '../../core/document';
import { registry } from '../../../nodes';
import { readGraphFile, writeFileAtomic } from '../file-io';
import { systemReason } from '../system-error';

// Graph files for the open and save dialogs: reading text (loaded again by the editor, which shows its problems),
// writing only .wgraph.json files, and listing a folder's graphs and subfolders.

const reason = (e: unknown): string => systemReason(e) ?? (e as Error).message;

/** Load failures that say the file is no graph at all (as opposed to a graph with a problem). */
const NOT_A_GRAPH = new Set(['notAGraph', 'invalidJson', 'emptyFile', 'invalidEncoding']);
/** A graph file damaged past parsing still says what it is near its start. */
const declaresGraph = (text: string) => new RegExp(`"format"\\s*:\\s*"${FILE_FORMAT}"`).test(text.slice(0, 4096));

/**
 * A graph file's text for the editor, which loads it and shows its problems. Only graph files: by
 * name (.json, as the editor opens them) and by content; anything else the user could read is
 * refused without a word of what it holds.
 */
export async function readGraphText(path: string): Promise<OpOutput<'file.read'>> {
  const file = resolve(path);
  const notAGraph = (why: string) => new HostFailure('refused', `"${file}" is not a graph file: ${why}`);
  if (!/\.json$/i.test(file)) throw notAGraph(`only ${FILE_EXTENSION} (or .json) files are opened`);
  const read = await readGraphFile(file, registry);
  if (read.ok) return { path: file, text: read.text!, name: basename(file) };
  const first = read.errors[0]!;
  if (first.code === 'unreadable' || first.code === 'fileTooLarge') throw new HostFailure('unreadable', `cannot read "${file}": ${first.message}`);
  const graph = !read.errors.some((e) => NOT_A_GRAPH.has(e.code)) || (first.code === 'invalidJson' && declaresGraph(read.text ?? ''));
  if (graph && read.text !== undefined) return { path: file, text: read.text, name: basename(file) };
  throw notAGraph(safeReason(first));
}

/** The loader's reason when it tells nothing of the content (a JSON error may quote it). */
const safeReason = (d: Diagnostic): string =>
  d.code === 'emptyFile' || d.code === 'invalidEncoding' || (d.code === 'notAGraph' && d.path === undefined) ? d.message : `it does not say "format": "${FILE_FORMAT}"`;

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
