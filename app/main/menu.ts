import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopEvent } from '../core/contract';
import { keyOf, type Action } from '../core/support/shortcuts';

// The native menus. Items that have a shortcut in the editor's table show it; the editor itself
// handles those keys (so they work the same in browser mode), hence the menu does not register
// them again. On macOS the page sees a key first and a handled key never reaches the menu.

export interface MenuContext {
  platform: NodeJS.Platform;
  /** Developer items (reload, developer tools) outside packaged builds. */
  dev: boolean;
  recent: readonly string[];
  examples: readonly { name: string; path: string }[];
  send(event: DesktopEvent): void;
  clearRecent(): void;
  openExternal(url: string): void;
}

/** "Ctrl+Shift+Z" → "CmdOrCtrl+Shift+Z": Ctrl in the table means Cmd on macOS. */
export const toAccelerator = (keys: string) => keys.replace(/\bCtrl\+/, 'CmdOrCtrl+');

/** Menu-only keys: no editor shortcut stands behind these, so the menu registers them itself. */
const MENU_KEYS: Partial<Record<Action, string>> = { new: 'CmdOrCtrl+N' };

export function actionItem(action: Action, label: string, ctx: Pick<MenuContext, 'send'>): MenuItemConstructorOptions {
  const keys = keyOf(action);
  const accelerator = keys ? toAccelerator(keys) : MENU_KEYS[action];
  return {
    label,
    ...(accelerator && { accelerator, registerAccelerator: !keys }),
    click: () => ctx.send({ type: 'menu', action }),
  };
}

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

export function menuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const mac = ctx.platform === 'darwin';
  const item = (action: Action, label: string) => actionItem(action, label, ctx);
  const sep: MenuItemConstructorOptions = { type: 'separator' };
  const recent: MenuItemConstructorOptions[] = ctx.recent.length
    ? [...ctx.recent.map((path) => ({ label: fileName(path), toolTip: path, click: () => ctx.send({ type: 'open-file', path }) })), sep, { label: 'Clear Recent', click: () => ctx.clearRecent() }]
    : [{ label: 'No recent files', enabled: false }];
  const examples: MenuItemConstructorOptions[] = ctx.examples.length ? ctx.examples.map((x) => ({ label: x.name, click: () => ctx.send({ type: 'open-example', path: x.path }) })) : [{ label: 'No examples', enabled: false }];

  const template: MenuItemConstructorOptions[] = [];
  if (mac)
    template.push({
      label: 'Wan Graph',
      submenu: [{ role: 'about' }, sep, item('settings', 'Settings…'), sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
    });
  template.push(
    {
      label: '&File',
      submenu: [
        item('new', 'New'),
        item('open', 'Open…'),
        { label: 'Open Recent', submenu: recent },
        { label: 'Open Example', submenu: examples },
        sep,
        item('save', 'Save'),
        item('saveAs', 'Save As…'),
        sep,
        item('closeTab', 'Close Tab'),
        item('nextTab', 'Next Tab'),
        item('prevTab', 'Previous Tab'),
        // Cmd+W closes the tab, as in every tabbed app; the window takes Cmd+Shift+W
        ...(mac ? [sep, { role: 'close', accelerator: 'CmdOrCtrl+Shift+W' } as const] : [sep, item('settings', 'Settings…'), sep, { role: 'quit', label: 'Quit' } as const]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('undo', 'Undo'),
        item('redo', 'Redo'),
        sep,
        // the clipboard roles send the page copy/cut/paste events: text in a field, nodes on the canvas
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        item('pasteWithLinks', 'Paste with Links'),
        item('duplicate', 'Duplicate'),
        item('delete', 'Delete'),
        item('selectAll', 'Select All'),
        sep,
        item('group', 'Group Selected'),
        item('bypass', 'Bypass'),
        item('mute', 'Mute'),
      ],
    },
    {
      label: '&View',
      submenu: [item('search', 'Add Node…'), item('fitView', 'Fit View'), sep, { role: 'togglefullscreen' }, ...(ctx.dev ? [sep, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : [])],
    },
    { label: '&Run', submenu: [item('run', 'Run')] },
  );
  if (mac) template.push({ role: 'windowMenu' });
  template.push({
    role: 'help',
    submenu: [
      { label: 'Runware Documentation', click: () => ctx.openExternal('https://runware.ai/docs') },
      { label: 'Runware API Keys', click: () => ctx.openExternal('https://my.runware.ai/keys') },
    ],
  });
  return template;
}
