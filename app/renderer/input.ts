import type { DesktopApi } from '../core/contract';
import type { Action } from '../core/support/shortcuts';
import { copyNodes } from './editor/clipboard';
import { deleteNodes } from './editor/commands';
import type { Editor } from './editor/editor';
import type { Documents } from './documents';
import type { CanvasView } from './graph/canvas-view';
import { actionFor, isTyping, worksWhileTyping } from './shortcuts';

// How actions reach the editor besides its buttons: keys, the clipboard's events and, in the
// desktop app, the native menus and graph files opened from outside.

/** What keys, the clipboard and the menus act on: the editor's shell (App) gives it. */
export interface InputTarget {
  do(action: Action): void;
  paste(text: string, at?: [number, number]): void;
  /** The editor's own last copy, for where the system clipboard cannot be read. */
  lastCopy: string | undefined;
  readonly editor: Pick<Editor, 'doc' | 'exec'>;
  readonly view: Pick<CanvasView, 'selectedIds' | 'pointerPos'>;
  readonly documents: Pick<Documents, 'open' | 'openExample'>;
}

/** Nothing runs behind an open dialog or editor; a field being typed in keeps its own undo, delete and select all. */
const mayRun = (action: Action, target: EventTarget | null) => !document.querySelector('.dialog-backdrop, .value-editor, .inline-text, .search-box') && (!isTyping(target) || worksWhileTyping(action));

export function installKeys(app: InputTarget): void {
  addEventListener(
    'keydown',
    (e) => {
      const action = actionFor(e);
      if (!action || !mayRun(action, e.target)) return;
      e.preventDefault();
      e.stopPropagation();
      app.do(action);
    },
    true,
  );
  // Copy and paste go through the system clipboard's events where the browser sends them; where
  // a key press brings no event (some embedded and headless browsers), the clipboard API is
  // asked instead, and failing that the editor's own last copy is used.
  let sawEvent = false;
  addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || isTyping(e.target) || document.querySelector('.dialog-backdrop')) return;
    const key = e.key.toLowerCase();
    if (key !== 'c' && key !== 'v') return;
    if (key === 'v' && e.shiftKey) return; // paste with links: an action of the shortcut table
    e.stopPropagation(); // litegraph's own clipboard would change the view behind the document's back
    sawEvent = false;
    if (key === 'c') app.lastCopy = copyNodes(app.editor.doc, app.view.selectedIds()) ?? app.lastCopy;
    const at = app.view.pointerPos();
    setTimeout(() => {
      if (sawEvent) return;
      if (key === 'c' && app.lastCopy) void navigator.clipboard?.writeText(app.lastCopy).catch(() => undefined);
      if (key === 'v') void (navigator.clipboard?.readText() ?? Promise.reject(new Error('no clipboard'))).catch(() => app.lastCopy).then((text) => text && app.paste(text, at));
    }, 30);
  }, true);
  document.addEventListener('copy', (e) => {
    if (isTyping(e.target) || document.querySelector('.dialog-backdrop')) return;
    const text = copyNodes(app.editor.doc, app.view.selectedIds());
    if (!text) return;
    app.lastCopy = text;
    sawEvent = true;
    e.clipboardData?.setData('text/plain', text);
    e.preventDefault();
  });
  document.addEventListener('cut', (e) => {
    if (isTyping(e.target) || document.querySelector('.dialog-backdrop')) return;
    const ids = app.view.selectedIds();
    const text = copyNodes(app.editor.doc, ids);
    if (!text) return;
    e.clipboardData?.setData('text/plain', text);
    e.preventDefault();
    app.editor.exec({ ...deleteNodes(app.editor.doc, ids), label: 'Cut' });
  });
  document.addEventListener('paste', (e) => {
    if (isTyping(e.target) || document.querySelector('.dialog-backdrop')) return;
    const text = e.clipboardData?.getData('text/plain');
    if (!text) return;
    sawEvent = true;
    e.preventDefault();
    app.paste(text, app.view.pointerPos());
  });
}

/** The desktop app's menus, and graph files opened from the command line or the file manager. */
export async function followDesktop(app: InputTarget, desktop: DesktopApi): Promise<void> {
  desktop.onDesktopEvent((e) => {
    if (e.type === 'menu') {
      if (mayRun(e.action, document.activeElement)) app.do(e.action);
    } else if (e.type === 'open-file') void app.documents.open(e.path);
    else void app.documents.openExample(e.path);
  });
  for (const path of (await desktop['files.pending']({})).paths) await app.documents.open(path);
}
