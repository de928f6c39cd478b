import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HostFailure, type BridgeApi, type HostApi } from '../../app/core/contract';
import { IPC } from '../../app/core/support/ipc';
import { wireIpc } from '../../app/main/ipc';
import { createApi } from '../../app/preload/api';
import { desktopApi } from '../../app/renderer/api/desktop-host';
import { httpApi } from '../../app/renderer/api/web-host';
import { startWebServer } from '../../app/web/server';
import { openHarness, type Harness } from '../host/service-helpers';

// A host failure reaches the editor as one error type, code included, on both transports: over
// HTTP (browser mode) and over IPC through the preload and Electron's context bridge (desktop).

type Handler = (event: never, ...args: unknown[]) => Promise<unknown>;

const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.unstubAllGlobals();
  for (const close of closing.splice(0).reverse()) await close();
});

async function harness(): Promise<Harness> {
  const h = await openHarness();
  closing.push(() => h.close());
  return h;
}

/** Browser mode: the real server, reached as the page reaches it (the token rides along as a header here). */
async function overHttp(h: Harness): Promise<HostApi> {
  const web = await startWebServer({ service: h.service, staticDir: await mkdtemp(join(tmpdir(), 'wan-static-')) });
  closing.push(() => web.close());
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => realFetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-wan-token': web.token } }));
  return httpApi(web.origin);
}

/**
 * What Electron's context bridge does to what crosses it: values are copied, and a thrown Error
 * arrives as a new Error with its message only.
 */
function acrossBridge<T extends object>(api: T): T {
  return Object.fromEntries(
    Object.entries(api).map(([k, v]) => [
      k,
      typeof v === 'function'
        ? (...args: unknown[]) => {
            const bare = (e: unknown) => new Error((e as Error).message);
            try {
              const out: unknown = v(...args);
              return out instanceof Promise ? out.then((x) => structuredClone(x), (e) => Promise.reject(bare(e))) : out;
            } catch (e) {
              throw bare(e);
            }
          }
        : typeof v === 'object' && v !== null
          ? acrossBridge(v)
          : v,
    ]),
  ) as T;
}

/** The desktop app: main's IPC handler on the real service, the preload, the context bridge, the editor's side. */
function overIpc(h: Harness): HostApi {
  const handlers = new Map<string, Handler>();
  const window = { isDestroyed: () => false, send: () => undefined };
  wireIpc({
    ipcMain: { handle: (channel: string, fn: Handler) => void handlers.set(channel, fn), removeHandler: (channel: string) => void handlers.delete(channel) },
    service: h.service,
    windows: () => [window as never],
    desktop: { 'dialog.open': async () => ({}), 'dialog.save': async () => ({}), 'files.pending': async () => ({ paths: [] }) },
  });
  const event = { sender: window, senderFrame: { url: 'app://editor/index.html', parent: null } };
  const preload = createApi({
    invoke: (channel: string, ...args: unknown[]) => handlers.get(channel)!(event as never, ...args),
    on: () => undefined,
    removeListener: () => undefined,
  });
  expect(handlers.has(IPC.call)).toBe(true);
  return desktopApi(acrossBridge<BridgeApi>(preload));
}

async function failure(call: Promise<unknown>): Promise<HostFailure> {
  const e = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(HostFailure);
  return e as HostFailure;
}

describe('a host failure in the editor', () => {
  it('is a HostFailure with the host code and message, in browser mode and in the desktop app alike', async () => {
    const h = await harness();
    const transports = { http: await overHttp(h), ipc: overIpc(h) };
    const missing = join(h.dataDir, 'no-such.wgraph.json');
    for (const [name, api] of Object.entries(transports)) {
      const unreadable = await failure(api['file.read']({ path: missing }));
      expect({ name, code: unreadable.code }).toEqual({ name, code: 'unreadable' });
      expect(unreadable.message).toContain('no-such.wgraph.json');
      const badInput = await failure(api['settings.set']({ concurrency: 99 }));
      expect({ name, code: badInput.code }).toEqual({ name, code: 'bad-input' });
      expect(badInput.message).toContain('concurrency');
      expect((await api['app.info']({})).version).toBe('0.0.0-test');
    }
    const [viaHttp, viaIpc] = await Promise.all([failure(transports.http['file.read']({ path: missing })), failure(transports.ipc['file.read']({ path: missing }))]);
    expect([viaIpc.code, viaIpc.message]).toEqual([viaHttp.code, viaHttp.message]);
  });

  it('keeps the code of a failed desktop operation too', async () => {
    const bridge = acrossBridge<BridgeApi>(
      createApi({ invoke: async () => ({ ok: false, error: { code: 'not-found', message: 'job 7 is not followed in this session' } }), on: () => undefined, removeListener: () => undefined }),
    );
    const e = await failure(desktopApi(bridge).desktop!['files.pending']({}));
    expect([e.code, e.message]).toEqual(['not-found', 'job 7 is not followed in this session']);
  });
});
