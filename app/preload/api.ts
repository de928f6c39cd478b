import { contract, desktopContract, DesktopEvent, HostEvent, type BridgeApi } from '../core/contract';
import { IPC, type IpcReply } from '../core/support/ipc';

// What the preload hands the editor as `window.wanGraph`: one named function per operation of
// the contract (and of the desktop contract), generated from it, plus event subscriptions. Only
// these cross into the page; ipcRenderer itself never does. A call answers with its HostReply as
// data, failures included: the context bridge would keep only the message of a thrown Error.

/** The part of ipcRenderer used here. */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/** A library file as a media:// URL, which the main process serves with Range support. */
export const mediaUrl = (file: string) => `media://library/?path=${encodeURIComponent(file)}`;

export function createApi(ipc: IpcLike): BridgeApi {
  const call = async (op: string, input: unknown) => (await ipc.invoke(IPC.call, op, input)) as IpcReply;
  const functions = <C extends object>(ops: C) => Object.fromEntries(Object.keys(ops).map((op) => [op, (input: unknown) => call(op, input)]));
  const subscribe = <T>(channel: string, parse: (payload: unknown) => { success: boolean; data?: T }) => (listener: (event: T) => void) => {
    const handler = (_event: unknown, payload: unknown) => {
      const parsed = parse(payload);
      if (parsed.success) listener(parsed.data as T);
    };
    ipc.on(channel, handler);
    return () => void ipc.removeListener(channel, handler);
  };
  return {
    ...functions(contract),
    onEvent: subscribe(IPC.hostEvent, (p) => HostEvent.safeParse(p)),
    mediaUrl,
    desktop: { ...functions(desktopContract), onDesktopEvent: subscribe(IPC.desktopEvent, (p) => DesktopEvent.safeParse(p)) },
  } as BridgeApi;
}
