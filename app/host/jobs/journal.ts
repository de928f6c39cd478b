import { open, readFile, type FileHandle } from 'node:fs/promises';
import { parseJson, stringifyJson } from '../../core/support/json';
import { writeFileAtomic } from '../file-io';
import { withContext } from '../system-error';

// An append-only journal of JSON lines, each flushed to disk (fsync) before append() resolves:
// a job is on disk before its task is submitted, and every change after. A line torn by a crash
// mid-write is the only one that can be lost, and it is skipped on replay. It holds exact
// payloads (presigned URLs included), so a new journal is readable by its owner only.

const asLines = (entries: readonly object[]) => entries.map((e) => stringifyJson(e, 0) + '\n').join('');

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

function parseLines<E>(text: string): E[] {
  const entries: E[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(parseJson(line) as E);
    } catch {
      // a line torn by a crash mid-write; everything before it is intact
    }
  }
  return entries;
}

export class Journal<Entry extends object> {
  #handle: FileHandle | undefined;
  #chain: Promise<void> = Promise.resolve();

  private constructor(readonly path: string) {}

  /** Opens the journal and returns it with every entry written so far. */
  static async open<E extends object>(path: string): Promise<{ journal: Journal<E>; entries: E[] }> {
    const journal = new Journal<E>(path);
    try {
      const text = await readText(path);
      journal.#handle = await open(path, 'a', 0o600);
      // a line torn by a crash is ended, so the next entry starts on a line of its own
      if (text && !text.endsWith('\n')) await journal.#handle.write('\n');
      return { journal, entries: parseLines<E>(text) };
    } catch (e) {
      await journal.#handle?.close().catch(() => undefined);
      throw withContext(e, 'open the job journal', path);
    }
  }

  /** Every entry written so far, without opening the journal for writing; none when there is no journal. */
  static async read<E extends object>(path: string): Promise<E[]> {
    try {
      return parseLines<E>(await readText(path));
    } catch (e) {
      throw withContext(e, 'read the job journal', path);
    }
  }

  /** Appends entries in order; each call is durable when it resolves. */
  append(...entries: Entry[]): Promise<void> {
    const text = asLines(entries);
    const next = this.#chain.then(async () => {
      if (!this.#handle) throw new Error('the journal is closed');
      try {
        await this.#handle.write(text);
        await this.#handle.sync();
      } catch (e) {
        // a full disk says which file it could not write, and where
        throw withContext(e, 'write the job journal', this.path);
      }
    });
    this.#chain = next.catch(() => {});
    return next;
  }

  /** Replaces the journal with the given entries (to drop finished history), atomically. */
  async compact(entries: Entry[]): Promise<void> {
    const next = this.#chain.then(async () => {
      await this.#handle?.close();
      await writeFileAtomic(this.path, asLines(entries));
      this.#handle = await open(this.path, 'a', 0o600);
    });
    this.#chain = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    await this.#chain;
    await this.#handle?.close();
    this.#handle = undefined;
  }
}
