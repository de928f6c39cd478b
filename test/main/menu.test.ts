import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { DesktopEvent } from '../../app/core/contract';
import { ACTIONS, keyOf, SHORTCUTS, type Action } from '../../app/core/support/shortcuts';
import { actionItem, type MenuContext, menuTemplate, toAccelerator } from '../../app/main/menu';

type Item = MenuItemConstructorOptions;

function context(over: Partial<Pick<MenuContext, 'platform' | 'dev' | 'recent' | 'examples'>> = {}) {
  const sent: DesktopEvent[] = [];
  const send = vi.fn((event: DesktopEvent) => void sent.push(event));
  const clearRecent = vi.fn();
  const openExternal = vi.fn((_url: string) => undefined);
  const ctx = { platform: 'linux' as NodeJS.Platform, dev: false, recent: [] as readonly string[], examples: [] as MenuContext['examples'], ...over, send, clearRecent, openExternal };
  return { ctx, sent, send, clearRecent, openExternal };
}

const submenu = (item: Item): Item[] => {
  if (item.submenu === undefined) return [];
  if (!Array.isArray(item.submenu)) throw new Error(`submenu of ${item.label} is not a template`);
  return item.submenu;
};

/** Every item of the template, depth first, submenus included. */
const walk = (items: readonly Item[]): Item[] => items.flatMap((i) => [i, ...walk(submenu(i))]);

const press = (item: Item) => {
  if (!item.click) throw new Error(`${item.label ?? item.role} has no click`);
  (item.click as () => void)();
};

const top = (template: Item[], label: string) => {
  const found = template.find((i) => i.label === label || i.label === `&${label}`);
  if (!found) throw new Error(`no top-level menu ${label}`);
  return found;
};

const byLabel = (items: readonly Item[], label: string) => {
  const found = walk(items).filter((i) => i.label === label);
  expect(found, label).toHaveLength(1);
  return found[0]!;
};

/** The menu action an item sends when clicked, if any. */
function actionOf(item: Item, ctx: ReturnType<typeof context>['ctx']): Action | undefined {
  if (!item.click) return undefined;
  ctx.send.mockClear();
  press(item);
  const event = ctx.send.mock.calls[0]?.[0];
  return event?.type === 'menu' ? event.action : undefined;
}

/** Items that send a menu action, with the action each sends. */
function actionItems(template: Item[], ctx: ReturnType<typeof context>['ctx']) {
  return walk(template).flatMap((item) => {
    const action = actionOf(item, ctx);
    return action ? [{ item, action }] : [];
  });
}

describe('toAccelerator', () => {
  it.each([
    ['Ctrl+S', 'CmdOrCtrl+S'],
    ['Ctrl+Shift+Z', 'CmdOrCtrl+Shift+Z'],
    ['Ctrl+Enter', 'CmdOrCtrl+Enter'],
    ['Delete', 'Delete'],
    ['.', '.'],
    ['Shift+Ctrl+X', 'Shift+CmdOrCtrl+X'],
    ['CmdOrCtrl+N', 'CmdOrCtrl+N'],
  ])('%s → %s', (keys, accelerator) => {
    expect(toAccelerator(keys)).toBe(accelerator);
  });

  it('leaves a word that merely ends in Ctrl alone', () => {
    expect(toAccelerator('LeftCtrl+A')).toBe('LeftCtrl+A');
  });
});

describe('actionItem', () => {
  it('shows the editor shortcut without registering it', () => {
    const send = vi.fn();
    const item = actionItem('redo', 'Redo', { send });
    // the first of the two redo keys is the one shown
    expect(item).toMatchObject({ label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', registerAccelerator: false });
  });

  it('registers the menu-only keys itself', () => {
    const send = vi.fn();
    expect(actionItem('new', 'New', { send })).toMatchObject({ accelerator: 'CmdOrCtrl+N', registerAccelerator: true });
    // Settings has its key in the editor's table (Ctrl+, works in browser mode too): shown, not registered
    expect(actionItem('settings', 'Settings…', { send })).toMatchObject({ accelerator: 'CmdOrCtrl+,', registerAccelerator: false });
  });

  it('sends the action when clicked', () => {
    const send = vi.fn();
    press(actionItem('fitView', 'Fit View', { send }));
    expect(send).toHaveBeenCalledExactlyOnceWith({ type: 'menu', action: 'fitView' });
  });
});

describe('menuTemplate', () => {
  describe.each(['linux', 'win32', 'darwin'] as const)('on %s', (platform) => {
    it('offers every action of the editor somewhere', () => {
      const { ctx } = context({ platform });
      const offered = new Set(actionItems(menuTemplate(ctx), ctx).map((x) => x.action));
      expect([...offered].sort()).toEqual([...ACTIONS].sort());
    });

    it('shows each editor shortcut as an accelerator the menu does not register', () => {
      const { ctx } = context({ platform });
      const items = actionItems(menuTemplate(ctx), ctx);
      const withKeys = items.filter(({ action }) => keyOf(action));
      // every action in the shortcut table is reached through at least one such item
      expect(new Set(withKeys.map((x) => x.action))).toEqual(new Set(SHORTCUTS.map((s) => s.action)));
      for (const { item, action } of withKeys) {
        expect(item.accelerator, action).toBe(toAccelerator(keyOf(action)!));
        expect(item.registerAccelerator, action).toBe(false);
      }
    });

    it('registers the keys of the menu-only items', () => {
      const { ctx } = context({ platform });
      const items = actionItems(menuTemplate(ctx), ctx);
      const find = (action: Action) => items.filter((x) => x.action === action).map((x) => x.item);
      expect(find('new')).toEqual([expect.objectContaining({ label: 'New', accelerator: 'CmdOrCtrl+N', registerAccelerator: true })]);
      // Settings is in the editor's table (Ctrl+, works in browser mode too): shown, not registered
      expect(find('settings')).toEqual([expect.objectContaining({ accelerator: 'CmdOrCtrl+,', registerAccelerator: false })]);
    });

    it('closes and switches tabs from the File menu, with the keys of the editor', () => {
      const { ctx, sent } = context({ platform });
      const file = submenu(top(menuTemplate(ctx), 'File'));
      const close = byLabel(file, 'Close Tab');
      expect(close).toMatchObject({ accelerator: 'CmdOrCtrl+W', registerAccelerator: false });
      expect(byLabel(file, 'Next Tab')).toMatchObject({ accelerator: 'CmdOrCtrl+Tab', registerAccelerator: false });
      expect(byLabel(file, 'Previous Tab')).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+Tab', registerAccelerator: false });
      press(close);
      expect(sent).toEqual([{ type: 'menu', action: 'closeTab' }]);
      // one item holds Cmd/Ctrl+W: the tab's
      expect(walk(menuTemplate(ctx)).filter((i) => i.accelerator === 'CmdOrCtrl+W').map((i) => i.label)).toEqual(['Close Tab']);
    });

    it('sends a menu event with the action when an item is clicked', () => {
      const { ctx, sent } = context({ platform });
      const template = menuTemplate(ctx);
      press(byLabel(template, 'Save As…'));
      press(byLabel(template, 'Undo'));
      press(byLabel(template, 'Run'));
      expect(sent).toEqual([
        { type: 'menu', action: 'saveAs' },
        { type: 'menu', action: 'undo' },
        { type: 'menu', action: 'run' },
      ]);
    });

    it('leaves cut, copy and paste to the roles, so the page gets clipboard events', () => {
      const { ctx } = context({ platform });
      const edit = submenu(top(menuTemplate(ctx), 'Edit'));
      for (const role of ['cut', 'copy', 'paste'] as const) {
        const items = edit.filter((i) => i.role === role);
        expect(items, role).toHaveLength(1);
        expect(items[0]!.click, role).toBeUndefined();
      }
      expect(walk(edit).filter((i) => /^(cut|copy|paste)$/i.test(i.label ?? ''))).toEqual([]);
    });

    it('links the help menu to Runware over https', () => {
      const { ctx } = context({ platform });
      const help = menuTemplate(ctx).find((i) => i.role === 'help');
      const links = submenu(help!);
      expect(links.length).toBeGreaterThanOrEqual(2);
      for (const link of links) press(link);
      expect(ctx.openExternal).toHaveBeenCalledTimes(links.length);
      const urls = ctx.openExternal.mock.calls.map(([url]) => url);
      expect(urls).toContain('https://runware.ai/docs');
      for (const url of urls) expect(new URL(url).protocol).toBe('https:');
      expect(ctx.send).not.toHaveBeenCalled();
    });

    it('has no developer items unless asked', () => {
      const roles = (dev: boolean) => walk(menuTemplate(context({ platform, dev }).ctx)).map((i) => i.role);
      expect(roles(false)).not.toContain('reload');
      expect(roles(false)).not.toContain('toggleDevTools');
      expect(roles(true)).toContain('reload');
      expect(roles(true)).toContain('toggleDevTools');
    });

    it('puts the developer items in the View menu', () => {
      const view = submenu(top(menuTemplate(context({ platform, dev: true }).ctx), 'View'));
      expect(view.map((i) => i.role)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    });
  });

  describe('Open Recent', () => {
    const recentMenu = (ctx: MenuContext) => submenu(byLabel(menuTemplate(ctx), 'Open Recent'));

    it('lists recent files by name and opens the full path', () => {
      const { ctx, sent } = context({ recent: ['/home/ann/graphs/lake.wgraph.json', 'C:\\Users\\bo\\city.wgraph.json'] });
      const items = recentMenu(ctx);
      const files = items.filter((i) => i.toolTip);
      expect(files.map((i) => i.label)).toEqual(['lake.wgraph.json', 'city.wgraph.json']);
      expect(files.map((i) => i.toolTip)).toEqual(['/home/ann/graphs/lake.wgraph.json', 'C:\\Users\\bo\\city.wgraph.json']);
      press(files[1]!);
      press(files[0]!);
      expect(sent).toEqual([
        { type: 'open-file', path: 'C:\\Users\\bo\\city.wgraph.json' },
        { type: 'open-file', path: '/home/ann/graphs/lake.wgraph.json' },
      ]);
    });

    it('ends with Clear Recent, which clears and opens nothing', () => {
      const { ctx } = context({ recent: ['/a/one.wgraph.json'] });
      const items = recentMenu(ctx);
      const clear = items.at(-1)!;
      expect(clear.label).toBe('Clear Recent');
      press(clear);
      expect(ctx.clearRecent).toHaveBeenCalledOnce();
      expect(ctx.send).not.toHaveBeenCalled();
      expect(items.map((i) => i.type ?? 'normal')).toEqual(['normal', 'separator', 'normal']);
    });

    it('shows a disabled placeholder when there are none', () => {
      const { ctx } = context({ recent: [] });
      const items = recentMenu(ctx);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ enabled: false });
      expect(items[0]!.click).toBeUndefined();
      expect(walk(menuTemplate(ctx)).some((i) => i.label === 'Clear Recent')).toBe(false);
    });
  });

  describe('Open Example', () => {
    const exampleMenu = (ctx: MenuContext) => submenu(byLabel(menuTemplate(ctx), 'Open Example'));

    it('lists the examples by name and opens them as examples', () => {
      const examples = [
        { name: 'Text to video', path: '/app/graphs/t2v.wgraph.json' },
        { name: 'Image to video', path: '/app/graphs/i2v.wgraph.json' },
      ];
      const { ctx, sent } = context({ examples });
      const items = exampleMenu(ctx);
      expect(items.map((i) => i.label)).toEqual(['Text to video', 'Image to video']);
      press(items[1]!);
      expect(sent).toEqual([{ type: 'open-example', path: '/app/graphs/i2v.wgraph.json' }]);
    });

    it('shows a disabled placeholder when there are none', () => {
      const items = exampleMenu(context({ examples: [] }).ctx);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ enabled: false });
      expect(items[0]!.click).toBeUndefined();
    });
  });

  describe('on macOS', () => {
    const template = () => {
      const c = context({ platform: 'darwin' });
      return { ...c, template: menuTemplate(c.ctx) };
    };

    it('starts with the app menu, which quits and holds Settings', () => {
      const { ctx, template: t } = template();
      const appMenu = submenu(t[0]!);
      expect(t[0]!.label).toBe('Wan Graph');
      expect(appMenu.map((i) => i.role)).toEqual(expect.arrayContaining(['about', 'hide', 'quit']));
      expect(appMenu.filter((i) => i.role === 'quit')).toHaveLength(1);
      expect(actionItems(t[0] ? [t[0]] : [], ctx).map((x) => x.action)).toEqual(['settings']);
    });

    it('has a window menu', () => {
      expect(template().template.map((i) => i.role)).toContain('windowMenu');
    });

    it('keeps Settings and Quit out of the File menu, which closes the window instead', () => {
      const { ctx, template: t } = template();
      const file = top(t, 'File');
      expect(actionItems([file], ctx).map((x) => x.action)).not.toContain('settings');
      expect(walk([file]).map((i) => i.role)).not.toContain('quit');
      expect(submenu(file).at(-1)).toEqual({ role: 'close', accelerator: 'CmdOrCtrl+Shift+W' });
      // one Quit in the whole menu bar
      expect(walk(t).filter((i) => i.role === 'quit')).toHaveLength(1);
    });
  });

  describe.each(['linux', 'win32'] as const)('on %s', (platform) => {
    it('has no app or window menu', () => {
      const t = menuTemplate(context({ platform }).ctx);
      expect(t[0]!.label).toBe('&File');
      expect(t.map((i) => i.label)).not.toContain('Wan Graph');
      expect(walk(t).map((i) => i.role)).not.toContain('windowMenu');
    });

    it('ends the File menu with Settings and Quit', () => {
      const { ctx } = context({ platform });
      const t = menuTemplate(ctx);
      const file = submenu(top(t, 'File'));
      const tail = file.slice(-3);
      expect(actionOf(tail[0]!, ctx)).toBe('settings');
      expect(tail[1]).toEqual({ type: 'separator' });
      expect(tail[2]).toMatchObject({ role: 'quit', label: 'Quit' });
      expect(walk(t).filter((i) => i.role === 'quit')).toHaveLength(1);
      expect(walk(t).map((i) => i.role)).not.toContain('close');
    });
  });

  it('orders the menu bar as File, Edit, View, Run, Help', () => {
    const labels = (platform: NodeJS.Platform) => menuTemplate(context({ platform }).ctx).map((i) => i.label ?? i.role);
    expect(labels('linux')).toEqual(['&File', '&Edit', '&View', '&Run', 'help']);
    expect(labels('darwin')).toEqual(['Wan Graph', '&File', '&Edit', '&View', '&Run', 'windowMenu', 'help']);
  });

  it('opens the files of the context it was built with', () => {
    // a rebuilt menu (recent files changed) must not reach into the old context's list
    const a = context({ recent: ['/x/a.wgraph.json'] });
    const b = context({ recent: ['/y/b.wgraph.json'] });
    const ta = menuTemplate(a.ctx);
    menuTemplate(b.ctx);
    press(byLabel(ta, 'a.wgraph.json'));
    expect(a.sent).toEqual([{ type: 'open-file', path: '/x/a.wgraph.json' }]);
    expect(b.sent).toEqual([]);
  });
});
