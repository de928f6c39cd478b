import { keyOf, type Action } from '../../core/support/shortcuts';
import { h } from './dom';
import { showMenu, type MenuItem } from './overlay';

// The toolbar above the canvas: file actions, undo and redo (with what they would undo), Run and
// Settings, and the front document's title.

export interface ToolbarSource {
  do(action: Action): void;
  recentMenu(): Promise<MenuItem[]>;
  examplesMenu(): Promise<MenuItem[]>;
}

export interface ToolbarState {
  title: string;
  path: string | undefined;
  dirty: boolean;
  undo: string | undefined;
  redo: string | undefined;
  canUndo: boolean;
  canRedo: boolean;
}

export function buildToolbar(el: HTMLElement, source: ToolbarSource): void {
  const button = (label: string, onclick: (e: Event) => void, opts: { action: string; title?: string; primary?: boolean }) =>
    h('button', { type: 'button', class: opts.primary ? 'primary' : '', title: opts.title ?? label, dataset: { action: opts.action }, onclick }, label);
  const act = (action: Action) => () => source.do(action);
  const titled = (label: string, action: Action) => `${label} (${keyOf(action)})`;
  const menuFrom = (load: () => Promise<MenuItem[]>) => (e: Event) => {
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    void load().then((items) => showMenu(r.left, r.bottom + 2, items.length ? items : [{ label: 'Nothing here yet', disabled: true, action: () => undefined }]));
  };
  el.replaceChildren(
    button('New', act('new'), { action: 'new', title: 'New graph in a new tab' }),
    button('Open…', act('open'), { action: 'open', title: titled('Open', 'open') }),
    button('Recent', menuFrom(source.recentMenu), { action: 'recent' }),
    button('Examples', menuFrom(source.examplesMenu), { action: 'examples' }),
    button('Save', act('save'), { action: 'save', title: titled('Save', 'save') }),
    button('Save as…', act('saveAs'), { action: 'save-as', title: titled('Save as', 'saveAs') }),
    h('span', { class: 'sep' }),
    button('Undo', act('undo'), { action: 'undo' }),
    button('Redo', act('redo'), { action: 'redo' }),
    h('span', { class: 'sep' }),
    button('▶ Run', act('run'), { action: 'run', title: titled('Run every active task', 'run'), primary: true }),
    button('Settings', act('settings'), { action: 'settings' }),
    h('span', { class: 'title' }),
  );
}

export function updateToolbar(el: HTMLElement, s: ToolbarState): void {
  const title = `${s.dirty ? '● ' : ''}${s.title}`;
  el.querySelector('.title')!.textContent = s.path ? `${title} — ${s.path}` : title;
  for (const [action, enabled, label] of [
    ['undo', s.canUndo, `Undo ${s.undo ?? ''}`],
    ['redo', s.canRedo, `Redo ${s.redo ?? ''}`],
  ] as const) {
    const b = el.querySelector<HTMLButtonElement>(`[data-action=${action}]`)!;
    b.disabled = !enabled;
    b.title = `${label} (${keyOf(action)})`;
  }
}
