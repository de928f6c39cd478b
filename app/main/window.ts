import { BrowserWindow, shell, type BrowserWindowConstructorOptions, type Session, type WebContents } from 'electron';
import { EDITOR_URL, isEditorUrl } from './protocols';

// The editor's window and the rules every web page in the app lives by (Electron's security
// checklist): sandboxed, isolated, no Node, no webviews; it never navigates away from the editor,
// opens no windows, and gets no permissions but the clipboard. Links to the web open in the
// system browser, over https only.

export function windowOptions(preload: string, icon?: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Wan Graph',
    backgroundColor: '#1b1f2a',
    ...(icon && { icon }),
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/** https links go to the system browser; anything else is dropped. True if it was opened. */
export function openExternally(url: string, open: (url: string) => Promise<void> = (u) => shell.openExternal(u)): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  void open(parsed.href).catch(() => undefined);
  return true;
}

/** Navigation, redirects, new windows and webviews: the editor stays the only page. */
export function guardContents(contents: WebContents, open?: (url: string) => Promise<void>): void {
  const stay = (event: { preventDefault(): void }, url: string) => {
    if (isEditorUrl(url)) return;
    event.preventDefault();
    openExternally(url, open);
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, open);
    return { action: 'deny' };
  });
}

/** Copy and paste of nodes use the clipboard; every other permission is refused. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-read', 'clipboard-sanitized-write']);

function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && !!requestingUrl && isEditorUrl(requestingUrl);
}

export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl ?? contents?.getURL())));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin && `${requestingOrigin}/`));
  session.setDevicePermissionHandler(() => false);
}

export function createEditorWindow(preload: string, icon?: string): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preload, icon));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(EDITOR_URL);
  return win;
}
