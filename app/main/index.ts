import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, safeStorage, session } from 'electron';
import type { DesktopEvent } from '../core/contract';
import { IPC } from '../core/support/ipc';
import { defaultDataDir } from '../host/data-dir';
import { findFfmpeg } from '../host/ffmpeg';
import { HostService } from '../host/service/service';
import { sandboxStarter } from '../sandbox/server';
import { DEFAULT_FONT_DIR } from '../sandbox/render-video';
import { graphDialogs } from './dialogs';
import { wireIpc } from './ipc';
import { JobFeedback } from './job-feedback';
import { menuTemplate } from './menu';
import { graphPathsFromArgv, PendingFiles } from './open-files';
import { editorProtocol, mediaProtocol, SCHEMES } from './protocols';
import { confirmLeavingUnsaved, QuitGuard } from './quit-guard';
import { SafeStorageSecretStore } from './secret-store';
import { createEditorWindow, guardContents, guardSession, openExternally } from './window';

// The desktop app's main process: it composes the host service (the same one browser mode uses)
// with the editor's window, its schemes, IPC, menus and the system's dialogs, notifications and
// recent documents. Everything here is wiring; the work is done in app/host.

const HERE = import.meta.dirname;
const PRELOAD = join(HERE, '../preload/index.cjs');
const RENDERER = join(HERE, '../renderer');
const ICON = join(app.getAppPath(), 'app/main/resources/icon.png');

app.setName('Wan Graph');
protocol.registerSchemesAsPrivileged(SCHEMES);
const pending = new PendingFiles();

if (!app.requestSingleInstanceLock()) {
  // the first instance opens our files (second-instance below) and comes to the front
  app.quit();
} else {
  pending.add(graphPathsFromArgv(process.argv, process.cwd()));
  app.on('second-instance', (_event, argv, cwd) => {
    pending.add(graphPathsFromArgv(argv, cwd));
    const win = BrowserWindow.getAllWindows()[0];
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  // macOS: a file opened from the Finder, possibly before the app is ready
  app.on('open-file', (event, path) => {
    event.preventDefault();
    pending.add([path]);
  });
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  app.whenReady().then(start, (e: unknown) => fail(e));
}

function fail(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  console.error(`wan-graph: the desktop app could not start: ${message}`);
  dialog.showErrorBox('Wan Graph could not start', message);
  app.exit(1);
}

async function start(): Promise<void> {
  guardSession(session.defaultSession);
  const env = process.env;
  const dataDir = defaultDataDir(env);
  const ffmpegPath = await findFfmpeg(undefined, env);
  const service = await HostService.create({
    dataDir,
    env,
    shell: 'desktop',
    examplesDir: join(app.getAppPath(), 'graphs'),
    ...(ffmpegPath && { ffmpegPath }),
    secrets: new SafeStorageSecretStore({ cipher: safeStorage, file: join(dataDir, 'api-key.bin'), env }),
    startSandbox: sandboxStarter(ffmpegPath),
    fontDir: DEFAULT_FONT_DIR,
    version: app.getVersion(),
  });
  protocol.handle('app', editorProtocol(RENDERER));
  protocol.handle('media', mediaProtocol((path) => service.isMediaAllowed(path)));

  let win: BrowserWindow | undefined;
  const send = (event: DesktopEvent) => win?.webContents.send(IPC.desktopEvent, event);
  const notify = (title: string, body: string) => {
    if (Notification.isSupported() && !win?.isFocused()) new Notification({ title, body }).show();
  };
  const feedback = new JobFeedback({ progress: (fraction, mode) => win?.setProgressBar(fraction, { mode }), notify });
  service.onEvent((event) => event.type === 'job' && feedback.update(event.job));
  feedback.seed((await service.handlers['jobs.list']({})).jobs);

  const { examples } = await service.handlers['app.info']({});
  /** The menus follow the host's recent files, and so do the system's recent documents (examples are neither). */
  const refreshMenu = async (used?: string) => {
    const { files } = await service.handlers['recent.list']({});
    if (used && files[0] === used) app.addRecentDocument(used);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate({
          platform: process.platform,
          dev: !app.isPackaged,
          recent: files,
          examples,
          send,
          clearRecent: () => {
            app.clearRecentDocuments();
            void service.handlers['recent.clear']({}).then(() => refreshMenu());
          },
          openExternal: (url) => openExternally(url),
        }),
      ),
    );
  };
  await refreshMenu();

  wireIpc({
    ipcMain,
    service,
    windows: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    desktop: {
      ...graphDialogs(dialog, () => win),
      'files.pending': async () => ({ paths: pending.take(send) }),
    },
    after: (op, _input, output) => {
      if (op === 'file.read' || op === 'file.write' || op === 'recent.clear') void refreshMenu((output as { path?: string }).path);
    },
  });

  const guard = new QuitGuard(dialog, () => feedback.activeCount);
  const openWindow = () => {
    win = createEditorWindow(PRELOAD, existsSync(ICON) ? ICON : undefined);
    const current = win;
    // closing the window quits, except on macOS
    if (process.platform !== 'darwin') current.on('close', (event) => guard.intercept(event, current, () => current.close()));
    current.webContents.on('will-prevent-unload', (event) => {
      if (!confirmLeavingUnsaved(event, current, dialog)) guard.reset();
    });
    current.on('closed', () => {
      if (win === current) win = undefined;
      pending.detach();
    });
  };
  openWindow();

  app.on('before-quit', (event) => win && guard.intercept(event, win, () => app.quit()));
  // macOS apps stay in the dock with no window; elsewhere closing the window quits
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit());
  app.on('activate', () => !win && openWindow());
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    // unfinished jobs stay in the journal and resume at the next start
    void service.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
}
