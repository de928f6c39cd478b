import type { HostApi } from '../core/contract';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics';
import { emptyDocument, FILE_EXTENSION } from '../core/document';
import { loadGraph } from '../core/load';
import { serializeGraph } from '../core/save';
import { addNode } from './editor/commands';
import type { Editor } from './editor/editor';
import type { CanvasView } from './graph/canvas-view';
import { h } from './ui/dom';
import { pickGraphFile } from './ui/file-dialog';
import { dialog, toast } from './ui/overlay';

// Graph files: new, open, save, save as, recent; the guard against losing unsaved changes;
// autosave of the working graph and recovery after a crash. A file that fails to load shows its
// problems and opens nothing.

export const AUTOSAVE_MS = 3000;
/** The identity of the graph last autosaved (Editor.graphId), kept in the page's storage. */
const AUTOSAVED_GRAPH = 'wan-graph:autosaved-graph';

export class Documents {
  #autosaved = '';
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly api: HostApi,
    readonly editor: Editor,
    readonly view: CanvasView,
  ) {}

  /** The document as a file: the current viewport goes with it. */
  text(): string {
    this.editor.doc.layout.viewport = this.view.viewport();
    return serializeGraph(this.editor.doc);
  }

  /** Asks before unsaved changes would be lost; false means stop. */
  async guard(): Promise<boolean> {
    if (!this.editor.dirty) return true;
    const answer = await dialog({
      title: `Save changes to “${this.editor.title}”?`,
      body: [h('p', {}, 'Your changes will be lost if you do not save them.')],
      buttons: [
        { label: 'Cancel', value: 'cancel' },
        { label: 'Don’t save', value: 'discard', danger: true },
        { label: 'Save', value: 'save', primary: true },
      ],
    });
    if (answer === 'discard') return true;
    if (answer === 'save') return this.save();
    return false;
  }

  async newGraph(): Promise<void> {
    if (!(await this.guard())) return;
    this.editor.load(emptyDocument(), undefined);
  }

  async open(path?: string): Promise<boolean> {
    if (!(await this.guard())) return false;
    const chosen = path ?? (await pickGraphFile(this.api, 'open', this.editor.path));
    if (!chosen) return false;
    try {
      const file = await this.api['file.read']({ path: chosen });
      return this.openText(file.text, file.path, file.name);
    } catch (e) {
      await showProblems(`Could not open ${chosen}`, [{ severity: 'error', code: 'unreadable', message: (e as Error).message }]);
      return false;
    }
  }

  /** An example opens as a new, untitled graph: saving never writes over the example itself. */
  async openExample(path: string): Promise<void> {
    if (!(await this.guard())) return;
    try {
      const file = await this.api['file.read']({ path });
      await this.openText(file.text, undefined, file.name);
    } catch (e) {
      toast(`Could not open the example: ${(e as Error).message}`, 'error');
    }
  }

  /** Loads graph text (a file, a drop, a restored result). Nothing changes unless it loads whole. */
  async openText(text: string, path: string | undefined, name: string, opts: { dirty?: boolean; graphId?: string } = {}): Promise<boolean> {
    const loaded = loadGraph(text, this.editor.registry);
    if (!loaded.ok) {
      await showProblems(`“${name}” cannot be opened`, loaded.errors);
      return false;
    }
    this.editor.load(loaded.doc, path, opts.dirty ?? false, opts.graphId);
    if (loaded.migrated.length) toast(`“${name}” was made by an older version and has been updated; saving writes the new format.`);
    this.view.fitViewIfOffscreen();
    return true;
  }

  async save(): Promise<boolean> {
    if (!this.editor.path) return this.saveAs();
    return this.#write(this.editor.path);
  }

  async saveAs(): Promise<boolean> {
    const suggested = this.editor.path ?? `${(this.editor.doc.name ?? 'untitled').toLowerCase().replace(/[^a-z0-9]+/g, '-')}${FILE_EXTENSION}`;
    const path = await pickGraphFile(this.api, 'save', suggested);
    return path ? this.#write(path) : false;
  }

  async #write(path: string): Promise<boolean> {
    try {
      const written = await this.api['file.write']({ path, text: this.text() });
      this.editor.markSaved(written.path);
      void this.autosave(true);
      toast(`Saved ${written.path}`);
      return true;
    } catch (e) {
      toast(`Not saved: ${(e as Error).message}`, 'error');
      return false;
    }
  }

  // ------------------------------------------------------------ autosave and recovery

  startAutosave(): void {
    this.#timer = setInterval(() => void this.autosave(), AUTOSAVE_MS);
    addEventListener('beforeunload', (e) => {
      void this.autosave();
      if (this.editor.dirty) e.preventDefault();
    });
  }

  stopAutosave(): void {
    clearInterval(this.#timer);
  }

  async autosave(force = false): Promise<void> {
    const text = this.text();
    const key = `${this.editor.path ?? ''}\n${this.editor.dirty}\n${text}`;
    if (!force && key === this.#autosaved) return;
    this.#autosaved = key;
    localStorage.setItem(AUTOSAVED_GRAPH, this.editor.graphId);
    await this.api['autosave.write']({ text, dirty: this.editor.dirty, ...(this.editor.path && { path: this.editor.path }) }).catch(() => undefined);
  }

  /** At start: the working graph as it was, with unsaved work offered back. */
  async recover(): Promise<void> {
    const saved = await this.api['autosave.read']({}).catch(() => undefined);
    if (!saved?.found || !saved.text) return;
    const name = saved.path?.split(/[\\/]/).pop() ?? 'Untitled';
    // the working graph is the same graph as before the reload: it keeps its previews
    const graphId = localStorage.getItem(AUTOSAVED_GRAPH) ?? undefined;
    if (saved.dirty) {
      const when = saved.savedAt ? new Date(saved.savedAt).toLocaleString() : 'earlier';
      const answer = await dialog({
        title: 'Recover unsaved work?',
        body: [h('p', {}, `“${name}” had changes that were not saved (kept ${when}).`)],
        buttons: [
          { label: 'Discard', value: 'discard', danger: true },
          { label: 'Recover', value: 'recover', primary: true },
        ],
      });
      if (answer === 'recover') await this.openText(saved.text, saved.path, name, { dirty: true, graphId });
      return;
    }
    await this.openText(saved.text, saved.path, name, { graphId });
  }

  // ------------------------------------------------------------ drag and drop

  /** A dropped graph opens; an image becomes a Frame Image node; a result video restores its graph. */
  async drop(files: readonly File[], videoPath: string | undefined, at: [number, number]): Promise<void> {
    if (videoPath) return this.restoreFromVideo({ path: videoPath });
    for (const file of files) {
      const lower = file.name.toLowerCase();
      if (lower.endsWith('.json')) {
        if (await this.guard()) await this.openText(await file.text(), undefined, file.name, { dirty: true });
      } else if (file.type.startsWith('image/') || /\.(png|jpe?g|webp|gif|bmp)$/.test(lower)) {
        try {
          const { path } = await this.api['image.import']({ name: file.name, base64: await toBase64(file) });
          const { cmd } = addNode(this.editor.doc, this.editor.registry.get('FrameImage')!, at);
          const op = cmd.ops[0]!;
          if (op.kind === 'addNode') Object.assign(op.node, { title: file.name.slice(0, 200), params: { ...op.node.params, image: path, frame: 'first' } });
          this.editor.exec({ ...cmd, label: 'Add dropped image' });
        } catch (e) {
          toast(`${file.name}: ${(e as Error).message}`, 'error');
        }
      } else if (file.type.startsWith('video/') || /\.(mp4|webm|mov)$/.test(lower)) {
        await this.restoreFromVideo({ name: file.name, base64: await toBase64(file) });
      } else {
        toast(`${file.name}: drop a graph file (${FILE_EXTENSION}), an image or a result video`, 'error');
      }
    }
  }

  async restoreFromVideo(source: { path: string } | { name: string; base64: string }): Promise<void> {
    try {
      const restored = await this.api['video.graph'](source);
      if (!(await this.guard())) return;
      const name = 'path' in source ? source.path.split(/[\\/]/).pop()! : source.name;
      if (await this.openText(restored.text, undefined, name, { dirty: true })) toast(`Restored the graph of ${name}${restored.seed ? ` (seed ${restored.seed})` : ''}`);
    } catch (e) {
      toast(`Could not restore a graph: ${(e as Error).message}`, 'error');
    }
  }
}

export async function showProblems(title: string, problems: readonly Diagnostic[]): Promise<void> {
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

