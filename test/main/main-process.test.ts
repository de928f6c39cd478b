import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC, type IpcReply } from '../../app/core/support/ipc';
import { SCHEMES } from '../../app/main/protocols';
import { FakeBrowserWindow, type fakeElectron } from './fake-electron';

// The main process as composed in app/main/index.ts, started against a stand-in for Electron:
// the real host service, real files, and what it asks of Electron checked.

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron(process.cwd()));

type Fake = ReturnType<typeof fakeElectron>;
let electron: Fake;
let home: string;
const graphArg = 'some/dir/opened-from-the-shell.wgraph.json';
const argv = process.argv;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wan-main-'));
  process.env.WAN_GRAPH_HOME = home;
  process.argv = ['/usr/bin/wan-graph', graphArg];
  electron = (await import('electron')) as unknown as Fake;
  await import('../../app/main/index');
  await vi.waitFor(() => expect(FakeBrowserWindow.all).toHaveLength(1), { timeout: 20_000 });
  await vi.waitFor(() => expect(electron.ipcMain.handlers.has(IPC.call)).toBe(true));
});

afterAll(async () => {
  process.argv = argv;
  delete process.env.WAN_GRAPH_HOME;
  // let the service close as the app would on quit
  electron.app.emit('will-quit', { preventDefault: () => undefined });
  await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
});

const win = () => FakeBrowserWindow.all[0]!;
const call = async (op: string, input: unknown) => {
  const event = { sender: win().webContents, senderFrame: { url: 'app://editor/index.html', parent: null } };
  return (await electron.ipcMain.handlers.get(IPC.call)!(event, op, input)) as IpcReply;
};

describe('the desktop main process', () => {
  it('registers its schemes before ready, takes the single-instance lock and guards every web page', () => {
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith(SCHEMES);
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(electron.app.listenerCount('web-contents-created')).toBe(1);
    expect(electron.session.defaultSession.permissionRequest).toBeDefined();
  });

  it('opens one sandboxed window on the editor, with the preload beside main', () => {
    const w = win();
    expect(w.webContents.url).toBe('app://editor/index.html');
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false });
    expect(prefs.preload).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('serves the editor and library media through its schemes', async () => {
    const page = await electron.protocol.handlers.get('app')!(new Request('app://editor/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    const media = await electron.protocol.handlers.get('media')!(new Request(`media://library/?path=${encodeURIComponent(join(home, 'settings.json'))}`));
    expect(media.status).toBe(403);
  });

  it('answers the contract over IPC as the desktop shell', async () => {
    const reply = await call('app.info', {});
    expect(reply).toMatchObject({ ok: true, value: { shell: 'desktop', version: '9.9.9-test', dataDir: home } });
    const settings = await call('settings.get', {});
    expect(settings).toMatchObject({ ok: true, value: { key: { set: false }, target: { sandbox: true } } });
  });

  it('hands the editor the graph named on its command line, and later ones from a second start', async () => {
    expect(await call('files.pending', {})).toEqual({ ok: true, value: { paths: [join(process.cwd(), graphArg)] } });
    expect(await call('files.pending', {})).toEqual({ ok: true, value: { paths: [] } });
    electron.app.emit('second-instance', {}, ['/usr/bin/wan-graph', 'b.wgraph.json'], '/home/artist/graphs');
    expect(win().webContents.sent).toContainEqual({ channel: IPC.desktopEvent, payload: { type: 'open-file', path: '/home/artist/graphs/b.wgraph.json' } });
  });

  it('keeps a saved graph among the recent documents and in the Open Recent menu', async () => {
    const path = join(home, 'mine.wgraph.json');
    const text = await readFile(join(process.cwd(), 'graphs', (await readdir('graphs')).find((f) => f.endsWith('.wgraph.json'))!), 'utf8');
    expect(await call('file.write', { path, text })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(electron.app.addRecentDocument).toHaveBeenCalledWith(path));
    await vi.waitFor(() => {
      const template = (electron.Menu.setApplicationMenu.mock.calls.at(-1)![0] as { template: { label?: string; submenu?: { label?: string; submenu?: { toolTip?: string }[] }[] }[] }).template;
      const file = template.find((m) => m.label === '&File')!;
      const recent = file.submenu!.find((i) => i.label === 'Open Recent')!;
      expect(recent.submenu!.map((i) => i.toolTip)).toContain(path);
    });
  });

  it('keeps a remembered key encrypted by the key store, never in plain text', async () => {
    const key = 'rw-desktop-key-0987654321';
    expect(await call('key.set', { key, remember: true })).toMatchObject({ ok: true, value: { key: { set: true, source: 'store', protected: true } } });
    const stored = await readFile(join(home, 'api-key.bin'));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.toString('utf8')).not.toContain(key);
    expect(JSON.stringify(win().webContents.sent)).not.toContain(key);
    expect(await call('key.clear', {})).toMatchObject({ ok: true, value: { key: { set: false } } });
  });

  it('does not count an opened example as a recent document', async () => {
    const example = (await call('app.info', {})) as { ok: true; value: { examples: { path: string }[] } };
    electron.app.addRecentDocument.mockClear();
    const menus = electron.Menu.setApplicationMenu.mock.calls.length;
    expect(await call('file.read', { path: example.value.examples[0]!.path })).toMatchObject({ ok: true });
    // the menu is rebuilt after every file read; by then the recent documents have been decided
    await vi.waitFor(() => expect(electron.Menu.setApplicationMenu.mock.calls.length).toBeGreaterThan(menus));
    expect(electron.app.addRecentDocument).not.toHaveBeenCalled();
  });

  it('quits without asking when no job runs', () => {
    const event = { prevented: false, preventDefault() { this.prevented = true; } };
    electron.app.emit('before-quit', event);
    expect(event.prevented).toBe(false);
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
  });
});
