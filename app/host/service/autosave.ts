import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AutosavedDoc, OpOutput } from '../../core/contract';
import { writeFileAtomic } from '../file-io';

// Every open document (editor tab), kept every few seconds: <data>/autosave/tabs/<id>.wgraph.json
// with a small meta file beside it (which file it belongs to, whether it had unsaved changes,
// when it was kept), and <data>/autosave/session.json: the open tabs in order and the one in
// front. A single working graph kept by an older version (working.wgraph.json) is moved into
// the tabs as one more document the first time it is read, so nothing kept is lost.

interface Meta {
  path?: string;
  dirty: boolean;
  savedAt: number;
}

interface Session {
  ids: string[];
  active?: string;
}

const LEGACY_ID = 'working';

export class Autosave {
  readonly #dir: string;
  readonly #tabs: string;

  constructor(
    dataDir: string,
    readonly now: () => number = Date.now,
  ) {
    this.#dir = join(dataDir, 'autosave');
    this.#tabs = join(this.#dir, 'tabs');
  }

  // ids are checked by the contract (letters, digits, - and _), so they are safe as file names
  #text = (id: string) => join(this.#tabs, `${id}.wgraph.json`);
  #meta = (id: string) => join(this.#tabs, `${id}.meta.json`);

  async write(id: string, text: string, path: string | undefined, dirty: boolean): Promise<void> {
    await mkdir(this.#tabs, { recursive: true });
    const meta: Meta = { ...(path && { path }), dirty, savedAt: this.now() };
    // the text first: a crash between the two leaves new text with old meta, never the reverse
    await writeFileAtomic(this.#text(id), text);
    await writeFileAtomic(this.#meta(id), JSON.stringify(meta) + '\n');
  }

  async remove(id: string): Promise<void> {
    await rm(this.#meta(id), { force: true });
    await rm(this.#text(id), { force: true });
  }

  async setSession(ids: readonly string[], active: string | undefined): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const session: Session = { ids: [...ids], ...(active && { active }) };
    await writeFileAtomic(join(this.#dir, 'session.json'), JSON.stringify(session) + '\n');
  }

  /** The tabs of the last session in order; a document kept with unsaved changes but missing from the session comes back too. */
  async read(): Promise<OpOutput<'autosave.read'>> {
    await this.#migrateLegacy();
    const session = await this.#session();
    const names = await readdir(this.#tabs).catch(() => [] as string[]);
    const kept = names.filter((n) => n.endsWith('.wgraph.json')).map((n) => n.slice(0, -'.wgraph.json'.length));
    const docs = (await Promise.all(kept.map((id) => this.#readOne(id)))).filter((d): d is AutosavedDoc => !!d);
    const byId = new Map(docs.map((d) => [d.id, d]));
    const inSession = session.ids.flatMap((id) => byId.get(id) ?? []);
    const orphans = docs.filter((d) => !session.ids.includes(d.id) && d.dirty).sort((a, b) => (a.savedAt ?? 0) - (b.savedAt ?? 0));
    const tabs = [...inSession, ...orphans];
    const active = session.active && tabs.some((t) => t.id === session.active) ? session.active : undefined;
    return { tabs, ...(active && { active }) };
  }

  async #readOne(id: string): Promise<AutosavedDoc | undefined> {
    const text = await readFile(this.#text(id), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    let meta: Partial<Meta> = {};
    try {
      meta = JSON.parse(await readFile(this.#meta(id), 'utf8')) as Partial<Meta>;
    } catch {
      // the text alone is still worth restoring
    }
    return {
      id,
      text,
      ...(typeof meta.path === 'string' && { path: meta.path }),
      // without its meta, a document counts as unsaved: asking once is better than losing it
      dirty: typeof meta.dirty === 'boolean' ? meta.dirty : true,
      ...(typeof meta.savedAt === 'number' && { savedAt: meta.savedAt }),
    };
  }

  async #session(): Promise<Session> {
    try {
      const raw = JSON.parse(await readFile(join(this.#dir, 'session.json'), 'utf8')) as Partial<Session>;
      const ids = Array.isArray(raw.ids) ? raw.ids.filter((x): x is string => typeof x === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(x)) : [];
      return { ids, ...(typeof raw.active === 'string' && { active: raw.active }) };
    } catch {
      return { ids: [] };
    }
  }

  /** An older version's single working graph becomes a tab of the session (moved, not copied: it comes back once). */
  async #migrateLegacy(): Promise<void> {
    const text = join(this.#dir, 'working.wgraph.json');
    const meta = join(this.#dir, 'working.meta.json');
    if ((await readFile(text).catch(() => undefined)) === undefined) return;
    await mkdir(this.#tabs, { recursive: true });
    const session = await this.#session();
    // the meta first: if the text's move fails, the legacy text stays and is tried again next time
    await rename(meta, this.#meta(LEGACY_ID)).catch(() => undefined);
    await rename(text, this.#text(LEGACY_ID));
    if (!session.ids.includes(LEGACY_ID)) await this.setSession([...session.ids, LEGACY_ID], session.active ?? LEGACY_ID);
  }
}
