import { isActive, type HostApi, type SettingsView } from '../core/contract';
import type { Diagnostic } from '../core/diagnostics';
import type { NodeDefinition } from '../core/node-def';
import type { Registry } from '../core/node-def';
import { copyNodes, pasteNodes } from './editor/clipboard';
import { addGroup, addNode, addNodeLinked, deleteNodes, removeGroups, renameGroup, setCollapsed, setParam, setTitle, toggleMode, type PendingLink } from './editor/commands';
import { Editor } from './editor/editor';
import { Documents } from './files';
import { followDesktop, installKeys } from './input';
import { CanvasView } from './graph/canvas-view';
import { Runs } from './runs';
import { keyOf, type Action } from '../core/shortcuts';
import { clear, h } from './ui/dom';
import { renderErrors } from './ui/errors-panel';
import { renderInspector } from './ui/inspector-panel';
import { renderHistory, renderQueue } from './ui/jobs-panels';
import { dialog, showMenu, toast, type MenuItem } from './ui/overlay';
import { PreviewLayer } from './ui/previews';
import { compatible, openSearch } from './ui/search';
import { openSettings } from './ui/settings-dialog';
import { openValueEditor } from './ui/value-editor';

// The editor's shell: toolbar, canvas, side panels and status bar, and the actions they share.

type Tab = 'problems' | 'inspector' | 'queue' | 'history';

export class App {
  readonly editor: Editor;
  readonly view: CanvasView;
  readonly documents: Documents;
  readonly runs: Runs;
  readonly previews: PreviewLayer;
  settings: SettingsView | undefined;
  #tab: Tab = 'problems';
  #lastLabel = '';
  #renderQueued = false;
  readonly #el = {
    toolbar: document.getElementById('toolbar')!,
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
    registry: Registry,
  ) {
    this.editor = new Editor(registry, () => crypto.randomUUID());
    this.view = new CanvasView(document.getElementById('canvas') as HTMLCanvasElement, this.editor, {
      editParam: (nodeId, name, rect) => this.editParam(nodeId, name, rect),
      openSearch: (x, y, pos, link) => this.search(x, y, pos, link),
      contextMenu: (x, y, pos, nodeId) => this.contextMenu(x, y, pos, nodeId),
      afterDraw: () => this.previews?.follow(),
    });
    this.documents = new Documents(api, this.editor, this.view);
    this.runs = new Runs(api, this.editor, this.documents, () => this.render());
    this.previews = new PreviewLayer(document.getElementById('previews')!, this.view, {
      jobFor: (id) => this.runs.jobForPreview(id),
      mediaUrl: (f) => api.mediaUrl(f),
      reveal: (f) => void this.reveal(f),
      restore: (f) => void this.documents.restoreFromVideo({ path: f }),
    });
    let graphId = this.editor.graphId;
    this.editor.on((change) => {
      if (change.kind === 'edit' && this.editor.graphId !== graphId) this.runs.moved(graphId, this.editor.graphId);
      graphId = this.editor.graphId;
      this.view.reconcile(change.kind === 'edit' ? change.ops : undefined);
      if (change.kind === 'edit') this.#lastLabel = change.label;
      else this.runs.serviceProblems = [];
      this.render();
    });
    this.#el.sidebar.append(this.#el.tabs, this.#el.body);
    document.body.append(this.#el.tooltip);
    this.#toolbar();
    installKeys(this);
    this.#dropTarget();
    this.#hover();
    this.#el.wrap.addEventListener('pointerup', () => setTimeout(() => this.render()), true); // the selection may have changed
    addEventListener('resize', () => this.view.resize());
    this.view.resize();
  }

  async start(): Promise<void> {
    this.api.onEvent((e) => {
      if (e.type === 'job') this.runs.update(e.job);
      else this.#showTarget(e.view);
    });
    const [settings] = await Promise.all([this.api['settings.get']({}), this.runs.load()]);
    this.#showTarget(settings);
    this.view.reconcile();
    setInterval(() => this.runs.list().some(isActive) && this.render(), 1000);
    this.render();
    document.body.dataset.ready = 'true';
    // the working graph comes back (asking first if it had unsaved changes); autosave starts after
    await this.documents.recover();
    this.documents.startAutosave();
    if (this.api.desktop) await followDesktop(this, this.api.desktop);
  }

  // ------------------------------------------------------------ rendering

  /** Panels follow the document and the jobs, at most once a frame. */
  render(): void {
    if (this.#renderQueued) return;
    this.#renderQueued = true;
    requestAnimationFrame(() => {
      this.#renderQueued = false;
      this.#renderNow();
    });
  }

  problems(): Diagnostic[] {
    return [...this.editor.compiled.diagnostics, ...this.runs.serviceProblems];
  }

  #renderNow() {
    const problems = this.problems();
    this.view.setProblems(problems);
    const errors = problems.filter((d) => d.severity === 'error').length;
    const jobs = this.runs.list();
    const running = jobs.filter(isActive).length;
    const tabs: [Tab, string][] = [
      ['problems', `Problems${problems.length ? ` (${problems.length})` : ''}`],
      ['inspector', 'Payload'],
      ['queue', `Queue${running ? ` (${running})` : ''}`],
      ['history', 'History'],
    ];
    clear(this.#el.tabs, tabs.map(([tab, label]) => h('button', { type: 'button', role: 'tab', class: tab === this.#tab ? 'active' : '', 'aria-selected': String(tab === this.#tab), dataset: { tab }, onclick: () => ((this.#tab = tab), this.render()) }, label)));
    const body = this.#el.body;
    if (this.#tab === 'problems') renderErrors(body, problems, (d) => this.focusProblem(d));
    else if (this.#tab === 'inspector') renderInspector(body, this.editor.compiled.tasks, this.view.selectedIds()[0], this.editor.compiled.ok);
    else if (this.#tab === 'queue') renderQueue(body, jobs, Date.now(), (id) => void this.runs.cancel(id));
    else renderHistory(body, jobs, { mediaUrl: (f) => this.api.mediaUrl(f), restore: (f) => void this.documents.restoreFromVideo({ path: f }), reveal: (f) => void this.reveal(f) });
    this.previews.refreshAll();
    const title = `${this.editor.dirty ? '● ' : ''}${this.editor.title}`;
    document.title = `${title} — Wan Graph`;
    this.#el.toolbar.querySelector('.title')!.textContent = this.editor.path ? `${title} — ${this.editor.path}` : title;
    for (const [action, enabled] of [
      ['undo', this.editor.history.canUndo],
      ['redo', this.editor.history.canRedo],
    ] as const) {
      const b = this.#el.toolbar.querySelector<HTMLButtonElement>(`[data-action=${action}]`)!;
      b.disabled = !enabled;
      b.title = `${action === 'undo' ? `Undo ${this.editor.history.undoLabel ?? ''}` : `Redo ${this.editor.history.redoLabel ?? ''}`} (${keyOf(action)})`;
    }
    const tasks = this.editor.compiled.tasks.length;
    clear(
      this.#el.status,
      h('span', {}, `${this.editor.doc.nodes.length} nodes`),
      h('span', {}, `${tasks} task${tasks === 1 ? '' : 's'}`),
      h('span', { class: errors ? 'state-failed' : '' }, errors ? `${errors} error${errors === 1 ? '' : 's'}` : 'no errors'),
      h('span', {}, this.editor.dirty ? 'unsaved changes' : 'saved'),
      this.#lastLabel ? h('span', { class: 'last-edit' }, this.#lastLabel) : null,
    );
  }

  #showTarget(view: SettingsView) {
    this.settings = view;
    this.#el.target.textContent = view.target.notice;
    this.#el.target.classList.toggle('live', !view.target.sandbox);
  }

  // ------------------------------------------------------------ actions

  do(action: Action): void {
    const selected = this.view.selectedIds();
    switch (action) {
      case 'new':
        return void this.documents.newGraph();
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

  paste(text: string, at?: [number, number], offset = 0): void {
    const sel = this.view.selectedIds();
    const anchor = at ?? (sel.length ? this.editor.doc.layout.nodes[sel[0]!]?.pos : undefined) ?? this.view.graphPosAt(innerWidth / 2, innerHeight / 2);
    const pasted = pasteNodes(this.editor.doc, this.editor.registry, text, [anchor[0] + offset, anchor[1] + offset]);
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
    const spec = node && this.editor.registry.get(node.type)?.params[name];
    if (!node || !spec) return;
    openValueEditor({
      spec,
      value: Object.hasOwn(node.params, name) ? node.params[name] : undefined,
      rect,
      commit: (value) => this.editor.exec(setParam(node, name, value, spec.label)),
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
      ...(link && { title: `Nodes that take ${link.type}` }),
      onPick: (def) => this.addNodeAt(def, pos, link),
    });
  }

  addNodeAt(def: NodeDefinition, pos: [number, number], link?: PendingLink): void {
    const { cmd, id } = link ? addNodeLinked(this.editor.doc, def, pos, link) : addNode(this.editor.doc, def, pos);
    this.editor.exec(cmd);
    this.view.select([id]);
  }

  contextMenu(x: number, y: number, pos: [number, number], nodeId: number | undefined): void {
    if (nodeId !== undefined) {
      if (!this.view.selectedIds().includes(nodeId)) this.view.select([nodeId]);
      const node = this.editor.doc.nodes.find((n) => n.id === nodeId)!;
      const isTask = this.editor.registry.get(node.type)?.producesTask;
      const collapsed = this.editor.doc.layout.nodes[nodeId]?.collapsed ?? false;
      const items: (MenuItem | 'separator')[] = [
        { label: 'Rename…', action: () => void this.rename(nodeId) },
        { label: collapsed ? 'Expand' : 'Collapse', action: () => this.editor.exec(setCollapsed(this.editor.doc, nodeId, !collapsed)) },
        { label: node.mode === 'bypassed' ? 'Un-bypass' : 'Bypass', key: keyOf('bypass'), action: () => this.do('bypass') },
        { label: node.mode === 'muted' ? 'Unmute' : 'Mute', key: keyOf('mute'), action: () => this.do('mute') },
        'separator',
        { label: 'Duplicate', key: keyOf('duplicate'), action: () => this.do('duplicate') },
        { label: 'Copy', key: 'Ctrl+C', action: () => void navigator.clipboard.writeText(copyNodes(this.editor.doc, this.view.selectedIds()) ?? '') },
        { label: 'Delete', key: keyOf('delete'), action: () => this.do('delete') },
      ];
      if (isTask) items.push('separator', { label: 'Run this task', action: () => void this.runs.run([nodeId]) });
      return showMenu(x, y, items);
    }
    const group = this.view.groupAt(pos);
    const items: (MenuItem | 'separator')[] = [
      { label: 'Add node…', key: 'double-click', action: () => this.search(x, y, pos) },
      { label: 'Add group', key: keyOf('group'), action: () => this.groupSelection() },
      { label: 'Paste', key: 'Ctrl+V', action: () => void navigator.clipboard.readText().then((t) => this.paste(t, pos)) },
      { label: 'Fit view', key: keyOf('fitView'), action: () => this.view.fitView() },
    ];
    if (group !== undefined) {
      const id = group;
      items.push('separator', { label: 'Rename group…', action: () => void this.renameGroup(id) }, { label: 'Delete group', action: () => this.editor.exec(removeGroups([id])) });
    }
    showMenu(x, y, items);
  }

  async rename(nodeId: number): Promise<void> {
    const node = this.editor.doc.nodes.find((n) => n.id === nodeId);
    if (!node) return;
    const input = h('input', { type: 'text', value: node.title, maxlength: 200, 'aria-label': 'Title' });
    const answer = await dialog({ title: 'Rename node', body: [input], buttons: [{ label: 'Cancel', value: 'cancel' }, { label: 'Rename', value: 'ok', primary: true }] });
    if (answer === 'ok' && input.value !== node.title) this.editor.exec(setTitle(nodeId, input.value.slice(0, 200)));
  }

  async renameGroup(id: number): Promise<void> {
    const group = this.editor.doc.groups.find((g) => g.id === id);
    if (!group) return;
    const input = h('input', { type: 'text', value: group.title, maxlength: 200, 'aria-label': 'Group title' });
    const answer = await dialog({ title: 'Rename group', body: [input], buttons: [{ label: 'Cancel', value: 'cancel' }, { label: 'Rename', value: 'ok', primary: true }] });
    if (answer === 'ok') this.editor.exec(renameGroup(this.editor.doc, id, input.value.slice(0, 200)));
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

  #toolbar() {
    const button = (label: string, onclick: () => void, opts: { action?: string; title?: string; primary?: boolean } = {}) =>
      h('button', { type: 'button', class: opts.primary ? 'primary' : '', title: opts.title ?? label, dataset: { action: opts.action ?? label.toLowerCase().replace(/\W+/g, '-') }, onclick }, label);
    const menuFrom = (e: Event, load: () => Promise<MenuItem[]>) => {
      const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
      void load().then((items) => showMenu(r.left, r.bottom + 2, items.length ? items : [{ label: 'Nothing here yet', disabled: true, action: () => undefined }]));
    };
    this.#el.toolbar.replaceChildren(
      button('New', () => this.do('new'), { action: 'new' }),
      button('Open…', () => this.do('open'), { action: 'open', title: `Open (${keyOf('open')})` }),
      button('Recent', () => undefined, { action: 'recent' }),
      button('Examples', () => undefined, { action: 'examples' }),
      button('Save', () => this.do('save'), { action: 'save', title: `Save (${keyOf('save')})` }),
      button('Save as…', () => this.do('saveAs'), { action: 'save-as', title: `Save as (${keyOf('saveAs')})` }),
      h('span', { class: 'sep' }),
      button('Undo', () => this.do('undo'), { action: 'undo' }),
      button('Redo', () => this.do('redo'), { action: 'redo' }),
      h('span', { class: 'sep' }),
      button('▶ Run', () => this.do('run'), { action: 'run', title: `Run every active task (${keyOf('run')})`, primary: true }),
      button('Settings', () => this.do('settings'), { action: 'settings' }),
      h('span', { class: 'title' }),
    );
    const recent = this.#el.toolbar.querySelector('[data-action=recent]')!;
    recent.addEventListener('click', (e) =>
      menuFrom(e, async () => {
        const { files } = await this.api['recent.list']({});
        return files.length ? [...files.map((f) => ({ label: f, action: () => void this.documents.open(f) })), { label: 'Clear recent', action: () => void this.api['recent.clear']({}) }] : [];
      }),
    );
    const examples = this.#el.toolbar.querySelector('[data-action=examples]')!;
    examples.addEventListener('click', (e) => menuFrom(e, async () => (await this.api['app.info']({})).examples.map((x) => ({ label: x.name, action: () => void this.documents.openExample(x.path) }))));
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
      void this.documents.drop([...(e.dataTransfer?.files ?? [])], video, this.view.graphPosAt(e.clientX, e.clientY));
    });
  }

  /** A node with problems says what they are when the pointer rests on it. */
  #hover() {
    const tip = this.#el.tooltip;
    this.view.element.addEventListener('pointermove', (e) => {
      const id = this.view.nodeAt(e.clientX, e.clientY);
      const problems = id === undefined ? [] : this.view.problemsOf(id);
      if (!problems.length || e.buttons) {
        tip.style.display = 'none';
        return;
      }
      clear(tip, problems.map((d) => h('div', {}, `${d.severity === 'warning' ? '⚠ ' : ''}${d.field ? `${d.field}: ` : ''}${d.message}`)));
      Object.assign(tip.style, { display: '', left: `${e.clientX + 14}px`, top: `${e.clientY + 14}px` });
    });
    this.view.element.addEventListener('pointerleave', () => (tip.style.display = 'none'));
  }
}
