import { mkdtemp, readdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGraphFile, writeFileAtomic } from '../../app/host/files';
import { registry } from '../../nodes';

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-files-'));
    const path = join(dir, 'graph.wgraph.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new contents');
    expect(await readFile(path, 'utf8')).toBe('new contents');
    expect(await readdir(dir)).toEqual(['graph.wgraph.json']);
  });

  it('fails without touching the old file when the folder cannot be written', async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere; nothing to prove here
    const dir = await mkdtemp(join(tmpdir(), 'wan-files-'));
    const path = join(dir, 'graph.wgraph.json');
    await writeFile(path, 'old');
    await chmod(dir, 0o500);
    await expect(writeFileAtomic(path, 'new')).rejects.toThrow();
    await chmod(dir, 0o700);
    expect(await readFile(path, 'utf8')).toBe('old');
  });
});

describe('readGraphFile', () => {
  it('turns I/O failures into load errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-files-'));
    expect(await readGraphFile(join(dir, 'missing.json'), registry)).toMatchObject({ ok: false, errors: [{ message: 'no such file' }] });
    expect(await readGraphFile(dir, registry)).toMatchObject({ ok: false, errors: [{ message: 'a folder, not a graph file' }] });
  });
});
