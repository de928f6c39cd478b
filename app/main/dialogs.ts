import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import { FILE_EXTENSION } from '../core/document';

// The system's open and save dialogs for graph files.

const FILTERS = [{ name: 'Wan Graph', extensions: [FILE_EXTENSION.slice(1)] }];

/** Whatever name the artist typed, the file gets the graph extension, exactly (file.write accepts no other). */
export function withGraphExtension(path: string): string {
  if (path.endsWith(FILE_EXTENSION)) return path;
  return `${path.replace(/(\.wgraph)?(\.json)?$/i, '')}${FILE_EXTENSION}`;
}

export function graphDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox'>, window: () => BrowserWindow | undefined) {
  /** The dialog asked about replacing the name as typed; a name the extension changed is asked about here. */
  const mayReplace = async (path: string) => {
    if (!(await stat(path).catch(() => undefined))) return true;
    const options = { type: 'question' as const, buttons: ['Replace', 'Cancel'], defaultId: 1, cancelId: 1, message: `“${basename(path)}” already exists. Replace it?`, detail: path };
    const win = window();
    return (win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)).response === 0;
  };
  return {
    'dialog.open': async (input: { defaultPath?: string }) => {
      const options = {
        title: 'Open graph',
        ...(input.defaultPath && { defaultPath: input.defaultPath }),
        // some systems match only a file's last extension, so plain .json files are offered too
        filters: [...FILTERS, { name: 'JSON', extensions: ['json'] }],
        properties: ['openFile' as const],
      };
      const win = window();
      const answer = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return answer.canceled || !answer.filePaths[0] ? {} : { path: answer.filePaths[0] };
    },
    'dialog.save': async (input: { defaultPath?: string }) => {
      const options = {
        title: 'Save graph',
        ...(input.defaultPath && { defaultPath: input.defaultPath }),
        filters: FILTERS,
        properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
      };
      const win = window();
      const answer = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (answer.canceled || !answer.filePath) return {};
      const path = withGraphExtension(answer.filePath);
      return path === answer.filePath || (await mayReplace(path)) ? { path } : {};
    },
  };
}
