import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpOutput } from '../../core/contract';
import { writeFileAtomic } from '../files';

// The working graph, kept every few seconds: <data>/autosave/working.wgraph.json and a small meta
// file beside it (which file it belongs to, whether it had unsaved changes, when it was kept).

interface Meta {
  path?: string;
  dirty: boolean;
  savedAt: number;
}

export class Autosave {
  readonly #dir: string;

  constructor(
    dataDir: string,
    readonly now: () => number = Date.now,
  ) {
    this.#dir = join(dataDir, 'autosave');
  }

  async write(text: string, path: string | undefined, dirty: boolean): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const meta: Meta = { ...(path && { path }), dirty, savedAt: this.now() };
    // the text first: a crash between the two leaves new text with old meta, never the reverse
    await writeFileAtomic(join(this.#dir, 'working.wgraph.json'), text);
    await writeFileAtomic(join(this.#dir, 'working.meta.json'), JSON.stringify(meta) + '\n');
  }

  async read(): Promise<OpOutput<'autosave.read'>> {
    const text = await readFile(join(this.#dir, 'working.wgraph.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return { found: false };
    let meta: Partial<Meta> = {};
    try {
      meta = JSON.parse(await readFile(join(this.#dir, 'working.meta.json'), 'utf8')) as Partial<Meta>;
    } catch {
      // the text alone is still worth restoring
    }
    return {
      found: true,
      text,
      ...(typeof meta.path === 'string' && { path: meta.path }),
      ...(typeof meta.dirty === 'boolean' && { dirty: meta.dirty }),
      ...(typeof meta.savedAt === 'number' && { savedAt: meta.savedAt }),
    };
  }
}
