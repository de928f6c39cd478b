import type { HostApi } from '../core/contract';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics';
import { emptyDocument, FILE_EXTENSION } from '../core/document';
import { loadGraph } from '../core/load';
import { serializeGraph } from '../core/save';
import type { Registry } from '../core/node-def';
import { addNode, IMAGE_PARAM, setParam } from './editor/commands';
import { Tab, type Tabs } from './editor/tabs';
import type { CanvasView } from './graph/canvas-view';
import { h } from './ui/dom';
import { pickGraphFile } from './ui/file-dialog';
import { dialog, toast } from './ui/overlay';

// Graph files: new, open, save, save as, recent, drops and restored results, each in a tab of its
// own (or the tab that already has that file); closing a tab asks before unsaved changes would
// be lost. A file that fails to load shows its problems and opens nothing.

export class Documents {
  /** Told after a tab was written to its file (its autosave follows at once). */
  readonly saved = new Set<(tab: Tab) => void>();

  constructor(
    readonly api: HostApi,
    readonly tabs: Tabs,
    readonly registry: Registry,
    readonly view: CanvasView,
  ) {}

  /** The document as a file: its viewport (the live one for the tab in front) goes with it. */
  text(tab: Tab = this.tabs.active): string {
    tab.editor.doc.layout.viewport = tab.viewportToSave(tab === this.tabs.active ? this.view.viewport() : tab.view.viewport);
    return serializeGraph(tab.editor.doc);
  }

  /** Asks before a tab's unsaved changes would be lost; false means stop. */
  async guard(tab: Tab = this.tabs.active): Promise<boolean> {
    if (!tab.editor.dirty) return true;
    const answer = await dialog({
      title: `Save changes to “${tab.editor.title}”?`,
      body: [h('p', {}, 'Your changes will be lost if you do not save them.')],
      buttons: [
        { label: 'Cancel', value: 'cancel' },
        { label: 'Don’t save', value: 'discard', danger: true },
        { label: 'Save', value: 'save', primary: true },
      ],
    });
    if (answer === 'discard') return true;
    if (answer === 'save') return this.save(tab);
    return false;
  }

  newGraph(): void {
    this.tabs.open(Tab.create(this.registry, emptyDocument(), undefined));
  }

  /** Closes a tab, asking first if it has unsaved changes (it comes to the front to be asked about). False if kept. */
  async close(tab: Tab = this.tabs.active): Promise<boolean> {
    if (tab.editor.dirty) {
      this.tabs.activate(tab.id);
      if (!(await this.guard(tab))) return false;
    }
    if (!this.tabs.get(tab.id)) return true;
    // there is always a tab to draw: the last one closed leaves an empty one
    if (this.tabs.list.length === 1) this.tabs.open(Tab.create(this.registry, emptyDocument(), undefined));
    this.tabs.close(tab.id);
    return true;
  }

  /** Opens a graph file in a tab of its own; a file already open brings its tab to the front. */
  async open(path?: string): Promise<boolean> {
    const chosen = path ?? (await pickGraphFile(this.api, 'open', this.tabs.active.editor.path));
    if (!chosen) return false;
    const already = this.tabs.byPath(chosen);
    if (already) return this.tabs.activate(already.id), true;
    try {
      const file = await this.api['file.read']({ path: chosen });
      const open = this.tabs.byPath(file.path);
      if (open) return this.tabs.activate(open.id), true;
      return await this.openText(file.text, file.path, file.name);
    } catch (e) {
      await showProblems(`Could not open ${chosen}`, [{ severity: 'error', code: 'unreadable', message: (e as Error).message }]);
      return false;
    }
  }

  /** An example opens as a new, untitled graph: saving never writes over the example itself. */
  async openExample(path: string): Promise<void> {
    try {
      const file = await this.api['file.read']({ path });
      await this.openText(file.text, undefined, file.name);
    } catch (e) {
      toast(`Could not open the example: ${(e as Error).message}`, 'error');
    }
  }

  /**
   * Loads graph text (a file, a drop, a restored result, an autosave) into a new tab in front; an
   * untouched empty tab in front gives way to it. Nothing changes unless it loads whole.
   */
  async openText(text: string, path: string | undefined, name: string, opts: { dirty?: boolean; id?: string; at?: 'end'; replacePristine?: boolean } = {}): Promise<boolean> {
    const loaded = loadGraph(text, this.registry);
    if (!loaded.ok) {
      await showProblems(`“${name}” cannot be opened`, loaded.errors);
      return false;
    }
    const tab = this.tabs.open(Tab.create(this.registry, loaded.doc, path, opts.dirty ?? false, opts.id), { replacePristine: opts.replacePristine ?? true, ...(opts.at && { at: opts.at }) });
    if (loaded.migrated.length) toast(`“${name}” was made by an older version and has been updated; saving writes the new format.`);
    this.view.fitView(); // opening shows the whole graph, at a readable zoom where it fits at one
    tab.chosenViewport = this.view.viewport();
    return true;
  }

  async save(tab: Tab = this.tabs.active): Promise<boolean> {
    if (!tab.editor.path) return this.saveAs(tab);
    return this.#write(tab, tab.editor.path);
  }

  async saveAs(tab: Tab = this.tabs.active): Promise<boolean> {
    const e = tab.editor;
    const suggested = e.path ?? `${(e.doc.name ?? 'untitled').toLowerCase().replace(/[^a-z0-9]+/g, '-')}${FILE_EXTENSION}`;
    const path = await pickGraphFile(this.api, 'save', suggested);
    return path ? this.#write(tab, path) : false;
  }

  async #write(tab: Tab, path: string): Promise<boolean> {
    const other = this.tabs.list.find((t) => t !== tab && t.editor.path === path);
    if (other) {
      toast(`Not saved: ${path} is open in another tab; close that tab first`, 'error');
      return false;
    }
    try {
      const written = await this.api['file.write']({ path, text: this.text(tab) });
      tab.editor.markSaved(written.path);
      for (const f of this.saved) f(tab);
      toast(`Saved ${written.path}`);
      return true;
    } catch (e) {
      toast(`Not saved: ${(e as Error).message}`, 'error');
      return false;
    }
  }

  // ------------------------------------------------------------ drag and drop

  /**
   * A dropped graph opens in a tab; an image becomes a Frame Image node, or, dropped on one,
   * replaces its image (one undoable edit); a result video restores its graph in a tab.
   */
  async drop(files: readonly File[], videoPath: string | undefined, at: [number, number], onNode?: number): Promise<void> {
    if (videoPath) return this.restoreFromVideo({ path: videoPath });
    let target = this.tabs.active.editor.doc.nodes.find((n) => n.id === onNode && n.type === FRAME_IMAGE);
    for (const file of files) {
      const lower = file.name.toLowerCase();
      if (lower.endsWith('.json')) {
        await this.openText(await file.text(), undefined, file.name, { dirty: true });
      } else if (isImageFile(file)) {
        const editor = this.tabs.active.editor;
        const path = await this.importImage(file);
        if (path === undefined) continue;
        const def = this.registry.get(FRAME_IMAGE)!;
        if (target) {
          editor.exec({ ...setParam(target, IMAGE, path, def.params[IMAGE]!.label, def), label: 'Replace image' });
          target = undefined; // one image replaces; any more become nodes of their own
          continue;
        }
        // one command: the node, its image and the title that follows it
        const { cmd, id } = addNode(editor.doc, def, at);
        const op = cmd.ops[0]!;
        if (op.kind !== 'addNode') continue;
        const set = setParam(op.node, IMAGE, path, def.params[IMAGE]!.label, def);
        editor.exec({ label: 'Add dropped image', ops: [...cmd.ops, ...set.ops, { kind: 'setParam', nodeId: id, name: 'frame', value: 'first' }] });
      } else if (file.type.startsWith('video/') || /\.(mp4|webm|mov)$/.test(lower)) {
        await this.restoreFromVideo({ name: file.name, base64: await toBase64(file) });
      } else {
        toast(`${file.name}: drop a graph file (${FILE_EXTENSION}), an image or a result video`, 'error');
      }
    }
  }

  /** An image file kept by the host for a Frame Image; undefined (and said why) when refused. */
  async importImage(file: File): Promise<string | undefined> {
    try {
      return (await this.api['image.import']({ name: file.name, base64: await toBase64(file) })).path;
    } catch (e) {
      toast(`${file.name}: ${(e as Error).message}`, 'error');
      return undefined;
    }
  }

  /** A result's graph comes back in a tab of its own, unsaved. */
  async restoreFromVideo(source: { path: string } | { name: string; base64: string }): Promise<void> {
    try {
      const restored = await this.api['video.graph'](source);
      const name = 'path' in source ? source.path.split(/[\\/]/).pop()! : source.name;
      if (await this.openText(restored.text, undefined, name, { dirty: true })) toast(`Restored the graph of ${name}${restored.seed ? ` (seed ${restored.seed})` : ''}`);
    } catch (e) {
      toast(`Could not restore a graph: ${(e as Error).message}`, 'error');
    }
  }
}

const FRAME_IMAGE = 'FrameImage';
const IMAGE = IMAGE_PARAM[FRAME_IMAGE]!;

const isImageFile = (file: File) => file.type.startsWith('image/') || /\.(png|jpe?g|webp|gif|bmp)$/.test(file.name.toLowerCase());

async function showProblems(title: string, problems: readonly Diagnostic[]): Promise<void> {
  await dialog({
    title,
    name: 'Load problems',
    body: [h('p', {}, 'Nothing was opened. What is wrong, and where:'), h('ul', { class: 'problems' }, problems.slice(0, 200).map((d) => h('li', {}, formatDiagnostic(d)))), problems.length > 200 ? h('p', { class: 'note' }, `…and ${problems.length - 200} more`) : ''],
    buttons: [{ label: 'OK', value: 'ok', primary: true }],
  });
}

async function toBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

