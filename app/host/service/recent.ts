import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../file-io';

// Recently opened or saved graph files (newest first) and the folder last used, in
// <data>/recent.json. Files that have gone away are left out when listed.

const MAX_RECENT = 12;

interface State {
  files: string[];
  lastDir?: string;
}

export class RecentFiles {
  #state: Promise<State> | undefined;

  constructor(readonly file: string) {}

  #load(): Promise<State> {
    this.#state ??= readFile(this.file, 'utf8').then(
      (text) => {
        try {
          const v = JSON.parse(text) as Partial<State>;
          const files = Array.isArray(v.files) ? v.files.filter((f): f is string => typeof f === 'string').slice(0, MAX_RECENT) : [];
          return { files, ...(typeof v.lastDir === 'string' && { lastDir: v.lastDir }) };
        } catch {
          return { files: [] };
        }
      },
      () => ({ files: [] }),
    );
    return this.#state;
  }

  async #save(state: State): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(state, null, 2) + '\n');
  }

  /** A graph file was opened or saved: it goes to the top, and its folder becomes the last used. */
  async add(path: string): Promise<void> {
    const state = await this.#load();
    const file = resolve(path);
    state.files = [file, ...state.files.filter((f) => f !== file)].slice(0, MAX_RECENT);
    state.lastDir = dirname(file);
    await this.#save(state);
  }

  /** Forgets the files (the last folder stays, for the dialogs). */
  async clear(): Promise<void> {
    const state = await this.#load();
    state.files = [];
    await this.#save(state);
  }

  async useDir(dir: string): Promise<void> {
    const state = await this.#load();
    if (state.lastDir === dir) return;
    state.lastDir = dir;
    await this.#save(state);
  }

  async lastDir(): Promise<string | undefined> {
    const dir = (await this.#load()).lastDir;
    return dir && (await stat(dir).catch(() => undefined))?.isDirectory() ? dir : undefined;
  }

  async list(): Promise<string[]> {
    const { files } = await this.#load();
    const present = await Promise.all(files.map(async (f) => ((await stat(f).catch(() => undefined))?.isFile() ? f : undefined)));
    return present.filter((f) => f !== undefined);
  }
}
