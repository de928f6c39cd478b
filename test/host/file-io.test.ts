import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readGraphFile, writeFileAtomic } from '../../app/host/file-io';
import { registry } from '../../nodes';
import { fsFaults } from '../fs-faults';

// Full disks and unwritable folders are injected at the fs boundary: CI runs as root, which
// writes anywhere, so chmod would prove nothing there.
vi.mock('node:fs/promises', async (real) => (await import('../fs-faults')).withFaults(await real()));
afterEach(() => void fsFaults.splice(0));

const GOOD = 'graphs/volcanic-salt-flats-procession.wgraph.json';

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-files-'));
    const path = join(dir, 'graph.wgraph.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new contents');
    expect(await readFile(path, 'utf8')).toBe('new contents');
    expect(await readdir(dir)).toEqual(['graph.wgraph.json']);
  });

  it('fails without touching the old file when the folder cannot be written, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-files-'));
    const path = join(dir, 'graph.wgraph.json');
    await writeFile(path, 'old');
    fsFaults.push({ op: 'open', code: 'EACCES', when: (p) => p.startsWith(dir) });
    await expect(writeFileAtomic(path, 'new')).rejects.toMatchObject({ code: 'EACCES', message: `cannot write "${path}": permission denied` });
    fsFaults.splice(0);
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['graph.wgraph.json']);
  });

  it('fails without touching the old file, or leaving a part behind, when the disk is full', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-files-'));
    const path = join(dir, 'graph.wgraph.json');
    await writeFile(path, 'old');
    fsFaults.push({ op: 'write', code: 'ENOSPC', when: (p) => p.startsWith(dir) });
    await expect(writeFileAtomic(path, 'new')).rejects.toMatchObject({ code: 'ENOSPC', message: `cannot write "${path}": no space left on the device` });
    fsFaults.splice(0);
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['graph.wgraph.json']);
  });
});

describe('readGraphFile', () => {
  it('turns I/O failures into load errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-files-'));
    expect(await readGraphFile(join(dir, 'missing.json'), registry)).toMatchObject({ ok: false, errors: [{ message: 'no such file or folder' }] });
    expect(await readGraphFile(dir, registry)).toMatchObject({ ok: false, errors: [{ message: 'a folder, not a graph file' }] });
    fsFaults.push({ op: 'open', code: 'EACCES', when: (p) => p.endsWith('locked.wgraph.json') });
    await writeFile(join(dir, 'locked.wgraph.json'), await readFile(GOOD));
    expect(await readGraphFile(join(dir, 'locked.wgraph.json'), registry)).toMatchObject({ ok: false, errors: [{ message: 'permission denied' }] });
  });

  it('loads a regular file and gives its text and full path', async () => {
    const read = await readGraphFile(GOOD, registry);
    expect(read).toMatchObject({ ok: true, path: join(process.cwd(), GOOD), text: await readFile(GOOD, 'utf8') });
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO and a device at once instead of reading forever (no mkfifo or /dev/zero on Windows)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-files-'));
    const fifo = join(dir, 'pipe.wgraph.json');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero', '/dev/urandom']) {
      expect(await readGraphFile(path, registry), path).toMatchObject({ ok: false, errors: [{ code: 'unreadable', message: 'not a regular file (a pipe, a device or a socket)' }] });
    }
  });
});
