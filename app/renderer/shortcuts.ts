// Keyboard shortcuts, following ComfyUI where it has one. One table: the menus show the same keys.

export type Action =
  | 'run'
  | 'save'
  | 'saveAs'
  | 'open'
  | 'undo'
  | 'redo'
  | 'delete'
  | 'bypass'
  | 'mute'
  | 'group'
  | 'duplicate'
  | 'fitView'
  | 'selectAll'
  | 'search';

export const SHORTCUTS: { action: Action; keys: string; label: string }[] = [
  { action: 'run', keys: 'Ctrl+Enter', label: 'Run' },
  { action: 'save', keys: 'Ctrl+S', label: 'Save' },
  { action: 'saveAs', keys: 'Ctrl+Shift+S', label: 'Save as' },
  { action: 'open', keys: 'Ctrl+O', label: 'Open' },
  { action: 'undo', keys: 'Ctrl+Z', label: 'Undo' },
  { action: 'redo', keys: 'Ctrl+Shift+Z', label: 'Redo' },
  { action: 'redo', keys: 'Ctrl+Y', label: 'Redo' },
  { action: 'delete', keys: 'Delete', label: 'Delete' },
  { action: 'delete', keys: 'Backspace', label: 'Delete' },
  { action: 'bypass', keys: 'Ctrl+B', label: 'Bypass' },
  { action: 'mute', keys: 'Ctrl+M', label: 'Mute' },
  { action: 'group', keys: 'Ctrl+G', label: 'Group selected' },
  { action: 'duplicate', keys: 'Ctrl+D', label: 'Duplicate' },
  { action: 'fitView', keys: '.', label: 'Fit view' },
  { action: 'selectAll', keys: 'Ctrl+A', label: 'Select all' },
  { action: 'search', keys: 'Ctrl+K', label: 'Add node' },
];

/** "Ctrl+Shift+Z" for a key event; Cmd counts as Ctrl on macOS. */
export function comboOf(e: KeyboardEvent): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Ctrl');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey) parts.push('Shift');
  const key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
  return [...parts, key === '>' ? '.' : key].join('+');
}

export const keyOf = (action: Action) => SHORTCUTS.find((s) => s.action === action)?.keys;

export function actionFor(e: KeyboardEvent): Action | undefined {
  const combo = comboOf(e);
  return SHORTCUTS.find((s) => s.keys.toUpperCase() === combo.toUpperCase())?.action;
}

/** Typing in a field: shortcuts other than run and save stay out of the way. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}
