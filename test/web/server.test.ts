import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, cookie, h, outside, send, serveEachTest, staticDir, web } from './server-harness';

// The browser-mode server over real HTTP: who may talk to it, the contract, media, files. Job
// events and a body over the limit are in server.full.test.ts (ffmpeg, 41 MB).

serveEachTest();

describe('who may talk to the server', () => {
  it('listens on 127.0.0.1 with a fresh 32-byte token', () => {
    expect(web.origin).toBe(`http://127.0.0.1:${web.port}`);
    expect(web.token).toMatch(/^[0-9a-f]{64}$/);
    expect(web.url).toBe(`${web.origin}/?token=${web.token}`);
  });

  it('refuses requests without the token, or with a wrong one (401)', async () => {
    for (const [method, path, headers] of [
      ['GET', '/', {}],
      ['GET', '/assets/app.js', {}],
      ['GET', '/api/events', {}],
      ['POST', '/api/app.info', { origin: web.origin }],
      ['GET', '/', { cookie: 'wan_token=' + '0'.repeat(64) }],
      ['POST', '/api/app.info', { 'x-wan-token': 'nope' }],
      ['GET', '/?token=wrong', {}],
    ] as const) {
      const r = await send(method, path, headers);
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.text).toMatch(/token/);
      expect(r.text).not.toContain(web.token);
    }
  });

  it('trades the token in the link for an HttpOnly SameSite=Strict cookie, which then works', async () => {
    const r = await send('GET', `/?token=${web.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['set-cookie']).toEqual([`wan_token=${web.token}; HttpOnly; SameSite=Strict; Path=/`]);
    const page = await send('GET', '/', { cookie: r.headers['set-cookie']![0]!.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Wan Graph</title>');
  });

  it('refuses a foreign Origin and a Host that is not loopback (403), even with the token', async () => {
    expect((await api('app.info', {}, { ...cookie(), origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('app.info', {}, { 'x-wan-token': web.token, origin: `http://127.0.0.1:${web.port + 1}` })).status).toBe(403);
    expect((await send('GET', '/', { ...cookie(), origin: 'null' })).status).toBe(403);
    // a page on another local port is "same-site" and would carry the cookie to a <video>
    for (const site of ['same-site', 'cross-site']) expect((await send('GET', '/', { ...cookie(), 'sec-fetch-site': site })).status, site).toBe(403);
    expect((await send('GET', '/', { ...cookie(), 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    for (const host of [`evil.example:${web.port}`, `127.0.0.1:${web.port + 1}`, '127.0.0.1', `localhost.evil.example:${web.port}`]) {
      const r = await send('GET', '/', { ...cookie(), host });
      expect(r.status, host).toBe(403);
      expect((await send('GET', `/?token=${web.token}`, { host })).headers['set-cookie']).toBeUndefined();
    }
    expect((await send('GET', '/', { ...cookie(), host: `localhost:${web.port}` })).status).toBe(200);
  });

  it('takes the request when any wan_token cookie is right: another local site may have set a stray one first', async () => {
    // cookies are not kept apart by port, so a page on another port of this machine can set one
    for (const jar of [`wan_token=junk; wan_token=${web.token}`, `other=1; wan_token=; wan_token=${web.token}; more=2`, `wan_token=${web.token}; wan_token=junk`]) {
      expect((await send('GET', '/', { cookie: jar })).status, jar).toBe(200);
      expect((await api('app.info', {}, { cookie: jar, origin: web.origin })).status, jar).toBe(200);
    }
    for (const jar of ['wan_token=junk; wan_token=also-junk', `wan_token_x=${web.token}`, `x_wan_token=${web.token}`, `wan_token=${web.token.slice(1)}`]) {
      expect((await send('GET', '/', { cookie: jar })).status, jar).toBe(401);
    }
  });

  it('takes a POST without an Origin only with the X-Wan-Token header', async () => {
    expect((await api('app.info', {}, cookie())).status).toBe(403);
    const r = await api('app.info', {}, { 'x-wan-token': web.token });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ shell: 'web' });
  });
});

describe('the contract over HTTP', () => {
  it('answers an operation with its output, with no-store and nosniff', async () => {
    const r = await api('settings.get', {});
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(JSON.parse(r.text).target.sandbox).toBe(true);
  });

  it('bad input is a 400 naming the field; an unknown operation a 404; a host failure its HostError', async () => {
    const bad = await api('file.read', { path: 42 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({ error: { code: 'bad-input', message: expect.stringMatching(/path/) } });
    expect((await send('POST', '/api/file.read', { ...cookie(), origin: web.origin }, '{nope')).status).toBe(400);
    const unknown = await api('files.delete', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error.code).toBe('unknown-op');
    const refused = await api('file.write', { path: join(outside, 'x.txt'), text: '{}' });
    expect(JSON.parse(refused.text).error).toMatchObject({ code: 'refused' });
    expect((await send('GET', '/api/app.info', cookie())).status).toBe(405);
  });
});

describe('media', () => {
  const libraryFile = async () => {
    const dir = join(h.dataDir, 'library', '2026-01-01');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'clip.mp4');
    await writeFile(file, Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256)));
    return file;
  };
  const media = (path: string, headers: Record<string, string> = {}) => send('GET', `/media?path=${encodeURIComponent(path)}`, { ...cookie(), ...headers });

  it('serves library files whole and by range', async () => {
    const file = await libraryFile();
    const whole = await media(file);
    expect(whole.status).toBe(200);
    expect(whole.headers).toMatchObject({ 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-length': '1000' });
    const part = await media(file, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 100-199/1000');
    expect([...part.body]).toEqual(Array.from({ length: 100 }, (_, i) => (100 + i) % 256));
    const tail = await media(file, { range: 'bytes=-10' });
    expect(tail.headers['content-range']).toBe('bytes 990-999/1000');
    expect(tail.body).toHaveLength(10);
    const open = await media(file, { range: 'bytes=900-' });
    expect(open.headers['content-range']).toBe('bytes 900-999/1000');
    // a suffix longer than the file is the whole file (RFC 9110 §14.1.2)
    const longer = await media(file, { range: 'bytes=-5000' });
    expect(longer.status).toBe(206);
    expect(longer.headers['content-range']).toBe('bytes 0-999/1000');
    expect(longer.body).toHaveLength(1000);
    const none = await media(file, { range: 'bytes=1000-' });
    expect(none.status).toBe(416);
    expect(none.headers['content-range']).toBe('bytes */1000');
    expect((await media(file, {})).status).toBe(200);
  });

  it('refuses traversal, files outside the library, links out of it, and other kinds of file', async () => {
    const file = await libraryFile();
    await symlink(join(outside, 'secret.mp4'), join(h.dataDir, 'library', 'link.mp4'));
    const refused = [
      `${h.dataDir}/library/../../${basename(outside)}/secret.mp4`,
      `${h.dataDir}/library/../../../..${outside}/secret.mp4`,
      join(outside, 'secret.mp4'),
      join(h.dataDir, 'library', 'link.mp4'),
      file.replace(/\.mp4$/, '.json'),
      'library/2026-01-01/clip.mp4',
    ];
    await writeFile(file.replace(/\.mp4$/, '.json'), '{}');
    for (const path of refused) {
      const r = await media(path);
      expect(r.status, path).toBe(403);
      expect(r.text).not.toContain('top secret');
    }
    expect((await media(join(h.dataDir, 'library', 'gone.mp4'))).status).toBe(404);
    expect((await send('GET', `/media?path=${encodeURIComponent(file)}`)).status).toBe(401);
  });
});

describe('files and the library through the contract', () => {
  it('file.read gives graph files only, never another file the user can read', async () => {
    const r = await api('file.read', { path: '/etc/passwd' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'refused', message: expect.stringContaining('is not a graph file') } });
    expect(r.text).not.toContain('root:');
  });

  it('refuses a filesystem root as the library folder, so /media cannot serve any video on the machine', async () => {
    const r = await api('settings.set', { libraryDir: '/' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'bad-input', message: expect.stringContaining('is the root of a file system') } });
    expect((await send('GET', `/media?path=${encodeURIComponent(join(outside, 'secret.mp4'))}`, cookie())).status).toBe(403);
  });
});

describe('static files', () => {
  it('serves the editor with a Content-Security-Policy', async () => {
    const page = await send('GET', '/', cookie());
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    const js = await send('GET', '/assets/app.js', cookie());
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text).toBe('console.log(1)');
    expect((await send('GET', '/assets/missing.js', cookie())).status).toBe(404);
  });

  it('refuses paths that leave the folder', async () => {
    const rel = `${outside.split('/').slice(-1)[0]}/secret.txt`;
    await symlink(join(outside, 'secret.txt'), join(staticDir, 'assets', 'leak.txt'));
    for (const path of [`/../${rel}`, `/assets/../../${rel}`, `/%2e%2e/${rel}`, `/..%2f${rel}`, `/assets/..%5c..%5c${rel}`, '/assets/leak.txt']) {
      const r = await send('GET', path, cookie());
      expect(r.status, path).toBe(403);
      expect(r.text).not.toContain('top secret');
    }
  });
});
