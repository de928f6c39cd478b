import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { byteHeaders, findMedia, findStatic, parseRange, type Found } from '../host/serving-rules';
import type { WebService } from './api';
import { CSP, plain } from './respond';

// Files the browser may fetch: library videos (with HTTP Range so the player can seek) and the
// editor's own built files, chosen by the rules in host/serving-rules.

function send(req: IncomingMessage, res: ServerResponse, found: Found, extra: Record<string, string>, rangeHeader?: string): void {
  const range = parseRange(rangeHeader, found.size);
  if (range === 'unsatisfiable') return plain(res, 416, 'Range not satisfiable.', { 'content-range': `bytes */${found.size}`, 'accept-ranges': 'bytes' });
  const { status, headers } = byteHeaders(found, range, extra);
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || headers['content-length'] === '0') return void res.end();
  const stream = createReadStream(found.file, range ?? {});
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

export async function serveMedia(service: WebService, req: IncomingMessage, res: ServerResponse, path: string | null): Promise<void> {
  const found = await findMedia(path, (real) => service.isMediaAllowed(real));
  if (!found.ok) return plain(res, found.status, found.message);
  send(req, res, found, { 'accept-ranges': 'bytes', 'cache-control': 'no-cache' }, req.headers.range);
}

export async function serveStatic(staticRoot: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const found = await findStatic(staticRoot, pathname);
  if (!found.ok) return plain(res, found.status, found.message);
  send(req, res, found, { 'cache-control': 'no-cache', 'content-security-policy': CSP });
}
