import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleOp, streamEvents, type WebService } from './api';
import { climbsOut } from '../host/serving-rules';
import { serveMedia, serveStatic } from './file-responses';
import { checkOrigin, checkToken, COOKIE, sameToken } from './guard';
import { baseHeaders, plain } from './respond';

// Browser mode: the editor's built files and the host contract over HTTP, on 127.0.0.1 only,
// for whoever holds this start's token.

export interface WebServerOptions {
  service: WebService;
  /** The renderer's build (out/renderer). */
  staticDir: string;
  port?: number;
  /** Where unexpected host errors are written (already free of the key). */
  log?: (line: string) => void;
}

export interface WebServer {
  /** The link to open: it carries the token, which becomes a cookie on first use. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}


export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = randomBytes(32).toString('hex');
  const log = opts.log ?? (() => undefined);
  const streams = new Set<() => void>();
  let port = 0;

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    baseHeaders(res);
    const origin = checkOrigin(req, port);
    if (!origin.ok) return plain(res, origin.status, origin.message);
    const raw = req.url ?? '/';
    if (!raw.startsWith('/')) return plain(res, 400, 'Bad request.');
    const url = new URL(`http://127.0.0.1${raw}`);
    const rawPath = raw.split('?')[0]!;
    // checked before URL parsing, which would quietly drop the `..` (encoded or not)
    if (climbsOut(rawPath)) return plain(res, 403, 'Forbidden.');

    // the printed link: trade the token in the query for a cookie, and drop it from the address bar
    if (req.method === 'GET' && rawPath === '/' && url.searchParams.has('token')) {
      if (!sameToken(url.searchParams.get('token') ?? '', token)) return plain(res, 401, 'This link has an old or wrong token: use the one wan-graph serve printed last.');
      res.writeHead(303, { location: '/', 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`, 'cache-control': 'no-store' });
      return void res.end();
    }
    const auth = checkToken(req, token);
    if (!auth.ok) return plain(res, auth.status, auth.message);

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return plain(res, 405, 'Use GET.', { allow: 'GET' });
      const close = streamEvents(opts.service, req, res);
      streams.add(close);
      return void req.on('close', () => streams.delete(close));
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return plain(res, 405, 'Use POST.', { allow: 'POST' });
      return handleOp(opts.service, url.pathname.slice('/api/'.length), req, res, log);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Use GET.', { allow: 'GET, HEAD' });
    if (url.pathname === '/media') return serveMedia(opts.service, req, res, url.searchParams.get('path'));
    return serveStatic(opts.staticDir, req, res, url.pathname);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      log(`${req.method} ${req.url?.split('?')[0]}: ${opts.service.errorOf(e).error.message}`);
      if (!res.headersSent) plain(res, 500, 'Something went wrong on the host.');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const close of streams) close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
