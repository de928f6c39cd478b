import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ByteRange } from '../core/support/byte-range';

// Which file a request for the editor's own files or for a library video may be answered with,
// and which bytes of it. Browser mode (HTTP) and the desktop app (app:// and media://) answer
// from these same rules: links and `..` never lead out, media only where the service allows.

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

/**
 * The editor page's Content-Security-Policy: its own scripts only, never eval. `media` is where
 * library videos come from (the page's own origin in browser mode, media: in the desktop app).
 * Images may also come from http(s): a Frame Image given by URL shows its thumbnail (a plain
 * image request, no credentials of this app go with it).
 */
export function contentSecurityPolicy(media: string): string {
  const img = media === "'self'" ? "'self'" : `'self' ${media}`;
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src ${img} data: blob: https: http:; media-src ${media} blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;
}

/** A path with a `..` segment is refused outright, before any normalising could hide it. */
const hasDotDot = (path: string) => path.split(/[\\/]/).includes('..');

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Whether a request's raw path climbs out with `..`, as written or once percent-decoded. */
export const climbsOut = (rawPath: string) => hasDotDot(rawPath) || hasDotDot(safeDecode(rawPath));

const isInside = (child: string, root: string) => {
  const rel = relative(root, child);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

export type Found = { ok: true; file: string; size: number; type: string };
export type Refused = { ok: false; status: number; message: string };

const refuse = (status: number, message: string): Refused => ({ ok: false, status, message });

/** A library file the player asks for by its absolute path, if the service allows it. */
export async function findMedia(path: string | null, isAllowed: (realPath: string) => Promise<boolean>): Promise<Found | Refused> {
  if (!path || !isAbsolute(path) || hasDotDot(path) || path.includes('\0')) return refuse(403, 'Only files in the video library can be played.');
  const type = MEDIA_TYPES[extname(path).toLowerCase()];
  if (!type) return refuse(403, 'Only videos and images from the library can be played.');
  const real = await realpath(path).catch(() => undefined);
  if (!real) return refuse(404, 'No such file.');
  if (!(await isAllowed(real))) return refuse(403, 'Only files in the video library can be played.');
  const info = await stat(real);
  if (!info.isFile()) return refuse(404, 'No such file.');
  return { ok: true, file: real, size: info.size, type };
}

/** One of the editor's built files, by URL path (`/` is index.html). */
export async function findStatic(root: string, pathname: string): Promise<Found | Refused> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return refuse(400, 'Bad path.');
  }
  if (hasDotDot(decoded) || decoded.includes('\0')) return refuse(403, 'Forbidden.');
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const realRoot = await realpath(root);
  const real = await realpath(resolve(join(realRoot, rel))).catch(() => undefined);
  if (!real) return refuse(404, 'Not found.');
  if (!isInside(real, realRoot)) return refuse(403, 'Forbidden.');
  const info = await stat(real);
  if (!info.isFile()) return refuse(404, 'Not found.');
  return { ok: true, file: real, size: info.size, type: STATIC_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream' };
}

export { parseRange, type ByteRange } from '../core/support/byte-range';

/** The status and headers of an answer with a file's bytes, whole or one range of them. */
export function byteHeaders(found: Found, range: ByteRange | undefined, extra: Record<string, string>): { status: 200 | 206; headers: Record<string, string> } {
  const length = range ? range.end - range.start + 1 : found.size;
  return {
    status: range ? 206 : 200,
    headers: { ...extra, 'content-type': found.type, 'content-length': String(length), ...(range && { 'content-range': `bytes ${range.start}-${range.end}/${found.size}` }) },
  };
}
