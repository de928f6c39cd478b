import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startWebServer, type WebServer } from '../../app/web/server';
import { openHarness, type Harness } from '../host/service-helpers';

// The browser-mode server on a fresh host service for each test of a file that calls
// serveEachTest(): it serves an editor folder, and a folder outside it holds secrets. Raw HTTP
// reaches it. The exported bindings are live: they name the running test's server.

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export let h: Harness;
export let web: WebServer;
export let staticDir: string;
export let outside: string;

/** A raw request: the path is sent exactly as given, headers too (Host included). */
export function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: web.port, method, path, headers: { host: `127.0.0.1:${web.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, body: b, text: b.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const cookie = () => ({ cookie: `wan_token=${web.token}` });
export const api = (op: string, input: unknown, headers: Record<string, string> = { ...cookie(), origin: web.origin }) =>
  send('POST', `/api/${op}`, { 'content-type': 'application/json', ...headers }, JSON.stringify(input));

export function serveEachTest(): void {
  beforeEach(async () => {
    h = await openHarness();
    staticDir = await mkdtemp(join(tmpdir(), 'wan-static-'));
    outside = await mkdtemp(join(tmpdir(), 'wan-outside-'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Wan Graph</title><script src="/assets/app.js"></script>');
    await mkdir(join(staticDir, 'assets'));
    await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(outside, 'secret.txt'), 'top secret');
    await writeFile(join(outside, 'secret.mp4'), Buffer.alloc(500, 7));
    web = await startWebServer({ service: h.service, staticDir });
  });

  afterEach(async () => {
    await web.close();
    await h.close();
  });
}
