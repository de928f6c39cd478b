import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeGraph } from '../../app/core/save';
import { DEFAULT_SETTINGS } from '../../app/host/service/settings-store';
import { chooseTarget, NO_KEY_NOTICE } from '../../app/host/service/targets';
import { BROWSER_REMEMBER_NOTE, SessionSecretStore } from '../../app/host/service/secrets';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { loadFile, turboSweep } from '../helpers';
import { smallGraph } from './runner-helpers';
import { AURORA, EXAMPLES, harnesses } from './service-helpers';

const exec = promisify(execFile);
const open = harnesses();
const servers: SandboxServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const tmp = (prefix: string) => mkdtemp(join(tmpdir(), prefix));
/** Decodes every frame: the file plays, not merely exists. */
const plays = async (file: string) => {
  await exec('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', file]);
  return stdout.includes('video');
};

describe('HostService settings', () => {
  it('persists settings across starts', async () => {
    const h = await open();
    const view = await h.call('settings.set', { endpoint: 'sandbox', concurrency: 5 });
    expect(view.settings).toMatchObject({ endpoint: 'sandbox', concurrency: 5 });
    expect(h.events.some((e) => e.type === 'settings' && e.view.settings.concurrency === 5)).toBe(true);
    await h.close();
    const again = await open({ dataDir: h.dataDir });
    expect((await again.call('settings.get', {})).settings).toEqual({ endpoint: 'sandbox', concurrency: 5 });
    expect(JSON.parse(await readFile(join(h.dataDir, 'settings.json'), 'utf8'))).toEqual({ endpoint: 'sandbox', concurrency: 5 });
  });

  it('survives a broken settings file: defaults, the file moved aside, and saving works again', async () => {
    for (const broken of ['{"endpoint": "runware", "concurr', '{"endpoint": "moon", "concurrency": 2}']) {
      const dataDir = await tmp('wan-service-');
      await writeFile(join(dataDir, 'settings.json'), broken);
      const h = await open({ dataDir });
      expect((await h.call('settings.get', {})).settings).toEqual(DEFAULT_SETTINGS);
      const aside = (await readdir(dataDir)).filter((f) => f.startsWith('settings.json.broken-'));
      expect(aside).toHaveLength(1);
      expect(await readFile(join(dataDir, aside[0]!), 'utf8')).toBe(broken);
      await h.call('settings.set', { concurrency: 3 });
      expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'))).toEqual({ endpoint: 'runware', concurrency: 3 });
    }
  });

  it('refuses a custom endpoint without an http(s) URL, naming the field', async () => {
    const h = await open();
    expect(await h.failure('settings.set', { endpoint: 'custom', customUrl: 'ftp://example.com' })).toMatchObject({ code: 'bad-input', message: expect.stringContaining('customUrl') });
    expect(await h.failure('settings.set', { concurrency: 99 })).toMatchObject({ code: 'bad-input', message: expect.stringContaining('concurrency') });
    expect(await h.failure('settings.set', { libraryDir: 'videos' })).toMatchObject({ code: 'bad-input', message: expect.stringContaining('libraryDir') });
    const lib = await tmp('wan-lib-');
    expect((await h.call('settings.set', { libraryDir: lib })).libraryDir).toBe(lib);
    expect((await h.call('settings.set', { libraryDir: '' })).libraryDir).toBe(join(h.dataDir, 'library'));
  });
});

describe('HostService library folder', () => {
  it('refuses a library folder that is a filesystem root, a system folder, or the home folder (or above it), saying why', async () => {
    const h = await open();
    const home = homedir();
    for (const dir of ['/', '/etc', '/usr', '/usr/lib', '/proc', '/var', '/tmp', home, dirname(home), `${home}/`, `${home}/.`]) {
      const failure = await h.failure('settings.set', { libraryDir: dir });
      expect(failure, dir).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/^libraryDir: .* choose a folder of its own/) });
    }
    expect((await h.call('settings.get', {})).libraryDir).toBe(join(h.dataDir, 'library'));
    const lib = await tmp('wan-lib-');
    expect((await h.call('settings.set', { libraryDir: lib })).libraryDir).toBe(lib);
    expect((await h.call('settings.set', { libraryDir: join(home, 'Videos', 'wan-graph') })).libraryDir).toBe(join(home, 'Videos', 'wan-graph'));
  });

  it('does not use such a folder from a settings file edited by hand, nor serve media from it', async () => {
    const dataDir = await tmp('wan-service-');
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ endpoint: 'sandbox', concurrency: 2, libraryDir: '/' }));
    const h = await open({ dataDir });
    expect((await h.call('settings.get', {})).libraryDir).toBe(join(dataDir, 'library'));
    const outside = await tmp('wan-outside-');
    await writeFile(join(outside, 'private.mp4'), Buffer.alloc(100, 1));
    expect(await h.service.isMediaAllowed(join(outside, 'private.mp4'))).toBe(false);
  });
});

describe('HostService key and target', () => {
  it('with no key, runs go to the sandbox and the view says so', async () => {
    const h = await open();
    const view = await h.call('settings.get', {});
    expect(view.key).toMatchObject({ set: false, source: 'none' });
    expect(view.target).toMatchObject({ sandbox: true, notice: NO_KEY_NOTICE });
    expect(view.target.notice).toBe('No API key: runs go to the local sandbox — placeholder videos marked SANDBOX, nothing is billed.');
  });

  it('a key from the environment is used and said to come from there', async () => {
    const h = await open({ env: { RUNWARE_API_KEY: 'rw-env-key-0123456789abcdef' } });
    const view = await h.call('settings.get', {});
    expect(view.key).toMatchObject({ set: true, source: 'environment' });
    expect(view.target).toMatchObject({ sandbox: false, url: 'https://api.runware.ai/v1' });
  });

  it('a key that is set is used, and appears in no output, event, error or file of the data folder', async () => {
    const key = 'rw-SECRET-service-9c1d2e4b6a7f8f3a';
    const endpoint = await startSandbox({ generationMs: 100, apiKeys: [key] });
    servers.push(endpoint);
    const h = await open();
    const set = await h.call('key.set', { key, remember: true });
    expect(set.key).toMatchObject({ set: true, source: 'session', note: BROWSER_REMEMBER_NOTE });
    expect(set.target.sandbox).toBe(false);
    const custom = await h.call('settings.set', { endpoint: 'custom', customUrl: endpoint.url });
    expect(custom.target).toMatchObject({ sandbox: false, notice: expect.stringContaining('with your API key') });

    // the sandbox refuses a run without the right key: this one is accepted (with its cost, so
    // the ledger is among the files searched)
    const { doc } = smallGraph(1, {}, undefined, { includeCost: true });
    const run = await h.call('jobs.run', { text: serializeGraph(doc) });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    const done = await h.waitFor(run.jobs[0]!.id);
    expect(done.job.state, JSON.stringify(done.job.error)).toBe('done');

    // every other operation, and a few failures
    for (const op of ['app.info', 'settings.get', 'recent.list', 'autosave.read', 'jobs.list'] as const) await h.call(op, {});
    await h.call('file.list', {});
    await h.failure('file.read', { path: join(h.dataDir, 'nope.wgraph.json') });
    await h.failure('key.set', { key: `${key} ${key}`, remember: false });
    await h.failure('jobs.cancel', { id: key });
    await h.failure('settings.set', { endpoint: 'custom', customUrl: key });
    expect(h.service.errorOf(new Error(`boom ${key}`)).error.message).not.toContain(key);

    const leaks = h.outputs.filter((o) => o.includes(key));
    expect(leaks).toEqual([]);
    let searched = 0;
    for (const entry of await readdir(h.dataDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      searched++;
      expect((await readFile(join(entry.parentPath, entry.name))).includes(key), entry.name).toBe(false);
    }
    expect(searched).toBeGreaterThan(4);

    const cleared = await h.call('key.clear', {});
    expect(cleared.key.set).toBe(false);
  });

  it('never sends the key over plain http to another machine', async () => {
    const h = await open({ env: { RUNWARE_API_KEY: 'rw-env-key-0123456789abcdef' } });
    const view = await h.call('settings.set', { endpoint: 'custom', customUrl: 'http://192.0.2.10:8080/v1' });
    expect(view.target).toMatchObject({ sandbox: false, url: 'http://192.0.2.10:8080/v1' });
    expect(view.target.notice).toContain('the API key is not sent there');
    const settings = view.settings;
    expect(chooseTarget(settings, 'rw-key').apiKey).toBeUndefined();
    expect(chooseTarget({ ...settings, customUrl: 'https://example.com/v1' }, 'rw-key').apiKey).toBe('rw-key');
    expect(chooseTarget({ ...settings, customUrl: 'http://localhost:9000/v1' }, 'rw-key').apiKey).toBe('rw-key');
  });

  it('a session store keeps a key only for the session', async () => {
    const store = new SessionSecretStore({});
    await store.set('rw-abc-123456', false);
    expect(await store.status()).toMatchObject({ set: true, source: 'session' });
    expect((await store.status()).note).toBeUndefined();
    await store.clear();
    expect(await store.get()).toBeUndefined();
  });
});

describe('HostService files', () => {
  it('writes only .wgraph.json files, atomically, and reads them back', async () => {
    const h = await open();
    const dir = await tmp('wan-files-');
    const text = await readFile(AURORA, 'utf8');
    for (const name of ['graph.json', 'notes.txt', 'graph.wgraph.json.bak']) {
      expect(await h.failure('file.write', { path: join(dir, name), text })).toMatchObject({ code: 'refused', message: expect.stringContaining(name) });
    }
    expect(await readdir(dir)).toEqual([]);
    const path = join(dir, 'mine.wgraph.json');
    expect(await h.call('file.write', { path, text })).toEqual({ path });
    expect(await h.call('file.read', { path })).toEqual({ path, text, name: 'mine.wgraph.json' });
    expect(await readdir(dir)).toEqual(['mine.wgraph.json']);
    const missing = await h.failure('file.read', { path: join(dir, 'gone.wgraph.json') });
    expect(missing).toMatchObject({ code: 'unreadable', message: expect.stringContaining('gone.wgraph.json') });
    expect(await h.failure('file.read', { path: dir })).toMatchObject({ code: 'refused', message: expect.stringContaining('not a graph file') });
  });

  it('reads only graph files: by extension and content, never another file the user can read', async () => {
    const h = await open();
    const dir = await tmp('wan-read-');
    const text = await readFile(AURORA, 'utf8');
    // a graph kept as plain .json opens, as a dropped one does
    await writeFile(join(dir, 'graph.json'), text);
    expect(await h.call('file.read', { path: join(dir, 'graph.json') })).toEqual({ path: join(dir, 'graph.json'), text, name: 'graph.json' });
    // a graph file with a problem still opens, so the editor can say what the problem is
    const newer = text.replace('"version": 1', '"version": 99');
    await writeFile(join(dir, 'newer.wgraph.json'), newer);
    expect((await h.call('file.read', { path: join(dir, 'newer.wgraph.json') })).text).toBe(newer);
    await writeFile(join(dir, 'credentials.json'), '{"auths": {"registry.example": {"auth": "c2VjcmV0LXRva2Vu"}}}');
    await writeFile(join(dir, 'graph.wgraph.json.txt'), text);
    for (const path of ['/etc/passwd', '/etc/hostname', join(dir, 'graph.wgraph.json.txt'), join(dir, 'credentials.json')]) {
      const failure = await h.failure('file.read', { path });
      expect(failure, path).toMatchObject({ code: 'refused', message: expect.stringContaining(path) });
      expect(failure.message).toMatch(/is not a graph file/);
      expect(failure.message).not.toContain('c2VjcmV0');
    }
    // what is wrong is said when saying it tells nothing of the content
    await writeFile(join(dir, 'empty.wgraph.json'), '');
    expect(await h.failure('file.read', { path: join(dir, 'empty.wgraph.json') })).toEqual({ code: 'refused', message: `"${join(dir, 'empty.wgraph.json')}" is not a graph file: the file is empty` });
    // a graph file damaged past parsing says what it is: the editor shows where it breaks
    await writeFile(join(dir, 'broken.wgraph.json'), text.slice(0, 200));
    expect((await h.call('file.read', { path: join(dir, 'broken.wgraph.json') })).text).toBe(text.slice(0, 200));
    await writeFile(join(dir, 'broken-secret.json'), '{"token": "c2VjcmV0LXRva2Vu');
    expect((await h.failure('file.read', { path: join(dir, 'broken-secret.json') })).message).not.toContain('c2VjcmV0');
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO or a device at once, through the same reader as the command line (no mkfifo on Windows)', async () => {
    const h = await open();
    const dir = await tmp('wan-read-');
    const fifo = join(dir, 'pipe.wgraph.json');
    await exec('mkfifo', [fifo]);
    expect(await h.failure('file.read', { path: fifo })).toEqual({ code: 'unreadable', message: `cannot read "${fifo}": not a regular file (a pipe, a device or a socket)` });
    await symlink('/dev/zero', join(dir, 'zero.wgraph.json'));
    expect(await h.failure('file.read', { path: join(dir, 'zero.wgraph.json') })).toMatchObject({ code: 'unreadable', message: expect.stringContaining('not a regular file') });
  });

  it('keeps recent files newest first, at most 12, and drops missing ones', async () => {
    const h = await open();
    const dir = await tmp('wan-recent-');
    const text = await readFile(AURORA, 'utf8');
    const paths: string[] = [];
    for (let k = 0; k < 14; k++) {
      const path = join(dir, `g${k}.wgraph.json`);
      await h.call('file.write', { path, text });
      paths.push(path);
    }
    await h.call('file.read', { path: paths[3]! });
    let { files } = await h.call('recent.list', {});
    expect(files).toHaveLength(12);
    expect(files[0]).toBe(paths[3]);
    expect(files[1]).toBe(paths[13]);
    await rm(paths[13]!);
    ({ files } = await h.call('recent.list', {}));
    expect(files).not.toContain(paths[13]);
    expect(files[0]).toBe(paths[3]);
    // examples open as untitled copies: reading one leaves the list as it was
    await h.call('file.read', { path: AURORA });
    expect((await h.call('recent.list', {})).files).toEqual(files);
    await h.call('recent.clear', {});
    expect((await h.call('recent.list', {})).files).toEqual([]);
  });

  it('lists folders and graph files, skipping hidden entries; by default the examples, then the last folder used', async () => {
    const h = await open();
    const examples = await h.call('file.list', {});
    expect(examples.dir).toBe(EXAMPLES);
    expect(examples.entries.map((e) => e.name)).toContain(basename(AURORA));
    expect(examples.entries.every((e) => e.kind === 'graph' && e.name.endsWith('.wgraph.json'))).toBe(true);

    const dir = await tmp('wan-list-');
    await mkdir(join(dir, 'sub'));
    await mkdir(join(dir, '.hidden'));
    for (const f of ['b.wgraph.json', 'a.wgraph.json', '.secret.wgraph.json', 'notes.txt']) await writeFile(join(dir, f), '{}');
    const listed = await h.call('file.list', { dir });
    expect(listed).toEqual({
      dir,
      parent: dirname(dir),
      entries: [
        { name: 'sub', path: join(dir, 'sub'), kind: 'dir' },
        { name: 'a.wgraph.json', path: join(dir, 'a.wgraph.json'), kind: 'graph' },
        { name: 'b.wgraph.json', path: join(dir, 'b.wgraph.json'), kind: 'graph' },
      ],
    });
    expect((await h.call('file.list', {})).dir).toBe(dir);
    expect(await h.failure('file.list', { dir: join(dir, 'a.wgraph.json') })).toMatchObject({ code: 'unreadable' });
  });

  it('autosave keeps each tab, the order of the tabs and the one in front', async () => {
    const h = await open();
    expect(await h.call('autosave.read', {})).toEqual({ tabs: [] });
    const text = await readFile(AURORA, 'utf8');
    await h.call('autosave.write', { id: 'tab-a', text, path: AURORA, dirty: true });
    await h.call('autosave.write', { id: 'tab-b', text: '{"x":1}', dirty: false });
    await h.call('autosave.session', { ids: ['tab-b', 'tab-a'], active: 'tab-a' });
    const back = await h.call('autosave.read', {});
    expect(back.active).toBe('tab-a');
    expect(back.tabs.map((t) => t.id)).toEqual(['tab-b', 'tab-a']);
    expect(back.tabs[1]).toMatchObject({ id: 'tab-a', text, path: AURORA, dirty: true });
    expect(back.tabs[1]!.savedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(back.tabs[0]).toMatchObject({ text: '{"x":1}', dirty: false });
    expect(back.tabs[0]!.path).toBeUndefined();

    // a closed tab's copy goes; the next start brings back the others
    await h.call('autosave.remove', { id: 'tab-b' });
    await h.call('autosave.session', { ids: ['tab-a'], active: 'tab-a' });
    await h.close();
    const again = await open({ dataDir: h.dataDir });
    expect((await again.call('autosave.read', {})).tabs.map((t) => t.id)).toEqual(['tab-a']);
  });

  it('brings back unsaved work of a tab missing from the session, but not a clean one', async () => {
    const h = await open();
    await h.call('autosave.write', { id: 'kept', text: '{"k":1}', dirty: false });
    await h.call('autosave.write', { id: 'lost-unsaved', text: '{"u":1}', dirty: true });
    await h.call('autosave.write', { id: 'lost-clean', text: '{"c":1}', dirty: false });
    await h.call('autosave.session', { ids: ['kept'] });
    const back = await h.call('autosave.read', {});
    expect(back.tabs.map((t) => t.id)).toEqual(['kept', 'lost-unsaved']);
    expect(back.active).toBeUndefined();
  });

  it("recovers an older version's single working graph as a tab, once", async () => {
    const dataDir = await tmp('wan-legacy-');
    await mkdir(join(dataDir, 'autosave'), { recursive: true });
    const text = await readFile(AURORA, 'utf8');
    await writeFile(join(dataDir, 'autosave', 'working.wgraph.json'), text);
    await writeFile(join(dataDir, 'autosave', 'working.meta.json'), JSON.stringify({ path: AURORA, dirty: true, savedAt: 1234 }) + '\n');
    const h = await open({ dataDir });
    const back = await h.call('autosave.read', {});
    expect(back).toEqual({ tabs: [{ id: 'working', text, path: AURORA, dirty: true, savedAt: 1234 }], active: 'working' });
    // moved into the tabs: it comes back as that tab, not a second time
    expect(await readdir(join(dataDir, 'autosave'))).not.toContain('working.wgraph.json');
    expect((await h.call('autosave.read', {})).tabs.map((t) => t.id)).toEqual(['working']);
    await h.call('autosave.remove', { id: 'working' });
    await h.call('autosave.session', { ids: [] });
    expect(await h.call('autosave.read', {})).toEqual({ tabs: [] });
  });

  it('refuses a tab id that is not a plain name', async () => {
    const h = await open();
    for (const id of ['../escape', 'a/b', '', 'x'.repeat(65)]) expect(await h.failure('autosave.write', { id, text: '{}', dirty: false })).toMatchObject({ code: 'bad-input' });
    expect(await h.failure('autosave.session', { ids: ['..'] })).toMatchObject({ code: 'bad-input' });
  });

  it('jobs carry the document they were run from', async () => {
    const h = await open();
    const run = await h.call('jobs.run', { text: serializeGraph(smallGraph(1).doc), docId: 'tab-1' });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    expect(run.jobs[0]).toMatchObject({ docId: 'tab-1' });
    const done = await h.waitFor(run.jobs[0]!.id);
    expect(done.job.docId).toBe('tab-1');
    expect((await h.call('jobs.list', {})).jobs[0]!.docId).toBe('tab-1');
    expect(await h.failure('jobs.run', { text: '{}', docId: '../x' })).toMatchObject({ code: 'bad-input' });
  }, 60_000);

  it('imports real images only, keeping them by content hash under their own name', async () => {
    const h = await open();
    const refused = await h.failure('image.import', { name: 'evil.png', base64: Buffer.from('#EXTM3U\nhttp://example.com/x\n').toString('base64') });
    expect(refused).toMatchObject({ code: 'not-an-image', message: expect.stringContaining('evil.png') });
    const png = join(await tmp('wan-img-'), 'red.png');
    await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=red:s=16x8', '-frames:v', '1', png]);
    const bytes = await readFile(png);
    const { path } = await h.call('image.import', { name: 'red.png', base64: bytes.toString('base64') });
    expect(dirname(dirname(path))).toBe(join(h.dataDir, 'images'));
    expect(path).toMatch(/\/[0-9a-f]{16}\/red\.png$/);
    expect(await readFile(path)).toEqual(bytes);
    const again = await h.call('image.import', { name: 'red.png', base64: `data:image/png;base64,${bytes.toString('base64')}` });
    expect(again.path).toBe(path);
    // the same bytes under another name sit beside it; a name is never a path, and its extension follows the bytes
    const other = await h.call('image.import', { name: '../../Lantern: dusk?.jpeg', base64: bytes.toString('base64') });
    expect(dirname(other.path)).toBe(dirname(path));
    expect(other.path.split('/').pop()).toBe('Lantern_ dusk_.png');
  });

  it('shows a local frame image as a data URI, by absolute path or relative to its graph, and refuses what is not an image', async () => {
    const h = await open();
    const dir = await tmp('wan-preview-');
    const png = join(dir, 'blue.png');
    await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=blue:s=16x8', '-frames:v', '1', png]);
    const expected = `data:image/png;base64,${(await readFile(png)).toString('base64')}`;
    expect((await h.call('image.preview', { image: png })).dataUri).toBe(expected);
    expect((await h.call('image.preview', { image: 'blue.png', graphFile: join(dir, 'g.wgraph.json') })).dataUri).toBe(expected);
    expect((await h.call('image.preview', { image: `file://${png}` })).dataUri).toBe(expected);
    await writeFile(join(dir, 'notes.png'), 'not an image');
    expect(await h.failure('image.preview', { image: join(dir, 'notes.png') })).toMatchObject({ code: 'not-an-image', message: expect.stringMatching(/notes\.png": not a PNG, JPEG/) });
    expect(await h.failure('image.preview', { image: join(dir, 'missing.png') })).toMatchObject({ code: 'not-an-image', message: expect.stringContaining('missing.png": no such file') });
    expect(await h.failure('image.preview', { image: 'https://example.com/a.png' })).toMatchObject({ code: 'bad-input' });
  });
});

describe('HostService jobs', () => {
  it('runs an example graph on the sandbox to a video that plays, lists it, and restores the graph from it', async () => {
    const h = await open();
    const text = await readFile(AURORA, 'utf8');
    const run = await h.call('jobs.run', { text, path: AURORA });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    expect(run.jobs).toHaveLength(1);
    expect(run.jobs[0]).toMatchObject({ graphName: 'Aurora Ice Caravan Crossing', graphFile: AURORA, sandbox: true, nodeId: 5 });
    expect(run.jobs[0]!.payload).toContain('"seed": 11662');
    const done = await h.waitFor(run.jobs[0]!.id);
    expect(done.job.state, JSON.stringify(done.job.error)).toBe('done');
    const file = done.job.results[0]!.file!;
    expect(file.startsWith(join(h.dataDir, 'sandbox', 'library'))).toBe(true);
    expect((await stat(file)).size).toBeGreaterThan(1000);
    expect(await plays(file)).toBe(true);

    const { jobs } = await h.call('jobs.list', {});
    expect(jobs[0]).toMatchObject({ id: done.job.id, state: 'done', sandbox: true });
    expect(await h.service.isMediaAllowed(file)).toBe(true);
    expect(await h.service.isMediaAllowed(AURORA)).toBe(false);
    expect(await h.service.isMediaAllowed(join(h.dataDir, 'settings.json'))).toBe(false);

    const expected = serializeGraph(loadFile(AURORA));
    const byPath = await h.call('video.graph', { path: file });
    expect(byPath).toEqual({ text: expected, seed: '11662' });
    const byBytes = await h.call('video.graph', { name: basename(file), base64: (await readFile(file)).toString('base64') });
    expect(byBytes).toEqual({ text: expected, seed: '11662' });
    // without the provenance file, the graph comes from the video's own metadata
    await rm(file.replace(/\.mp4$/, '.json'));
    expect(await h.call('video.graph', { path: file })).toEqual({ text: expected, seed: '11662' });
  }, 120_000);

  it('closing leaves unfinished jobs in the journal, and the next start resumes them without submitting again', async () => {
    const endpoint = await startSandbox({ generationMs: 1500 });
    servers.push(endpoint);
    const first = await open();
    await first.call('settings.set', { endpoint: 'custom', customUrl: endpoint.url });
    const run = await first.call('jobs.run', { text: serializeGraph(smallGraph(1).doc) });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    const id = run.jobs[0]!.id;
    await first.waitFor(id, ['processing']);
    await first.close();
    expect(first.events.filter((e) => e.type === 'job' && e.job.id === id).map((e) => e.type === 'job' && e.job.state)).not.toContain('failed');

    const second = await open({ dataDir: first.dataDir });
    expect((await second.call('jobs.list', {})).jobs[0]).toMatchObject({ id, sandbox: false });
    expect((await second.waitFor(id)).job.state).toBe('done');
    expect(endpoint.service.submissions.get(id)).toBe(1);
  }, 60_000);

  it('returns diagnostics for a graph that does not compile or load, and runs nothing', async () => {
    const h = await open();
    const raw = JSON.parse(await readFile(AURORA, 'utf8'));
    raw.nodes.find((n: { type: string }) => n.type === 'VideoInference').params.steps = 99;
    const bad = await h.call('jobs.run', { text: JSON.stringify(raw) });
    expect(bad).toMatchObject({ ok: false, diagnostics: [expect.objectContaining({ severity: 'error', nodeId: 5, field: 'steps' })] });
    const broken = await h.call('jobs.run', { text: '{"format": "wan-graph", ' });
    expect(broken).toMatchObject({ ok: false, diagnostics: [expect.objectContaining({ code: 'invalidJson' })] });
    expect((await h.call('jobs.list', {})).jobs).toEqual([]);
    expect(h.sandboxes).toEqual([]);
  });

  it('refuses a sweep over the task limit (a setting, default 200) before anything is sent', async () => {
    const h = await open();
    const text = serializeGraph(turboSweep({ seed: '1 ×3' }));
    expect(await h.failure('settings.set', { maxTasksPerRun: 0 })).toMatchObject({ code: 'bad-input' });
    expect((await h.call('settings.set', { maxTasksPerRun: 2 })).settings.maxTasksPerRun).toBe(2);
    const refused = await h.call('jobs.run', { text });
    expect(refused).toMatchObject({ ok: false, diagnostics: [expect.objectContaining({ code: 'tooManyTasks', nodeId: 3, message: 'this sweep makes 3 tasks; a run sends at most 2 (Settings › Max tasks per run)' })] });
    expect(h.sandboxes).toEqual([]);
    await h.call('settings.set', { maxTasksPerRun: 3 });
    const run = await h.call('jobs.run', { text });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    expect(run.jobs).toHaveLength(3);
    for (const j of run.jobs) await h.call('jobs.cancel', { id: j.id });
  });

  it('runs only the chosen nodes, and cancels a job', async () => {
    const h = await open();
    const { doc, vis } = smallGraph(3, { duration: 5 });
    const run = await h.call('jobs.run', { text: serializeGraph(doc), nodeIds: [vis[1]!] });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    expect(run.jobs.map((j) => j.nodeId)).toEqual([vis[1]]);
    await h.call('jobs.cancel', { id: run.jobs[0]!.id });
    expect((await h.waitFor(run.jobs[0]!.id)).job.state).toBe('cancelled');
    expect(await h.failure('jobs.cancel', { id: 'no-such-job' })).toMatchObject({ code: 'not-found' });
    expect(await h.failure('jobs.run', { text: serializeGraph(doc), nodeIds: [999] })).toMatchObject({ code: 'bad-input' });
  });

  it('says clearly when a video carries no graph, and reveals only library files', async () => {
    const h = await open();
    const plain = join(await tmp('wan-video-'), 'plain.mp4');
    await exec('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=blue:s=64x64:d=1', '-pix_fmt', 'yuv420p', plain]);
    expect(await h.failure('video.graph', { path: plain })).toMatchObject({ code: 'no-graph', message: expect.stringContaining('plain.mp4') });
    expect(await h.failure('video.graph', { name: 'dropped.mp4', base64: (await readFile(plain)).toString('base64') })).toMatchObject({ code: 'no-graph' });
    expect(await h.failure('library.reveal', { path: plain })).toMatchObject({ code: 'refused' });
    // a link inside the library that leads out is not a library file
    await mkdir(join(h.dataDir, 'library'), { recursive: true });
    await symlink(plain, join(h.dataDir, 'library', 'link.mp4'));
    expect(await h.service.isMediaAllowed(join(h.dataDir, 'library', 'link.mp4'))).toBe(false);
    expect(await h.failure('library.reveal', { path: join(h.dataDir, 'library', 'link.mp4') })).toMatchObject({ code: 'refused' });
  });

  it('app.info lists the examples by name', async () => {
    const h = await open();
    const info = await h.call('app.info', {});
    expect(info).toMatchObject({ version: '0.0.0-test', shell: 'web', dataDir: h.dataDir });
    expect(info.examples).toContainEqual({ name: 'Aurora Ice Caravan Crossing', path: AURORA });
  });
});
