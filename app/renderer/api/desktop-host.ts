import { contract, desktopContract, HostFailure, type BridgeApi, type DesktopApi, type HostApi, type HostReply } from '../../core/contract';

// The contract through the desktop app's preload (`window.wanGraph`). Its calls answer with a
// HostReply, since an Error crossing Electron's context bridge keeps only its message: here a failure
// becomes the HostFailure it was on the host, code included, as in browser mode.

const value = async <T>(reply: Promise<HostReply<T>>): Promise<T> => {
  const r = await reply;
  if (!r.ok) throw HostFailure.from(r);
  return r.value;
};

const unwrapped = <C extends object>(ops: C, bridge: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(ops).map((op) => [op, (input: unknown) => value((bridge[op] as (input: unknown) => Promise<HostReply>)(input))]));

export function desktopApi(bridge: BridgeApi): HostApi {
  const desktop = { ...unwrapped(desktopContract, bridge.desktop), onDesktopEvent: bridge.desktop.onDesktopEvent } as DesktopApi;
  return { ...unwrapped(contract, bridge as unknown as Record<string, unknown>), onEvent: bridge.onEvent, mediaUrl: bridge.mediaUrl, desktop } as HostApi;
}
