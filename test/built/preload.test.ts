import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { contract, desktopContract } from '../../app/core/contract';
import { IPC, type IpcReply } from '../../app/core/support/ipc';
import { createApi, mediaUrl, type IpcLike } from '../../app/preload/api';

// What the sandboxed window gets: named functions generated from the contract, never ipcRenderer.

function fakeIpc(reply: (op: string, input: unknown) => IpcReply) {
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, op: unknown, input: unknown) => {
      expect(channel).toBe(IPC.call);
      return reply(op as string, input);
    }),
    on: (channel: string, l: (event: unknown, payload: unknown) => void) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel: string, l: (event: unknown, payload: unknown) => void) => listeners.get(channel)?.delete(l),
    emit: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({ sender: 'main' }, payload)),
    count: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
  return ipc satisfies IpcLike;
}

describe('the preload API', () => {
  it('has one function per contract operation, and the desktop ones apart', () => {
    const api = createApi(fakeIpc(() => ({ ok: true, value: {} })));
    const ops = Object.keys(contract);
    expect(Object.keys(api).sort()).toEqual([...ops, 'desktop', 'mediaUrl', 'onEvent'].sort());
    for (const op of ops) expect(typeof api[op as keyof typeof api], op).toBe('function');
    expect(Object.keys(api.desktop).sort()).toEqual([...Object.keys(desktopContract), 'onDesktopEvent'].sort());
  });

  it('calls over the one IPC channel and hands back the reply', async () => {
    const ipc = fakeIpc((op) => ({ ok: true, value: { op } }));
    const api = createApi(ipc);
    expect(await api['recent.list']({})).toEqual({ ok: true, value: { op: 'recent.list' } });
    expect(await api.desktop['dialog.open']({ defaultPath: '/x' })).toEqual({ ok: true, value: { op: 'dialog.open' } });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC.call, 'dialog.open', { defaultPath: '/x' });
  });

  it('answers a failure as data, code included (a thrown Error would cross the context bridge as its message only)', async () => {
    const failed = { ok: false, error: { code: 'not-found', message: 'No such graph: /a.wgraph.json' } } as const;
    const api = createApi(fakeIpc(() => failed));
    expect(await api['file.read']({ path: '/a.wgraph.json' })).toEqual(failed);
  });

  it('passes on valid events only, and stops when unsubscribed', () => {
    const ipc = fakeIpc(() => ({ ok: true, value: {} }));
    const api = createApi(ipc);
    const seen: unknown[] = [];
    const off = api.onEvent((e) => seen.push(e));
    const desktopSeen: unknown[] = [];
    api.desktop.onDesktopEvent((e) => desktopSeen.push(e));
    ipc.emit(IPC.hostEvent, { type: 'nonsense' });
    ipc.emit(IPC.desktopEvent, { type: 'menu', action: 'format-disk' });
    ipc.emit(IPC.desktopEvent, { type: 'menu', action: 'run' });
    ipc.emit(IPC.desktopEvent, { type: 'open-file', path: '/g.wgraph.json' });
    expect(seen).toEqual([]);
    expect(desktopSeen).toEqual([
      { type: 'menu', action: 'run' },
      { type: 'open-file', path: '/g.wgraph.json' },
    ]);
    off();
    expect(ipc.count(IPC.hostEvent)).toBe(0);
  });

  it('gives library files as media:// URLs that keep the whole path', () => {
    const url = new URL(mediaUrl('/home/a b/lib/clip #1.mp4'));
    expect(url.protocol).toBe('media:');
    expect(url.host).toBe('library');
    expect(url.searchParams.get('path')).toBe('/home/a b/lib/clip #1.mp4');
  });
});

describe('the built preload (out/preload/index.cjs)', () => {
  const built = join(process.cwd(), 'out/preload/index.cjs');

  it('is CommonJS that needs nothing but electron, and exposes the API as window.wanGraph', () => {
    expect(existsSync(built), 'build the app first: npm run build').toBe(true);
    const code = readFileSync(built, 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const required: string[] = [];
    const exposed: Record<string, unknown> = {};
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, value: unknown) => (exposed[name] = value) },
      ipcRenderer: { invoke: async () => ({ ok: true, value: {} }), on: () => undefined, removeListener: () => undefined },
    };
    const module = { exports: {} };
    // a sandboxed preload gets a require that knows only a few modules; everything else must be bundled
    runInNewContext(code, {
      require: (name: string) => {
        required.push(name);
        if (name === 'electron') return electron;
        throw new Error(`a sandboxed preload cannot require ${name}`);
      },
      module,
      exports: module.exports,
      console,
    });
    expect(required).toEqual(['electron']);
    const api = exposed.wanGraph as Record<string, unknown>;
    expect(Object.keys(exposed)).toEqual(['wanGraph']);
    expect(Object.keys(api)).toEqual(expect.arrayContaining(Object.keys(contract)));
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(Object.values(api).every((v) => typeof v === 'function' || (typeof v === 'object' && v !== electron.ipcRenderer))).toBe(true);
  });
});
