// The editor's actions and their keyboard shortcuts, following ComfyUI where it has one. One
// table: the editor's key handling, its buttons' titles and the desktop menus show the same keys.

export const ACTIONS = ['new', 'open', 'save', 'saveAs', 'closeTab', 'nextTab', 'prevTab', 'settings', 'run', 'undo', 'redo', 'pasteWithLinks', 'delete', 'bypass', 'mute', 'group', 'duplicate', 'fitView', 'selectAll', 'search'] as const;
export type Action = (typeof ACTIONS)[number];

/** Keys written as "Ctrl+Shift+Z"; Ctrl means Cmd on macOS. Actions without keys are menu-only. */
export const SHORTCUTS: { action: Action; keys: string; label: string }[] = [
  { action: 'run', keys: 'Ctrl+Enter', label: 'Run' },
  { action: 'save', keys: 'Ctrl+S', label: 'Save' },
  { action: 'saveAs', keys: 'Ctrl+Shift+S', label: 'Save as' },
  { action: 'open', keys: 'Ctrl+O', label: 'Open' },
  // a browser keeps Ctrl+W and Ctrl+Tab for its own tabs: in browser mode the Alt keys do the same
  { action: 'closeTab', keys: 'Ctrl+W', label: 'Close tab' },
  { action: 'closeTab', keys: 'Alt+W', label: 'Close tab' },
  { action: 'nextTab', keys: 'Ctrl+Tab', label: 'Next tab' },
  { action: 'nextTab', keys: 'Alt+PageDown', label: 'Next tab' },
  { action: 'prevTab', keys: 'Ctrl+Shift+Tab', label: 'Previous tab' },
  { action: 'prevTab', keys: 'Alt+PageUp', label: 'Previous tab' },
  { action: 'settings', keys: 'Ctrl+,', label: 'Settings' },
  { action: 'undo', keys: 'Ctrl+Z', label: 'Undo' },
  { action: 'redo', keys: 'Ctrl+Shift+Z', label: 'Redo' },
  { action: 'redo', keys: 'Ctrl+Y', label: 'Redo' },
  // ComfyUI's: the pasted nodes keep the links that came into them from nodes not copied
  { action: 'pasteWithLinks', keys: 'Ctrl+Shift+V', label: 'Paste with links' },
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

/** The first (shown) shortcut of an action. */
export const keyOf = (action: Action) => SHORTCUTS.find((s) => s.action === action)?.keys;
