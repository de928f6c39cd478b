import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { WebService } from './api';
import { CSP, plain } from './respond';

// Files the browser may fetch: library videos (only where the service allows, with HTTP Range so
// the player can seek) and the editor's own built files. Links and `..` never lead out.

const MEDIA_TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.webm': 'video/webm', '.mov': 'video/quicktime', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** A path with a `..` segment is refused outright, before any normalising could hide it. */
export const hasDotDot = (path: string) => path.split(/[\\/]/).includes('..');

const isInside = (child: string, root: string) => {
  const rel = relative(root, child);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

type Range = { start: number; end: number } | 'unsatisfiable' | undefined;

/** One `bytes=` range (multiple ranges are answered with the whole file, as RFC 9110 allows). */
export function parseRange(header: string | undefined, size: number): Range {
  const m = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}

function send(req: IncomingMessage, res: ServerResponse, file: string, size: number, headers: Record<string, string>, range?: { start: number; end: number }): void {
  const length = range ? range.end - range.start + 1 : size;
  res.writeHead(range ? 206 : 200, { ...headers, 'content-length': String(length), ...(range && { 'content-range': `bytes ${range.start}-${range.end}/${size}` }) });
  if (req.method === 'HEAD' || length === 0) return void res.end();
  const stream = createReadStream(file, range ?? {});
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

export async function serveMedia(service: WebService, req: IncomingMessage, res: ServerResponse, path: string | null): Promise<void> {
  if (!path || !isAbsolute(path) || hasDotDot(path) || path.includes('\0')) return plain(res, 403, 'Only files in the video library can be played.');
  const type = MEDIA_TYPES[extname(path).toLowerCase()];
  if (!type) return plain(res, 403, 'Only videos and images from the library can be played.');
  const real = await realpath(path).catch(() => undefined);
  if (!real) return plain(res, 404, 'No such file.');
  if (!(await service.isMediaAllowed(real))) return plain(res, 403, 'Only files in the video library can be played.');
  const info = await stat(real);
  const headers = { 'content-type': type, 'accept-ranges': 'bytes', 'cache-control': 'no-cache' };
  const range = parseRange(req.headers.range, info.size);
  if (range === 'unsatisfiable') return plain(res, 416, 'Range not satisfiable.', { 'content-range': `bytes */${info.size}`, 'accept-ranges': 'bytes' });
  send(req, res, real, info.size, headers, range);
}

export async function serveStatic(staticRoot: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return plain(res, 400, 'Bad path.');
  }
  if (hasDotDot(decoded) || decoded.includes('\0')) return plain(res, 403, 'Forbidden.');
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = await realpath(staticRoot);
  const real = await realpath(resolve(join(root, rel))).catch(() => undefined);
  if (!real) return plain(res, 404, 'Not found.');
  if (!isInside(real, root)) return plain(res, 403, 'Forbidden.');
  const info = await stat(real);
  if (!info.isFile()) return plain(res, 404, 'Not found.');
  const type = STATIC_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-cache', 'content-security-policy': CSP };
  send(req, res, real, info.size, headers);
}
