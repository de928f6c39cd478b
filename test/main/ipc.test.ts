import { describe, expect, it, vi } from 'vitest';
import { IPC, type IpcReply } from '../../app/core/support/ipc';
import { wireIpc } from '../../app/main/ipc';
import { harnesses } from '../host/service-helpers';
import { FakeWebContents } from './fake-electron';

// The contract over IPC, against the real host service: who may call, and what they may send.

type Handler = (event: never, ...args: unknown[]) => Promise<unknown>;

const open = harnesses();

async function wired(opts: { after?: (op: string, input: unknown, output: unknown) => void } = {}) {
  const h = await open();
  const handlers = new Map<string, Handler>();
  const ipcMain = { handle: (channel: string, fn: Handler) => void handlers.set(channel, fn), removeHandler: (channel: string) => void handlers.delete(channel) };
  const window = new FakeWebContents();
  const call = vi.spyOn(h.service, 'call');
  const dialogOpen = vi.fn(async () => ({ path: '/picked.wgraph.json' }));
  const unwire = wireIpc({
    ipcMain,
    service: h.service,
    windows: () => [window as never],
    desktop: { 'dialog.open': dialogOpen, 'dialog.save': vi.fn(async () => ({})), 'files.pending': vi.fn(async () => ({ paths: [] })) },
    ...opts,
  });
  const mainFrame = { url: 'app://editor/index.html', parent: null };
  const invoke = (args: unknown[], event: { sender?: unknown; senderFrame?: unknown } = {}) => handlers.get(IPC.call)!({ sender: window, senderFrame: mainFrame, ...event } as never, ...args) as Promise<IpcReply>;
  return { h, window, call, dialogOpen, invoke, handlers, unwire, mainFrame };
}

describe('IPC from the editor', () => {
  it('runs contract operations for the editor window and answers with data', async () => {
    const { invoke } = await wired();
    const reply = await invoke(['app.info', {}]);
    expect(reply).toMatchObject({ ok: true, value: { version: '0.0.0-test', examples: expect.any(Array) } });
  });

  it('refuses a sender that is not one of its windows, a subframe, a foreign page or a gone frame, before doing anything', async () => {
    const { invoke, call, mainFrame } = await wired();
    const stranger = new FakeWebContents();
    const refusals = await Promise.all([
      invoke(['app.info', {}], { sender: stranger }),
      invoke(['app.info', {}], { senderFrame: { url: 'app://editor/index.html', parent: mainFrame } }),
      invoke(['app.info', {}], { senderFrame: { url: 'https://evil.example/', parent: null } }),
      invoke(['app.info', {}], { senderFrame: { url: 'file:///tmp/page.html', parent: null } }),
      invoke(['app.info', {}], { senderFrame: null }),
    ]);
    for (const reply of refusals) expect(reply).toEqual({ ok: false, error: { code: 'refused', message: 'This message does not come from the editor.' } });
    expect(call).not.toHaveBeenCalled();
  });

  it('checks every input against its schema and names the field', async () => {
    const { invoke } = await wired();
    expect(await invoke(['file.read', { path: 5 }])).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('path') } });
    expect(await invoke(['key.set', { key: '' , remember: true }])).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('key') } });
    expect(await invoke(['settings.set', { concurrency: 99 }])).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('concurrency') } });
    expect(await invoke(['no.such.op', {}])).toMatchObject({ ok: false, error: { code: 'unknown-op' } });
    expect(await invoke([{ op: 'app.info' }, {}])).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await invoke(['__proto__', {}])).toMatchObject({ ok: false, error: { code: 'unknown-op' } });
  });

  it('checks desktop operations against the desktop contract before the dialog opens', async () => {
    const { invoke, dialogOpen } = await wired();
    expect(await invoke(['dialog.open', { defaultPath: 7 }])).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('defaultPath') } });
    expect(dialogOpen).not.toHaveBeenCalled();
    expect(await invoke(['dialog.open', {}])).toEqual({ ok: true, value: { path: '/picked.wgraph.json' } });
  });

  it('never lets the API key out, in answers or errors', async () => {
    const { invoke } = await wired();
    const key = 'rw-secret-key-1234567890';
    const set = await invoke(['key.set', { key, remember: false }]);
    expect(set).toMatchObject({ ok: true, value: { key: { set: true } } });
    const replies = [set, await invoke(['settings.get', {}]), await invoke(['key.set', { key: `${key} two`, remember: false }])];
    expect(JSON.stringify(replies)).not.toContain(key);
  });

  it('pushes host events to its windows, skipping destroyed ones, until unwired', async () => {
    const { h, window, unwire, handlers } = await wired();
    await h.call('settings.set', { concurrency: 3 });
    expect(window.sent.some((m) => m.channel === IPC.hostEvent && (m.payload as { type: string }).type === 'settings')).toBe(true);
    window.destroyed = true;
    const before = window.sent.length;
    await h.call('settings.set', { concurrency: 4 });
    expect(window.sent.length).toBe(before);
    window.destroyed = false;
    unwire();
    await h.call('settings.set', { concurrency: 5 });
    expect(window.sent.length).toBe(before);
    expect(handlers.has(IPC.call)).toBe(false);
  });

  it('tells the app about successful operations only (recent documents)', async () => {
    const after = vi.fn();
    const { invoke } = await wired({ after });
    await invoke(['file.read', { path: '/no/such/file.wgraph.json' }]);
    expect(after).not.toHaveBeenCalled();
    await invoke(['recent.list', {}]);
    expect(after).toHaveBeenCalledWith('recent.list', {}, { files: [] });
  });
});
