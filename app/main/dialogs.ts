import type { BrowserWindow, Dialog } from 'electron';
import { FILE_EXTENSION } from '../core/document';

// The system's open and save dialogs for graph files.

const FILTERS = [{ name: 'Wan Graph', extensions: [FILE_EXTENSION.slice(1)] }];

/** Whatever name the artist typed, the file gets the graph extension (file.write accepts no other). */
export function withGraphExtension(path: string): string {
  if (path.toLowerCase().endsWith(FILE_EXTENSION)) return path;
  return `${path.replace(/\.json$/i, '')}${FILE_EXTENSION}`;
}

export function graphDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, window: () => BrowserWindow | undefined) {
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
      return answer.canceled || !answer.filePath ? {} : { path: withGraphExtension(answer.filePath) };
    },
  };
}
