import type { AutosavedDoc, HostApi } from '../core/contract';
import type { Tabs } from './editor/tabs';
import type { Documents } from './documents';
import { h } from './ui/dom';
import { dialog } from './ui/overlay';

// Every tab is kept by the host every few seconds (and at once when tabs open, close or change
// places), with the order of the tabs and the one in front. At the next start (or reload) the
// tabs come back as they were; unsaved work is offered back first.

const AUTOSAVE_MS = 3000;

export class Autosaver {
  /** What was last kept of each tab, and of the session, to write only what changed. */
  readonly #kept = new Map<string, string>();
  #session = '';
  #stop: (() => void) | undefined;
  /** One round at a time, in order: a tab's text before the session that names it. */
  #queue: Promise<void> = Promise.resolve();

  constructor(
    readonly api: HostApi,
    readonly tabs: Tabs,
    readonly documents: Documents,
  ) {}

  start(): void {
    this.stop();
    const round = () => void this.autosave();
    const leaving = (e: BeforeUnloadEvent) => {
      round();
      if (this.tabs.list.some((t) => t.editor.dirty)) e.preventDefault();
    };
    const timer = setInterval(round, AUTOSAVE_MS);
    this.documents.saved.add(round);
    const off = this.tabs.on((change) => {
      if (change.kind === 'closed') void this.forget(change.tab.id);
      else round();
    });
    addEventListener('beforeunload', leaving);
    this.#stop = () => {
      clearInterval(timer);
      this.documents.saved.delete(round);
      off();
      removeEventListener('beforeunload', leaving);
    };
  }

  /** Undoes start(): no timer, no listeners (a round already queued still runs; await autosave() to see it done). */
  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  autosave(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#round()).catch(() => undefined);
    return this.#queue;
  }

  async #round(): Promise<void> {
    for (const tab of this.tabs.list) {
      const text = this.documents.text(tab);
      const key = `${tab.editor.path ?? ''}\n${tab.editor.dirty}\n${text}`;
      if (this.#kept.get(tab.id) === key) continue;
      this.#kept.set(tab.id, key);
      await this.api['autosave.write']({ id: tab.id, text, dirty: tab.editor.dirty, ...(tab.editor.path && { path: tab.editor.path }) });
    }
    const ids = this.tabs.list.map((t) => t.id);
    const active = this.tabs.active.id;
    const session = `${ids.join(' ')}\n${active}`;
    if (session === this.#session) return;
    this.#session = session;
    await this.api['autosave.session']({ ids, active });
  }

  /** A closed tab: its copy goes, and the session no longer names it. */
  forget(id: string): Promise<void> {
    this.#kept.delete(id);
    this.#queue = this.#queue.then(() => this.api['autosave.remove']({ id })).then(() => this.#round()).catch(() => undefined);
    return this.#queue;
  }

  /** At start: the tabs as they were, unsaved work offered back (once, for all tabs that had some). */
  async recover(): Promise<void> {
    const saved = await this.api['autosave.read']({}).catch(() => undefined);
    if (!saved?.tabs.length) return;
    const unsaved = saved.tabs.filter((t) => t.dirty);
    let keep = true;
    if (unsaved.length) {
      const when = (t: AutosavedDoc) => (t.savedAt ? new Date(t.savedAt).toLocaleString() : 'earlier');
      const answer = await dialog({
        title: 'Recover unsaved work?',
        body: [
          h('p', {}, unsaved.length === 1 ? 'This graph had changes that were not saved:' : 'These graphs had changes that were not saved:'),
          h('ul', { class: 'recover-list' }, unsaved.map((t) => h('li', {}, `“${nameOf(t)}” (kept ${when(t)})`))),
          h('p', { class: 'note' }, 'Discard: saved files open as they are on disk, untitled graphs are dropped. Your other tabs come back either way.'),
        ],
        buttons: [
          { label: 'Discard', value: 'discard', danger: true },
          { label: 'Recover', value: 'recover', primary: true },
        ],
      });
      keep = answer === 'recover';
    }
    let first = true;
    for (const t of saved.tabs) {
      // the first tab back takes the place of the empty one the editor started with
      const opts = { id: t.id, at: 'end' as const, replacePristine: first };
      let opened = false;
      if (!t.dirty || keep) opened = await this.documents.openText(t.text, t.path, nameOf(t), { ...opts, dirty: t.dirty });
      else if (t.path) opened = await this.#reopen(t.path, opts);
      if (opened) first = false;
      // unsaved work that no longer loads stays kept (it can still be mended by hand)
      else if (!(t.dirty && keep)) await this.forget(t.id);
    }
    if (saved.active && this.tabs.get(saved.active)) this.tabs.activate(saved.active);
  }

  /** Unsaved changes discarded: the file as it is on disk, if it still opens. */
  async #reopen(path: string, opts: { id: string; at: 'end'; replacePristine: boolean }): Promise<boolean> {
    const file = await this.api['file.read']({ path }).catch(() => undefined);
    return file ? this.documents.openText(file.text, file.path, file.name, opts) : false;
  }
}

function nameOf(t: AutosavedDoc): string {
  try {
    const name = (JSON.parse(t.text) as { name?: unknown }).name;
    if (typeof name === 'string' && name) return name;
  } catch {
    // the file name will do
  }
  return t.path?.split(/[\\/]/).pop() ?? 'Untitled';
}
