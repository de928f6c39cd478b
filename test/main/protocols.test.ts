import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_CSP, editorProtocol, mediaProtocol, SCHEMES } from '../../app/main/protocols';

// app:// and media:// answered from real files, with web Request and Response as Electron uses.

let root: string;
let rendererDir: string;
let library: string;
let video: string;
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wan-protocols-'));
  rendererDir = join(root, 'renderer');
  library = join(root, 'library');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await mkdir(library);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Wan Graph</title>');
  await writeFile(join(rendererDir, 'assets', 'index.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'not for the page');
  await symlink(join(root, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  video = join(library, 'clip.mp4');
  await writeFile(video, bytes);
  await writeFile(join(root, 'outside.mp4'), bytes);
  await writeFile(join(library, 'notes.txt'), 'text');
});

const get = (url: string, init: RequestInit = {}) => new Request(url, init);

describe('app://editor', () => {
  const app = () => editorProtocol(rendererDir);

  it('serves the built editor with a strict Content-Security-Policy', async () => {
    const res = await app()(get('app://editor/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('Wan Graph');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(DESKTOP_CSP);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/media-src media: blob:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await app()(get('app://editor/assets/index.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    expect((await app()(get('app://editor/'))).status).toBe(200);
  });

  it('never leaves its folder: .. (plain or encoded), links out, other hosts', async () => {
    for (const url of ['app://editor/../secret.txt', 'app://editor/assets/%2e%2e/%2e%2e/secret.txt', 'app://editor/assets/..%2f..%2fsecret.txt', 'app://editor/%2E%2E/secret.txt']) {
      const res = await app()(get(url));
      // URL parsing may already have resolved a plain `..` away (then the file is simply not there)
      expect([403, 404], url).toContain(res.status);
      expect(await res.text()).not.toContain('not for the page');
    }
    expect((await app()(get('app://editor/assets/..%2f..%2fsecret.txt'))).status).toBe(403);
    expect((await app()(get('app://editor/assets/link.txt'))).status).toBe(403);
    expect((await app()(get('app://other/index.html'))).status).toBe(404);
    expect((await app()(get('app://editor/missing.js'))).status).toBe(404);
    expect((await app()(get('app://editor/assets'))).status).toBe(404);
    expect((await app()(get('app://editor/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('media://library', () => {
  const allowed = (real: string) => Promise.resolve(real.startsWith(library));
  const media = () => mediaProtocol(allowed);
  const url = (path: string) => `media://library/?path=${encodeURIComponent(path)}`;

  it('plays a whole library video, saying that it takes ranges', async () => {
    const res = await media()(get(url(video)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('answers a byte range with exactly those bytes, so seeking works', async () => {
    const res = await media()(get(url(video), { headers: { range: 'bytes=100-199' } }));
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(res.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes.subarray(100, 200));

    const tail = await media()(get(url(video), { headers: { range: 'bytes=-10' } }));
    expect(tail.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(990));

    const open = await media()(get(url(video), { headers: { range: 'bytes=995-' } }));
    expect(Buffer.from(await open.arrayBuffer())).toEqual(bytes.subarray(995));

    const beyond = await media()(get(url(video), { headers: { range: 'bytes=5000-' } }));
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */1000');

    const head = await media()(get(url(video), { method: 'HEAD', headers: { range: 'bytes=0-9' } }));
    expect(head.status).toBe(206);
    expect(head.body).toBeNull();
  });

  it('refuses anything outside the library, relative paths, .. and non-media files', async () => {
    const refused = [url(join(root, 'outside.mp4')), url('clip.mp4'), url(`${library}/../outside.mp4`), url(join(library, 'notes.txt')), url(join(root, 'secret.txt')), 'media://library/', 'media://library/?path=%00'];
    for (const u of refused) {
      const res = await media()(get(u));
      expect(res.status, u).toBe(403);
    }
    expect((await media()(get(url(join(library, 'gone.mp4'))))).status).toBe(404);
    expect((await media()(get(`media://other/?path=${encodeURIComponent(video)}`))).status).toBe(404);
  });
});

describe('the schemes', () => {
  it('are standard and secure; media streams, so a video plays while it loads', () => {
    const app = SCHEMES.find((s) => s.scheme === 'app')!;
    const media = SCHEMES.find((s) => s.scheme === 'media')!;
    expect(app.privileges).toMatchObject({ standard: true, secure: true });
    expect(media.privileges).toMatchObject({ standard: true, secure: true, stream: true });
    for (const s of SCHEMES) expect(s.privileges?.bypassCSP).toBeFalsy();
  });
});
