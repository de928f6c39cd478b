import { isActive, type HostApi, type JobView, type SettingsView } from '../core/contract';
import type { Diagnostic } from '../core/diagnostics';
import type { NodeDefinition } from '../core/node-def';
import type { Registry } from '../core/node-def';
import { emptyDocument } from '../core/document';
import { tasksWiredFrom } from '../core/task-model';
import type { Action } from '../core/support/shortcuts';
import { Autosaver } from './autosave';
import { contextMenu } from './context-menu';
import { copyNodes, pasteNodes } from './editor/clipboard';
import { addGroup, addNode, addNodeLinked, deleteNodes, IMAGE_PARAM, removeGroups, setParam, toggleMode, type PendingLink } from './editor/commands';
import type { Editor } from './editor/editor';
import { axisName, linkedParam } from './editor/param-links';
import { Tab, Tabs } from './editor/tabs';
import { Documents } from './documents';
import { followDesktop, installKeys } from './input';
import { CanvasView } from './graph/canvas-view';
import { itemLines, sweepItemsOf } from './graph/counts';
import { Thumbnails, type Thumbnail } from './graph/thumbnails';
import { Runs } from './runs';
import { clear, h } from './ui/dom';
import { renderErrors } from './ui/errors-panel';
import { renderInspector } from './ui/inspector-panel';
import { renderHistory, renderQueue } from './ui/jobs-panels';
import { toast, type MenuItem } from './ui/overlay';
import { PreviewLayer } from './ui/previews';
import { compatible, openSearch } from './ui/search';
import { openSettings } from './ui/settings-dialog';
import { SidePanel } from './ui/side-panel';
import { TabStrip } from './ui/tab-strip';
import { buildToolbar, updateToolbar } from './ui/toolbar';
import { openValueEditor } from './ui/value-editor';
import { pickImageFile } from './ui/image-picker';
import { gridHost } from './grid-host';

// The editor's shell: the tab strip, toolbar, canvas, side panels and status bar, and the actions
// they share. Every action works on the tab in front; the canvas always shows exactly its document.

type Panel = 'problems' | 'inspector' | 'queue' | 'history';

export class App {
  readonly tabs = new Tabs();
  readonly view: CanvasView;
  readonly documents: Documents;
  readonly autosaver: Autosaver;
  readonly runs: Runs;
  readonly previews: PreviewLayer;
  readonly thumbnails: Thumbnails;
  readonly strip: TabStrip;
  readonly panel: SidePanel;
  settings: SettingsView | undefined;
  #panel: Panel = 'problems';
  /** Which of the selected node's tasks the Payload tab shows. */
  #payloadStep = { key: '', at: 0 };
  #lastLabel = '';
  #renderFrame: number | undefined;
  /** A pointer is down on the side panel. */
  #pressed = false;
  readonly #unsubscribe = new Map<string, () => void>();
  readonly #el = {
    toolbar: document.getElementById('toolbar')!,
    strip: document.getElementById('doc-tabs')!,
    target: document.getElementById('target')!,
    sidebar: document.getElementById('sidebar')!,
    status: document.getElementById('status')!,
    wrap: document.getElementById('canvas-wrap')!,
    tabs: h('nav', { class: 'tabs', role: 'tablist' }),
    body: h('div', { class: 'tab-body', role: 'tabpanel' }),
    tooltip: h('div', { class: 'tooltip', style: 'display:none' }),
  };

  constructor(
    readonly api: HostApi,
    readonly registry: Registry,
  ) {
    const first = Tab.create(registry, emptyDocument(), undefined);
    this.thumbnails = new Thumbnails({
      readLocal: async (image, graphFile) => (await api['image.preview']({ image, ...(graphFile && { graphFile }) })).dataUri,
      changed: () => this.view.redraw(),
    });
    this.view = new CanvasView(document.getElementById('canvas') as HTMLCanvasElement, first.editor, {
      editParam: (nodeId, name, rect) => this.editParam(nodeId, name, rect),
      openSearch: (x, y, pos, link) => this.search(x, y, pos, link),
      contextMenu: (x, y, pos, nodeId) => contextMenu(this, x, y, pos, nodeId),
      afterDraw: () => this.previews?.follow(),
      paintArea: (name, ctx, id, box) => {
        const picture = name === 'thumbnail' ? this.thumbnailOf(id) : undefined;
        if (picture) this.thumbnails.draw(ctx, picture, box);
      },
      notice: (message) => toast(message, 'error'),
    });
    this.documents = new Documents(api, this.tabs, registry, this.view);
    this.autosaver = new Autosaver(api, this.tabs, this.documents);
    this.runs = new Runs(api, this.tabs, (tab) => this.documents.text(tab), () => this.render());
    const grids = gridHost(this, document.getElementById('previews')!);
    this.previews = new PreviewLayer(document.getElementById('previews')!, this.view, {
      jobFor: (id) => this.runs.jobForPreview(id),
      filmFor: (id) => this.runs.filmForPreview(id),
      mediaUrl: (f) => api.mediaUrl(f),
      reveal: (f) => void this.reveal(f),
      restore: (f) => void this.documents.restoreFromVideo({ path: f }),
      runFor: (id) => this.runs.runForGrid(id),
      gridHost: () => grids,
    });
    this.strip = new TabStrip(this.#el.strip, {
      activate: (id) => this.tabs.activate(id),
      close: (id) => void this.closeTab(id),
      create: () => this.do('new'),
    });
    this.tabs.on((change) => {
      if (change.kind === 'added') this.#follow(change.tab);
      else if (change.kind === 'closed') {
        this.#unsubscribe.get(change.tab.id)?.();
        this.#unsubscribe.delete(change.tab.id);
      } else this.#show(change.tab, change.previous);
      this.render();
    });
    this.tabs.open(first);
    this.panel = new SidePanel(this.#el.sidebar.parentElement!, this.#el.sidebar, () => this.view.resize());
    this.#el.sidebar.append(h('div', { class: 'panel-head' }, this.#el.tabs, this.panel.toggle), this.#el.body);
    document.body.append(this.#el.tooltip);
    buildToolbar(this.#el.toolbar, { do: (a) => this.do(a), recentMenu: () => this.#recentMenu(), examplesMenu: () => this.#examplesMenu() });
    installKeys(this);
    this.#dropTarget();
    this.#el.body.addEventListener('pointerdown', () => (this.#pressed = true));
    for (const end of ['pointerup', 'pointercancel', 'dragend'])
      addEventListener(end, () => this.#pressed && ((this.#pressed = false), setTimeout(() => this.render())), true);
    this.#hover();
    this.#el.wrap.addEventListener('pointerup', () => setTimeout(() => this.render()), true); // the selection may have changed
    // Every part of the page is built and filled (the first render is done now, not on the next
    // frame) before the canvas is measured, once: a part that grew later would move the canvas's
    // edge, and each new size clears the canvas for a full redraw.
    this.#renderNow();
    this.view.resize();
    // the canvas is exactly as large as its column: the window, the panel's width or its collapse may change that
    new ResizeObserver(() => this.view.resize()).observe(this.#el.wrap);
  }

  async start(): Promise<void> {
    this.api.onEvent((e) => {
      if (e.type === 'job') this.runs.update(e.job);
      else if (e.type === 'plan') this.runs.updatePlan(e.plan);
      else this.#showTarget(e.view);
    });
    setInterval(() => this.runs.list().some(isActive) && this.render(), 1000);
    // the canvas takes input now (it was built and drawn by the constructor); where runs go and
    // the jobs so far arrive from the host in a moment, and the tabs come back after them
    document.body.dataset.ready = 'true';
    const [settings] = await Promise.all([this.api['settings.get']({}), this.runs.load()]);
    this.#showTarget(settings);
    this.render();
    document.body.dataset.loaded = 'true';
    // the tabs come back (asking first if some had unsaved changes); autosave starts after
    await this.autosaver.recover();
    this.autosaver.start();
    if (this.api.desktop) await followDesktop(this, this.api.desktop);
  }

  /** What a node's picture area shows for its image now (undefined for a node without one). */
  thumbnailOf(nodeId: number): Thumbnail | undefined {
    const node = this.editor.doc.nodes.find((n) => n.id === nodeId);
    const param = node && IMAGE_PARAM[node.type];
    if (!node || !param) return undefined;
    const value = node.params[param];
    return this.thumbnails.of(typeof value === 'string' ? value : undefined, this.editor.path);
  }

  // ------------------------------------------------------------ tabs

  /** The front tab's document, history and file. */
  get editor(): Editor {
    return this.tabs.active.editor;
  }

  /** A tab's edits reach the canvas while it is in front; in the back they only change its strip entry. */
  #follow(tab: Tab) {
    tab.editor.setMaxTasks(this.settings?.settings.maxTasksPerRun);
    const off = tab.editor.on((change) => {
      if (change.kind === 'limits') return this.render();
      if (tab === this.tabs.active) {
        if (change.kind === 'load') this.view.show(tab.editor);
        else this.view.reconcile(change.ops);
        if (change.kind === 'edit') this.#lastLabel = change.label;
      }
      if (change.kind === 'load') tab.serviceProblems = [];
      this.render();
    });
    this.#unsubscribe.set(tab.id, off);
  }

  /** Switching tabs: the one leaving keeps its viewport and selection; the canvas is rebuilt from the one arriving. */
  #show(tab: Tab, previous: Tab | undefined) {
    if (previous && this.tabs.get(previous.id)) previous.view = { viewport: this.view.viewport(), selection: this.view.selectedIds() };
    tab.editor.doc.layout.viewport = structuredClone(tab.view.viewport);
    this.view.show(tab.editor);
    this.view.select(tab.view.selection);
    this.#lastLabel = '';
  }

  closeTab(id = this.tabs.active.id): Promise<boolean> {
    const tab = this.tabs.get(id);
    return tab ? this.documents.close(tab) : Promise.resolve(false);
  }

  // ------------------------------------------------------------ rendering

  /** Panels follow the document and the jobs, at most once a frame. */
  render(): void {
    this.#renderFrame ??= requestAnimationFrame(() => this.#renderNow());
  }

  problems(): Diagnostic[] {
    return [...this.editor.compiled.diagnostics, ...this.tabs.active.serviceProblems];
  }

  /** Renders at once; a render waiting for the next frame is then not needed. */
  #renderNow() {
    if (this.#renderFrame !== undefined) cancelAnimationFrame(this.#renderFrame);
    this.#renderFrame = undefined;
    const problems = this.problems();
    this.view.setProblems(problems);
    const errors = problems.filter((d) => d.severity === 'error').length;
    const jobs = this.runs.list();
    const running = jobs.filter(isActive).length;
    const panels: [Panel, string][] = [
      ['problems', `Problems${problems.length ? ` (${problems.length})` : ''}`],
      ['inspector', 'Payload'],
      ['queue', `Queue${running ? ` (${running})` : ''}`],
      ['history', 'History'],
    ];
    // the buttons stay and only their labels change: a render during a click (a run's progress
    // renders often) would otherwise take the button from under the pointer and lose the click
    if (!this.#el.tabs.childElementCount)
      clear(this.#el.tabs, panels.map(([panel]) => h('button', { type: 'button', role: 'tab', dataset: { tab: panel }, onclick: () => ((this.#panel = panel), this.render()) })));
    for (const [k, [panel, label]] of panels.entries()) {
      const button = this.#el.tabs.children[k] as HTMLButtonElement;
      if (button.textContent !== label) button.textContent = label;
      button.className = panel === this.#panel ? 'active' : '';
      button.setAttribute('aria-selected', String(panel === this.#panel));
    }
    // a panel pressed is not rebuilt until the pointer is up: the click stays on the button it began on
    if (!this.#pressed) this.#renderPanel(problems, jobs);
    this.previews.refreshAll();
    const e = this.editor;
    document.title = `${e.dirty ? '● ' : ''}${e.title} — Wan Graph`;
    updateToolbar(this.#el.toolbar, { title: e.title, path: e.path, dirty: e.dirty, undo: e.history.undoLabel, redo: e.history.redoLabel, canUndo: e.history.canUndo, canRedo: e.history.canRedo });
    const tasks = this.editor.compiled.tasks.length;
    clear(
      this.#el.status,
      h('span', {}, `${this.editor.doc.nodes.length} nodes`),
      h('span', {}, `${tasks} task${tasks === 1 ? '' : 's'}`),
      h('span', { class: errors ? 'state-failed' : '' }, errors ? `${errors} error${errors === 1 ? '' : 's'}` : 'no errors'),
      h('span', {}, this.editor.dirty ? 'unsaved changes' : 'saved'),
      this.#lastLabel ? h('span', { class: 'last-edit' }, this.#lastLabel) : null,
    );
    // last: the strip scrolls its front tab into view, which lays the page out once every part is written
    this.strip.render(this.tabs.list.map((t) => ({ id: t.id, title: t.editor.title, path: t.editor.path, dirty: t.editor.dirty, running: this.runs.running(t), active: t === this.tabs.active })));
  }

  /** The side panel in front: problems, payload, queue or history. */
  #renderPanel(problems: Diagnostic[], jobs: JobView[]) {
    const body = this.#el.body;
    if (this.#panel === 'problems') renderErrors(body, problems, (d) => this.focusProblem(d));
    else if (this.#panel === 'inspector') {
      const id = this.view.selectedIds()[0];
      const type = this.editor.doc.nodes.find((n) => n.id === id)?.type;
      const selected = id === undefined ? undefined : { id, isTask: !!(type && this.registry.get(type)?.producesTask), wiredInto: tasksWiredFrom(this.editor.doc, this.registry, id) };
      // the step is kept per tab and selection: another node starts at its first task
      const key = `${this.tabs.active.id}:${id ?? ''}`;
      if (this.#payloadStep.key !== key) this.#payloadStep = { key, at: 0 };
      const doc = this.editor.doc;
      renderInspector(body, this.editor.compiled.tasks, selected, this.editor.compiled.ok, {
        at: this.#payloadStep.at,
        go: (at) => ((this.#payloadStep = { key, at }), this.render()),
        axisName: (nodeId) => axisName(doc, this.registry, nodeId),
      });
    }
    else if (this.#panel === 'queue')
      renderQueue(body, jobs, this.runs.planList(), Date.now(), { cancelJob: (id) => void this.runs.cancel(id), retry: (id) => void this.runs.retry(id), cancel: (plan, step) => void this.runs.cancelPlan(plan, step) });
    else renderHistory(body, jobs, { mediaUrl: (f) => this.api.mediaUrl(f), restore: (f) => void this.documents.restoreFromVideo({ path: f }), reveal: (f) => void this.reveal(f) });
  }

  #showTarget(view: SettingsView) {
    this.settings = view;
    for (const tab of this.tabs.list) tab.editor.setMaxTasks(view.settings.maxTasksPerRun);
    this.#el.target.textContent = view.target.notice;
    this.#el.target.classList.toggle('live', !view.target.sandbox);
  }

  // ------------------------------------------------------------ actions

  do(action: Action): void {
    const selected = this.view.selectedIds();
    switch (action) {
      case 'new':
        return this.documents.newGraph();
      case 'closeTab':
        return void this.closeTab();
      case 'nextTab':
        return this.tabs.cycle(1);
      case 'prevTab':
        return this.tabs.cycle(-1);
      case 'settings':
        return void this.settingsDialog();
      case 'run':
        return void this.runs.run();
      case 'save':
        return void this.documents.save();
      case 'saveAs':
        return void this.documents.saveAs();
      case 'open':
        return void this.documents.open();
      case 'undo':
        return void this.editor.undo();
      case 'redo':
        return void this.editor.redo();
      case 'delete': {
        const groups = this.view.selectedGroupIds();
        if (selected.length) this.editor.exec(deleteNodes(this.editor.doc, selected));
        if (groups.length) this.editor.exec(removeGroups(groups));
        return;
      }
      case 'bypass':
      case 'mute':
        if (selected.length) this.editor.exec(toggleMode(this.editor.doc, selected, action === 'bypass' ? 'bypassed' : 'muted'));
        return;
      case 'group':
        return this.groupSelection();
      case 'duplicate': {
        const text = copyNodes(this.editor.doc, selected);
        if (text) this.paste(text, undefined, 30);
        return;
      }
      case 'pasteWithLinks': {
        const at = this.view.pointerPos();
        void (navigator.clipboard?.readText() ?? Promise.reject(new Error('no clipboard')))
          .catch(() => this.lastCopy)
          .then((text) => text && this.paste(text, at, 0, { keepInputLinks: true }));
        return;
      }
      case 'fitView':
        return this.view.fitView();
      case 'selectAll':
        return this.view.select(this.editor.doc.nodes.map((n) => n.id));
      case 'search': {
        const r = this.#el.wrap.getBoundingClientRect();
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 3;
        return this.search(x, y, this.view.graphPosAt(x, y));
      }
    }
  }

  /** The editor's own last copy: pasting falls back to it where the system clipboard cannot be read. */
  lastCopy: string | undefined;

  paste(text: string, at?: [number, number], offset = 0, opts: { keepInputLinks?: boolean } = {}): void {
    const sel = this.view.selectedIds();
    const anchor = at ?? (sel.length ? this.editor.doc.layout.nodes[sel[0]!]?.pos : undefined) ?? this.view.graphPosAt(innerWidth / 2, innerHeight / 2);
    const pasted = pasteNodes(this.editor.doc, this.editor.registry, text, [anchor[0] + offset, anchor[1] + offset], opts);
    if (!pasted) return;
    this.editor.exec(pasted.cmd);
    this.view.select(pasted.ids);
  }

  groupSelection(): void {
    const ids = this.view.selectedIds();
    const box = this.view.boundsOf(ids);
    const bounding: [number, number, number, number] = box
      ? [Math.round(box[0] - 20), Math.round(box[1] - 50), Math.round(box[2] + 40), Math.round(box[3] + 70)]
      : [...this.view.graphPosAt(innerWidth / 2, innerHeight / 2), 400, 300];
    this.editor.exec(addGroup(this.editor.doc, 'Group', bounding));
  }

  editParam(nodeId: number, name: string, rect: DOMRect): void {
    const node = this.editor.doc.nodes.find((n) => n.id === nodeId);
    const def = node && this.editor.registry.get(node.type);
    // the limits of the model the node is connected to (Turbo: Results 1–4)
    const spec = node && this.editor.paramSpec(nodeId, name);
    if (!node || !spec) return;
    const editor = this.editor;
    openValueEditor({
      spec,
      value: Object.hasOwn(node.params, name) ? node.params[name] : undefined,
      rect,
      commit: (value) => editor.exec(setParam(editor.doc.nodes.find((n) => n.id === nodeId) ?? node, name, value, spec.label, def)),
      ...(IMAGE_PARAM[node.type] === name && { browse: async () => { const file = await pickImageFile(); return file && this.documents.importImage(file); } }),
      tab: (back) => {
        const next = this.view.nextParam(nodeId, name, back);
        if (next && next.name !== name) this.editParam(nodeId, next.name, next.rect);
      },
    });
  }

  focusProblem(d: Diagnostic): void {
    if (d.nodeId === undefined) return;
    const rect = this.view.focus(d.nodeId, d.field);
    if (rect && d.field) this.editParam(d.nodeId, d.field, rect);
    this.render();
  }

  search(x: number, y: number, pos: [number, number], link?: PendingLink): void {
    const all = this.editor.registry.all();
    const defs = link ? compatible(all, link.type, link.from) : all;
    openSearch({
      defs,
      x,
      y,
      ...(link && { title: searchTitle(this.editor, link) }),
      onPick: (def) => this.addNodeAt(def, pos, link),
    });
  }

  addNodeAt(def: NodeDefinition, pos: [number, number], link?: PendingLink): void {
    const { cmd, id } = link ? addNodeLinked(this.editor.doc, this.editor.registry, def, pos, link) : addNode(this.editor.doc, def, pos);
    this.editor.exec(cmd);
    this.view.select([id]);
  }

  async reveal(file: string): Promise<void> {
    try {
      await this.api['library.reveal']({ path: file });
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  }

  async settingsDialog(): Promise<void> {
    const current = this.settings ?? (await this.api['settings.get']({}));
    const next = await openSettings(this.api, current);
    if (next) this.#showTarget(next);
  }

  // ------------------------------------------------------------ wiring

  async #recentMenu(): Promise<MenuItem[]> {
    const { files } = await this.api['recent.list']({});
    const open = new Set(this.tabs.list.map((t) => t.editor.path));
    return files.length ? [...files.map((f) => ({ label: f, ...(open.has(f) && { key: 'open' }), action: () => void this.documents.open(f) })), { label: 'Clear recent', action: () => void this.api['recent.clear']({}) }] : [];
  }

  async #examplesMenu(): Promise<MenuItem[]> {
    return (await this.api['app.info']({})).examples.map((x) => ({ label: x.name, action: () => void this.documents.openExample(x.path) }));
  }

  #dropTarget() {
    const wrap = this.#el.wrap;
    wrap.addEventListener('dragover', (e) => {
      e.preventDefault();
      wrap.classList.add('drop');
    });
    wrap.addEventListener('dragleave', () => wrap.classList.remove('drop'));
    wrap.addEventListener('drop', (e) => {
      e.preventDefault();
      wrap.classList.remove('drop');
      const video = e.dataTransfer?.getData('application/x-wan-graph-video') || undefined;
      void this.documents.drop([...(e.dataTransfer?.files ?? [])], video, this.view.graphPosAt(e.clientX, e.clientY), this.view.nodeAt(e.clientX, e.clientY));
    });
  }

  /** A node with problems says what they are when the pointer rests on it; a sweep node without any, its items as they will run. */
  #hover() {
    const tip = this.#el.tooltip;
    this.view.element.addEventListener('pointermove', (e) => {
      const id = this.view.nodeAt(e.clientX, e.clientY);
      const problems = id === undefined ? [] : this.view.problemsOf(id);
      const node = problems.length || id === undefined ? undefined : this.editor.doc.nodes.find((n) => n.id === id);
      const items = node && sweepItemsOf(node, this.registry);
      if ((!problems.length && !items) || e.buttons) {
        tip.style.display = 'none';
        return;
      }
      const lines = items ? itemLines(items) : problems.map((d) => `${d.severity === 'warning' ? '⚠ ' : ''}${d.field ? `${d.field}: ` : ''}${d.message}`);
      clear(tip, lines.map((line) => h('div', {}, line)));
      tip.classList.toggle('items', !!items);
      // beside the pointer, kept inside the window
      Object.assign(tip.style, { display: '', left: `${Math.min(e.clientX + 14, innerWidth - 380)}px`, top: `${e.clientY + 14}px` });
      tip.style.top = `${Math.max(4, Math.min(e.clientY + 14, innerHeight - tip.offsetHeight - 8))}px`;
    });
    this.view.element.addEventListener('pointerleave', () => (tip.style.display = 'none'));
  }
}

/** What the node search offers for a dragged link: nodes that take it, or that give what the port it came from takes. */
function searchTitle(editor: Editor, link: PendingLink): string {
  if (link.from === 'output') return `Nodes that take ${link.type}`;
  const node = editor.doc.nodes.find((n) => n.id === link.nodeId);
  const spec = node && linkedParam(editor.registry.get(node.type), link.port);
  return spec ? `A list or one value for ${spec.label}` : `Nodes that give ${link.type}`;
}
