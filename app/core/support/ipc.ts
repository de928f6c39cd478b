import type { HostReply } from '../contract';

// The Electron IPC channels between the desktop app's preload and its main process.

export const IPC = {
  /** invoke(op, input) → IpcReply, for the contract's and the desktop contract's operations */
  call: 'wan-graph:call',
  /** main → window: a HostEvent */
  hostEvent: 'wan-graph:host-event',
  /** main → window: a DesktopEvent */
  desktopEvent: 'wan-graph:desktop-event',
} as const;

/** A call's answer. Failures cross as data: an Error thrown through IPC would lose its code. */
export type IpcReply = HostReply;
