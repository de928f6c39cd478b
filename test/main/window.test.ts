import { describe, expect, it, vi } from 'vitest';
import { FakeSession, FakeWebContents, type fakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron(process.cwd()));

const electron = (await import('electron')) as unknown as ReturnType<typeof fakeElectron>;
const { createEditorWindow, guardContents, guardSession, openExternally, windowOptions } = await import('../../app/main/window');
const { isEditorUrl } = await import('../../app/main/protocols');

const preventable = () => ({ defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } });

describe('the editor window', () => {
  it('is sandboxed, isolated, without Node and without webviews, with the preload given', () => {
    const options = windowOptions('/app/out/preload/index.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
    });
    expect(options.show).toBe(false); // shown when ready, with no white flash
  });

  it('loads the editor from app://editor', () => {
    const win = createEditorWindow('/p.cjs') as unknown as { webContents: FakeWebContents; options: { webPreferences: { sandbox: boolean } } };
    expect(win.webContents.url).toBe('app://editor/index.html');
    expect(win.options.webPreferences.sandbox).toBe(true);
  });

  it('knows its own pages', () => {
    expect(isEditorUrl('app://editor/index.html')).toBe(true);
    for (const url of ['app://other/index.html', 'https://editor/', 'file:///etc/passwd', 'media://library/?path=/x.mp4', 'not a url']) expect(isEditorUrl(url)).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('never leaves the editor, and hands https links to the system browser', () => {
    const contents = new FakeWebContents();
    const open = vi.fn(async () => undefined);
    guardContents(contents as never, open);

    const own = preventable();
    contents.emit('will-navigate', own, 'app://editor/index.html');
    expect(own.defaultPrevented).toBe(false);

    const web = preventable();
    contents.emit('will-navigate', web, 'https://runware.ai/docs');
    expect(web.defaultPrevented).toBe(true);
    expect(open).toHaveBeenCalledWith('https://runware.ai/docs');

    open.mockClear();
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://server/share', 'https://user:pw@example.com/']) {
      const e = preventable();
      contents.emit('will-navigate', e, url);
      expect(e.defaultPrevented, url).toBe(true);
      const r = preventable();
      contents.emit('will-redirect', r, url);
      expect(r.defaultPrevented, url).toBe(true);
    }
    expect(open).not.toHaveBeenCalled();
  });

  it('denies every window.open, opening https ones in the system browser', () => {
    const contents = new FakeWebContents();
    const open = vi.fn(async () => undefined);
    guardContents(contents as never, open);
    expect(contents.windowOpenHandler!({ url: 'https://runware.ai/' })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledWith('https://runware.ai/');
    expect(contents.windowOpenHandler!({ url: 'app://editor/index.html' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///tmp/x.html' })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('refuses to attach webviews', () => {
    const contents = new FakeWebContents();
    guardContents(contents as never, vi.fn());
    const e = preventable();
    contents.emit('will-attach-webview', e, {}, {});
    expect(e.defaultPrevented).toBe(true);
  });

  it('opens external links with the system shell by default, and only https', () => {
    expect(openExternally('https://runware.ai/docs')).toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://runware.ai/docs');
    expect(openExternally('http://runware.ai/')).toBe(false);
    expect(openExternally('::::')).toBe(false);
  });
});

describe('permissions', () => {
  const guarded = () => {
    const session = new FakeSession();
    guardSession(session as never);
    const request = (permission: string, requestingUrl?: string) => {
      let answer: boolean | undefined;
      session.permissionRequest!(null, permission, (ok) => (answer = ok), { ...(requestingUrl && { requestingUrl }) });
      return answer;
    };
    return { session, request };
  };

  it('refuses every permission request by default', () => {
    const { request } = guarded();
    for (const permission of ['media', 'geolocation', 'notifications', 'midi', 'openExternal', 'fullscreen', 'display-capture', 'pointerLock', 'unknown']) expect(request(permission, 'app://editor/index.html'), permission).toBe(false);
  });

  it('lets the editor, and only the editor, use the clipboard for copy and paste', () => {
    const { session, request } = guarded();
    expect(request('clipboard-sanitized-write', 'app://editor/index.html')).toBe(true);
    expect(request('clipboard-read', 'app://editor/index.html')).toBe(true);
    expect(request('clipboard-read', 'https://evil.example/')).toBe(false);
    expect(request('clipboard-read')).toBe(false);
    expect(session.permissionCheck!(null, 'clipboard-read', 'app://editor')).toBe(true);
    expect(session.permissionCheck!(null, 'media', 'app://editor')).toBe(false);
    expect(session.permissionCheck!(null, 'clipboard-read', 'https://evil.example')).toBe(false);
    expect(session.devicePermission!()).toBe(false);
  });
});
