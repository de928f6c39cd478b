import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { desktopContract, HostFailure, type DesktopOpName, type HostError, type HostEvent } from '../core/contract';
import { IPC, type IpcReply } from '../core/support/ipc';
import { callOp } from '../host/service/dispatch';
import { isEditorUrl } from './protocols';

// The contract over IPC. Every call is checked for where it comes from (the top frame of one of
// the app's own windows, showing the editor) and for what it carries (the operation's zod schema,
// in callOp), and answers with data, never a thrown error.

interface IpcService {
  call(op: string, input: unknown): Promise<unknown>;
  errorOf(e: unknown): HostError;
  onEvent(listener: (event: HostEvent) => void): () => void;
}

/** The part of ipcMain used here. */
interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

type DesktopHandlers = { [K in DesktopOpName]: (input: never) => Promise<unknown> };

export interface IpcOptions {
  ipcMain: IpcMainLike;
  service: IpcService;
  desktop: DesktopHandlers;
  /** The web contents of the app's own windows; messages from anything else are refused. */
  windows: () => readonly WebContents[];
  /** After an operation succeeded (recent documents follow opened and saved files). */
  after?: (op: string, input: unknown, output: unknown) => void;
}

function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, windows: readonly WebContents[]): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!windows.some((w) => w === event.sender)) return false;
  return isEditorUrl(frame.url);
}

const refused = (message: string): IpcReply => ({ ok: false, error: { code: 'refused', message } });

export function wireIpc(opts: IpcOptions): () => void {
  opts.ipcMain.handle(IPC.call, async (event, op, input): Promise<IpcReply> => {
    if (!isTrustedSender(event, opts.windows())) return refused('This message does not come from the editor.');
    try {
      if (typeof op !== 'string') throw new HostFailure('bad-input', 'the operation name must be a string');
      const value = Object.hasOwn(desktopContract, op) ? await callOp(opts.desktop, op, input, desktopContract) : await opts.service.call(op, input);
      opts.after?.(op, input, value);
      return { ok: true, value };
    } catch (e) {
      return { ok: false, ...opts.service.errorOf(e) };
    }
  });
  const off = opts.service.onEvent((event) => {
    for (const contents of opts.windows()) if (!contents.isDestroyed()) contents.send(IPC.hostEvent, event);
  });
  return () => {
    off();
    opts.ipcMain.removeHandler(IPC.call);
  };
}
