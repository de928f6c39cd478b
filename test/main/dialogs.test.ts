import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FILE_EXTENSION } from '../../app/core/document';
import { graphDialogs, withGraphExtension } from '../../app/main/dialogs';

describe('withGraphExtension', () => {
  it.each([
    ['a', 'a.wgraph.json'],
    ['a.json', 'a.wgraph.json'],
    ['a.JSON', 'a.wgraph.json'],
    ['a.wgraph.json', 'a.wgraph.json'],
    // the host writes exactly .wgraph.json, so another case is replaced, not kept
    ['a.WGRAPH.JSON', 'a.wgraph.json'],
    ['a.wgraph', 'a.wgraph.json'],
    ['/home/ann/lake', '/home/ann/lake.wgraph.json'],
    ['/home/ann/lake.v2', '/home/ann/lake.v2.wgraph.json'],
    ['C:\\graphs\\city.json', 'C:\\graphs\\city.wgraph.json'],
    ['/my.json.d/x', '/my.json.d/x.wgraph.json'],
  ])('%s → %s', (path, expected) => {
    expect(withGraphExtension(path)).toBe(expected);
  });

  it('uses the extension the documents use', () => {
    expect(withGraphExtension('x').endsWith(FILE_EXTENSION)).toBe(true);
  });
});

const win = { id: 1 } as unknown as BrowserWindow;

/** The system dialogs, answering as told; a call with the window first is the window-attached one. */
function fakeDialog() {
  const answers = { open: { canceled: false, filePaths: [] as string[] }, save: { canceled: false, filePath: '' }, replace: 0 };
  const calls = { open: [] as { win?: unknown; options: OpenDialogOptions }[], save: [] as { win?: unknown; options: SaveDialogOptions }[] };
  const split = <O>(args: unknown[]) => (args.length === 2 ? { win: args[0], options: args[1] as O } : { options: args[0] as O });
  const d = {
    showOpenDialog: vi.fn(async (...args: unknown[]) => {
      calls.open.push(split<OpenDialogOptions>(args));
      return answers.open;
    }),
    showSaveDialog: vi.fn(async (...args: unknown[]) => {
      calls.save.push(split<SaveDialogOptions>(args));
      return answers.save;
    }),
    showMessageBox: vi.fn(async () => ({ response: answers.replace, checkboxChecked: false })),
  };
  return { dialog: d as unknown as Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox'>, answers, calls, showMessageBox: d.showMessageBox };
}

// no default value: setup(undefined) must mean no window
function setup(window: BrowserWindow | undefined) {
  const f = fakeDialog();
  return { ...f, handlers: graphDialogs(f.dialog, () => window) };
}

describe('dialog.open', () => {
  it('returns the first chosen file', async () => {
    const { handlers, answers } = setup(win);
    answers.open = { canceled: false, filePaths: ['/g/lake.wgraph.json', '/g/other.json'] };
    expect(await handlers['dialog.open']({})).toEqual({ path: '/g/lake.wgraph.json' });
  });

  it('returns nothing when canceled', async () => {
    const { handlers, answers } = setup(win);
    answers.open = { canceled: true, filePaths: ['/g/lake.wgraph.json'] };
    expect(await handlers['dialog.open']({})).toEqual({});
  });

  it('returns nothing when no file came back', async () => {
    const { handlers, answers } = setup(win);
    answers.open = { canceled: false, filePaths: [] };
    expect(await handlers['dialog.open']({})).toEqual({});
  });

  it('offers graph files first, plain JSON too, one file at a time', async () => {
    const { handlers, calls } = setup(win);
    await handlers['dialog.open']({});
    const { options } = calls.open[0]!;
    expect(options.filters![0]).toEqual({ name: 'Wan Graph', extensions: [FILE_EXTENSION.slice(1)] });
    expect(options.filters!.flatMap((f) => f.extensions)).toEqual(['wgraph.json', 'json']);
    // the filters take extensions without a leading dot
    for (const f of options.filters!) for (const ext of f.extensions) expect(ext.startsWith('.')).toBe(false);
    expect(options.properties).toEqual(['openFile']);
    expect(options.properties).not.toContain('multiSelections');
  });

  it('starts where it is told to, and nowhere in particular otherwise', async () => {
    const { handlers, calls } = setup(win);
    await handlers['dialog.open']({ defaultPath: '/home/ann/graphs' });
    await handlers['dialog.open']({});
    await handlers['dialog.open']({ defaultPath: '' });
    expect(calls.open[0]!.options.defaultPath).toBe('/home/ann/graphs');
    expect(calls.open[1]!.options).not.toHaveProperty('defaultPath');
    expect(calls.open[2]!.options).not.toHaveProperty('defaultPath');
  });

  it('attaches to the editor window when there is one', async () => {
    const { handlers, calls } = setup(win);
    await handlers['dialog.open']({});
    expect(calls.open[0]!.win).toBe(win);
  });

  it('opens on its own when there is no window', async () => {
    const { handlers, calls } = setup(undefined);
    await handlers['dialog.open']({});
    expect(calls.open[0]).not.toHaveProperty('win');
    expect(calls.open[0]!.options.title).toBe('Open graph');
  });

  it('asks for the window each time, not once', async () => {
    const f = fakeDialog();
    let current: BrowserWindow | undefined = undefined;
    const handlers = graphDialogs(f.dialog, () => current);
    await handlers['dialog.open']({});
    current = win;
    await handlers['dialog.open']({});
    await handlers['dialog.save']({});
    expect(f.calls.open.map((c) => c.win)).toEqual([undefined, win]);
    expect(f.calls.save[0]!.win).toBe(win);
  });
});

describe('dialog.save', () => {
  it('returns the chosen path with the graph extension', async () => {
    const { handlers, answers } = setup(win);
    answers.save = { canceled: false, filePath: '/g/lake' };
    expect(await handlers['dialog.save']({})).toEqual({ path: '/g/lake.wgraph.json' });
    answers.save = { canceled: false, filePath: '/g/lake.json' };
    expect(await handlers['dialog.save']({})).toEqual({ path: '/g/lake.wgraph.json' });
    answers.save = { canceled: false, filePath: '/g/Lake.WGRAPH.JSON' };
    expect(await handlers['dialog.save']({})).toEqual({ path: '/g/Lake.wgraph.json' });
  });

  it('asks before replacing a file the added extension leads to, which the system dialog did not ask about', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-dialogs-'));
    await writeFile(join(dir, 'lake.wgraph.json'), '{}');
    const { handlers, answers, showMessageBox } = setup(win);
    answers.save = { canceled: false, filePath: join(dir, 'lake') };
    answers.replace = 1;
    expect(await handlers['dialog.save']({})).toEqual({});
    expect(showMessageBox).toHaveBeenCalledWith(win, expect.objectContaining({ message: '“lake.wgraph.json” already exists. Replace it?' }));
    answers.replace = 0;
    expect(await handlers['dialog.save']({})).toEqual({ path: join(dir, 'lake.wgraph.json') });
    showMessageBox.mockClear();
    answers.save = { canceled: false, filePath: join(dir, 'river') };
    expect(await handlers['dialog.save']({})).toEqual({ path: join(dir, 'river.wgraph.json') });
    answers.save = { canceled: false, filePath: join(dir, 'lake.wgraph.json') };
    expect(await handlers['dialog.save']({})).toEqual({ path: join(dir, 'lake.wgraph.json') });
    expect(showMessageBox).not.toHaveBeenCalled();
  });

  it('returns nothing when canceled or empty', async () => {
    const { handlers, answers } = setup(win);
    answers.save = { canceled: true, filePath: '/g/lake.wgraph.json' };
    expect(await handlers['dialog.save']({})).toEqual({});
    answers.save = { canceled: false, filePath: '' };
    expect(await handlers['dialog.save']({})).toEqual({});
  });

  it('asks before overwriting, offers graph files only and starts at the given path', async () => {
    const { handlers, calls } = setup(win);
    await handlers['dialog.save']({ defaultPath: '/g/Untitled.wgraph.json' });
    const { options } = calls.save[0]!;
    expect(options.properties).toContain('showOverwriteConfirmation');
    expect(options.properties).toContain('createDirectory');
    expect(options.filters).toEqual([{ name: 'Wan Graph', extensions: ['wgraph.json'] }]);
    expect(options.defaultPath).toBe('/g/Untitled.wgraph.json');
    expect(options.title).toBe('Save graph');
  });

  it('attaches to the editor window when there is one, and not otherwise', async () => {
    const withWin = setup(win);
    await withWin.handlers['dialog.save']({});
    expect(withWin.calls.save[0]!.win).toBe(win);
    const without = setup(undefined);
    await without.handlers['dialog.save']({});
    expect(without.calls.save[0]).not.toHaveProperty('win');
    expect(without.calls.save[0]!.options).not.toHaveProperty('defaultPath');
  });

  it('does not touch the open dialog', async () => {
    const { handlers, calls, dialog } = setup(win);
    await handlers['dialog.save']({});
    expect(calls.open).toEqual([]);
    expect(dialog.showOpenDialog).not.toHaveBeenCalled();
  });
});
