import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

// A stand-in for the parts of Electron the main process uses, for tests that cannot run Electron.
// Objects keep what they were given (options, handlers, sent messages) for the tests to inspect.

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  url = '';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.url;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly progress: { fraction: number; mode: string | undefined }[] = [];
  focused = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.all.push(this);
  }
  static getAllWindows() {
    return FakeBrowserWindow.all;
  }
  loadURL(url: string) {
    this.webContents.url = url;
    return Promise.resolve();
  }
  show() {}
  focus() {}
  restore() {}
  close() {}
  isMinimized() {
    return false;
  }
  isFocused() {
    return this.focused;
  }
  setProgressBar(fraction: number, opts?: { mode?: string }) {
    this.progress.push({ fraction, mode: opts?.mode });
  }
}

export class FakeSession {
  permissionRequest: ((contents: unknown, permission: string, callback: (ok: boolean) => void, details: { requestingUrl?: string }) => void) | undefined;
  permissionCheck: ((contents: unknown, permission: string, origin: string) => boolean) | undefined;
  devicePermission: (() => boolean) | undefined;
  setPermissionRequestHandler(h: FakeSession['permissionRequest']) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']) {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermission']) {
    this.devicePermission = h;
  }
}

export function fakeElectron(appPath: string) {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    setName: vi.fn(),
    getAppPath: () => appPath,
    getVersion: () => '9.9.9-test',
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: () => Promise.resolve(),
    addRecentDocument: vi.fn(),
    clearRecentDocuments: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
  });
  const handlers = new Map<string, (request: Request) => Promise<Response>>();
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => void handlers.set(scheme, handler)),
      handlers,
    },
    session: { defaultSession: new FakeSession() },
    ipcMain: {
      handle: vi.fn((channel: string, h: (event: unknown, ...args: unknown[]) => Promise<unknown>) => void ipcHandlers.set(channel, h)),
      removeHandler: vi.fn((channel: string) => void ipcHandlers.delete(channel)),
      handlers: ipcHandlers,
    },
    Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
    Notification: Object.assign(vi.fn(), { isSupported: () => false }),
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(), showMessageBoxSync: vi.fn(), showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    // a cipher that transforms the bytes, so the key file never holds the key as written
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      encryptStringAsync: async (s: string) => Buffer.from(s, 'utf8').reverse(),
      decryptStringAsync: async (b: Buffer) => ({ shouldReEncrypt: false, result: Buffer.from(b).reverse().toString('utf8') }),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
    shell: { openExternal: vi.fn(async () => undefined) },
  };
}
