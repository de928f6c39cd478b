import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { DesktopEvent } from '../../app/core/contract';
import { graphPathsFromArgv, PendingFiles } from '../../app/main/open-files';

const CWD = resolve('/home/ann/videos');

describe('graphPathsFromArgv', () => {
  it('skips the executable even when it looks like a graph', () => {
    expect(graphPathsFromArgv(['/opt/odd.json'], CWD)).toEqual([]);
  });

  it('skips the app path of a development start and flags', () => {
    const argv = ['/usr/lib/electron/electron', 'out/main/index.js', '.', '--inspect=9229', '--flag.json', '-x.json', 'lake.wgraph.json'];
    expect(graphPathsFromArgv(argv, CWD)).toEqual([resolve(CWD, 'lake.wgraph.json')]);
  });

  it('takes only .json files, in any case', () => {
    const argv = ['wan-graph', 'a.wgraph.json', 'B.JSON', 'notes.txt', 'clip.mp4', 'json', 'c.json.bak'];
    expect(graphPathsFromArgv(argv, CWD)).toEqual([resolve(CWD, 'a.wgraph.json'), resolve(CWD, 'B.JSON')]);
  });

  it('resolves relative paths against the given cwd, not the process’s', () => {
    const argv = ['wan-graph', 'sub/one.wgraph.json', '../two.json'];
    expect(graphPathsFromArgv(argv, CWD)).toEqual([resolve('/home/ann/videos/sub/one.wgraph.json'), resolve('/home/ann/two.json')]);
    expect(graphPathsFromArgv(argv, CWD)[0]).not.toBe(resolve(process.cwd(), 'sub/one.wgraph.json'));
  });

  it('keeps absolute paths as they are', () => {
    const abs = resolve('/srv/graphs/../graphs/x.wgraph.json');
    expect(graphPathsFromArgv(['wan-graph', abs], CWD)).toEqual([abs]);
  });

  it('keeps the order and has nothing for no arguments', () => {
    expect(graphPathsFromArgv(['wan-graph', 'b.json', 'a.json'], CWD)).toEqual([resolve(CWD, 'b.json'), resolve(CWD, 'a.json')]);
    expect(graphPathsFromArgv(['wan-graph'], CWD)).toEqual([]);
    expect(graphPathsFromArgv([], CWD)).toEqual([]);
  });
});

describe('PendingFiles', () => {
  const recorder = () => {
    const events: DesktopEvent[] = [];
    return { events, send: vi.fn((e: DesktopEvent) => void events.push(e)) };
  };

  it('keeps files until the editor takes them, once, without duplicates', () => {
    const p = new PendingFiles();
    p.add(['/a.json', '/b.json']);
    p.add(['/a.json']);
    p.add(['/c.json', '/b.json']);
    const { send } = recorder();
    expect(p.take(send)).toEqual(['/a.json', '/b.json', '/c.json']);
    expect(send).not.toHaveBeenCalled();
    expect(p.take(send)).toEqual([]);
  });

  it('has nothing to give when nothing was added', () => {
    expect(new PendingFiles().take(vi.fn())).toEqual([]);
  });

  it('sends files added after take to the editor at once', () => {
    const p = new PendingFiles();
    p.add(['/early.json']);
    const { events, send } = recorder();
    p.take(send);
    p.add(['/late.json', '/later.json']);
    expect(events).toEqual([
      { type: 'open-file', path: '/late.json' },
      { type: 'open-file', path: '/later.json' },
    ]);
    // nothing sent is kept for a later take
    expect(p.take(send)).toEqual([]);
  });

  it('lets files wait again once the editor’s window is gone', () => {
    const p = new PendingFiles();
    const first = recorder();
    p.take(first.send);
    p.detach();
    p.add(['/x.json', '/x.json']);
    expect(first.send).not.toHaveBeenCalled();
    const second = recorder();
    expect(p.take(second.send)).toEqual(['/x.json']);
    p.add(['/y.json']);
    expect(second.events).toEqual([{ type: 'open-file', path: '/y.json' }]);
    expect(first.send).not.toHaveBeenCalled();
  });
});
