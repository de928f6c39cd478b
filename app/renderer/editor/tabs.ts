import { isActive, type JobView } from '../../core/contract';
import type { Diagnostic } from '../../core/diagnostics';
import type { GraphDocument, Layout } from '../../core/document';
import type { Registry } from '../../core/node-def';
import { Editor } from './editor';

// Workflow tabs without any view: each tab holds its own document with its undo history and file
// (an Editor), its view state (viewport, selection) and what its runs left (jobs, problems the
// service reported). One tab is in front; the canvas shows exactly its document.

type Viewport = Layout['viewport'];

export interface ViewState {
  viewport: Viewport;
  selection: number[];
}

export class Tab {
  view: ViewState;
  /** Problems the service reported for this document's last run, pinned to its nodes. */
  serviceProblems: Diagnostic[] = [];
  /** Jobs this tab's runs were handed (a run of a payload already running elsewhere gets that job back). */
  readonly ran = new Set<string>();
  /** The viewport the file came with. */
  readonly fileViewport: Viewport;
  /** The viewport the editor chose when it opened the file (fitted); until the artist moves the view, the file keeps its own. */
  chosenViewport: Viewport | undefined;

  constructor(
    /** Names the document for life: its autosave and its jobs carry it. */
    readonly id: string,
    readonly editor: Editor,
  ) {
    this.view = { viewport: structuredClone(editor.doc.layout.viewport), selection: [] };
    this.fileViewport = structuredClone(editor.doc.layout.viewport);
  }

  /** The viewport to write with the document: the artist's, or the file's own while the view is where the editor put it. */
  viewportToSave(live: Viewport): Viewport {
    const chosen = this.chosenViewport;
    const untouched = chosen && chosen.scale === live.scale && chosen.offset[0] === live.offset[0] && chosen.offset[1] === live.offset[1];
    return structuredClone(untouched ? this.fileViewport : live);
  }

  /** A tab for a document; `id` keeps a recovered tab's own. */
  static create(registry: Registry, doc: GraphDocument, path: string | undefined, dirty = false, id: string = crypto.randomUUID()): Tab {
    const editor = new Editor(registry, () => crypto.randomUUID());
    editor.load(doc, path, dirty);
    return new Tab(id, editor);
  }

  /** Untitled, unchanged and empty: opening a file may take its place. */
  get pristine(): boolean {
    const e = this.editor;
    return !e.path && !e.dirty && !e.history.canUndo && !e.history.canRedo && e.doc.nodes.length === 0 && e.doc.groups.length === 0;
  }
}

export type TabsChange = { kind: 'added'; tab: Tab } | { kind: 'closed'; tab: Tab } | { kind: 'activated'; tab: Tab; previous: Tab | undefined };

export class Tabs {
  #list: Tab[] = [];
  #active: Tab | undefined;
  readonly #listeners = new Set<(change: TabsChange) => void>();

  on(listener: (change: TabsChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get list(): readonly Tab[] {
    return this.#list;
  }

  get active(): Tab {
    if (!this.#active) throw new Error('no tab is open');
    return this.#active;
  }

  get(id: string): Tab | undefined {
    return this.#list.find((t) => t.id === id);
  }

  /** The tab that has this file, if one has. */
  byPath(path: string): Tab | undefined {
    return this.#list.find((t) => t.editor.path === path);
  }

  /** Adds a tab (after the one in front, or in place of it when that one is pristine) and brings it to the front. */
  open(tab: Tab, opts: { replacePristine?: boolean; at?: 'end' } = {}): Tab {
    const current = this.#active;
    const replace = opts.replacePristine && current?.pristine ? current : undefined;
    const at = opts.at === 'end' || !current ? this.#list.length : this.#list.indexOf(current) + 1;
    this.#list.splice(at, 0, tab);
    this.#emit({ kind: 'added', tab });
    this.activate(tab.id);
    if (replace) this.close(replace.id);
    return tab;
  }

  activate(id: string): void {
    const tab = this.get(id);
    if (!tab || tab === this.#active) return;
    const previous = this.#active;
    this.#active = tab;
    this.#emit({ kind: 'activated', tab, previous });
  }

  /** The next tab (or previous, with -1), round the end. */
  cycle(step: 1 | -1): void {
    if (this.#list.length < 2) return;
    const i = this.#list.indexOf(this.active);
    this.activate(this.#list[(i + step + this.#list.length) % this.#list.length]!.id);
  }

  /** Removes a tab (asking is the caller's); the neighbour to its right (or left) comes to the front. Never leaves none: the caller opens one first. */
  close(id: string): void {
    const i = this.#list.findIndex((t) => t.id === id);
    if (i < 0) return;
    const tab = this.#list[i]!;
    if (tab === this.#active) {
      const next = this.#list[i + 1] ?? this.#list[i - 1];
      if (!next) throw new Error('the last tab cannot be closed: open another first');
      this.activate(next.id);
    }
    this.#list.splice(i, 1);
    this.#emit({ kind: 'closed', tab });
  }

  /** Moves a tab to a new place in the strip. */
  move(id: string, to: number): void {
    const i = this.#list.findIndex((t) => t.id === id);
    if (i < 0) return;
    const [tab] = this.#list.splice(i, 1);
    this.#list.splice(Math.max(0, Math.min(to, this.#list.length)), 0, tab!);
  }

  #emit(change: TabsChange) {
    for (const l of this.#listeners) l(change);
  }
}

/**
 * The jobs of a task node of a tab: those run from this tab or, where it has none, those of jobs
 * from no open tab (the command line, a tab closed since) made from the tab's file. Never another
 * open tab's, even where that tab has a node with the same id.
 */
export function jobsOfNode(tabs: Tabs, tab: Tab, nodeId: number, jobs: readonly JobView[]): JobView[] {
  const ofNode = jobs.filter((j) => j.nodeId === nodeId);
  const mine = ofNode.filter((j) => j.docId === tab.id || tab.ran.has(j.id));
  if (mine.length) return mine;
  const path = tab.editor.path;
  if (!path) return [];
  return ofNode.filter((j) => j.graphFile === path && !(j.docId !== undefined && tabs.get(j.docId)));
}

/** The newest job of a task node of a tab (see jobsOfNode). */
export function jobOfNode(tabs: Tabs, tab: Tab, nodeId: number, jobs: readonly JobView[]): JobView | undefined {
  return jobsOfNode(tabs, tab, nodeId, jobs).reduce<JobView | undefined>((a, j) => (!a || j.createdAt > a.createdAt ? j : a), undefined);
}

/** Whether any job of this tab is still moving. */
export const isRunning = (tab: Tab, jobs: readonly JobView[]) => jobs.some((j) => (j.docId === tab.id || tab.ran.has(j.id)) && isActive(j));
