import { SHORTCUTS, type Action } from '../core/support/shortcuts';

// Key events to the editor's actions (the table itself is in core/support/shortcuts).

/** "Ctrl+Shift+Z" for a key event; Cmd counts as Ctrl on macOS. */
function comboOf(e: KeyboardEvent): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Ctrl');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey) parts.push('Shift');
  const key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
  return [...parts, key === '>' ? '.' : key].join('+');
}

export function actionFor(e: KeyboardEvent): Action | undefined {
  const combo = comboOf(e);
  return SHORTCUTS.find((s) => s.keys.toUpperCase() === combo.toUpperCase())?.action;
}

/** Actions that do not touch the graph's selection, so they work while a field is being typed in. */
const WHILE_TYPING: ReadonlySet<Action> = new Set(['run', 'save', 'saveAs', 'open', 'new', 'settings', 'closeTab', 'nextTab', 'prevTab']);
export const worksWhileTyping = (action: Action) => WHILE_TYPING.has(action);

/** Typing in a field: other shortcuts stay out of the way (the field keeps its own undo, delete, select all). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}
