import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { CustomScheme } from 'electron';
import { byteHeaders, contentSecurityPolicy, findMedia, findStatic, climbsOut, parseRange, type Found, type Refused } from '../host/serving-rules';

// The desktop app's two schemes. app://editor/ serves the editor's built files with a strict
// Content-Security-Policy; media://library/?path=… serves library videos with HTTP Range, so the
// player can seek. Both answer only what host/serving-rules allows (the same rules as browser mode).

const EDITOR_ORIGIN = 'app://editor';
export const EDITOR_URL = `${EDITOR_ORIGIN}/index.html`;
export const DESKTOP_CSP = contentSecurityPolicy('media:');

/** Registered before the app is ready: standard and secure, so 'self', fetch and streaming work. */
export const SCHEMES: CustomScheme[] = [
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  { scheme: 'media', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
];

/** Whether a URL is one of the editor's own pages. */
export function isEditorUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'editor';
  } catch {
    return false;
  }
}

export type ProtocolHandler = (request: Request) => Promise<Response>;

const BASE_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-cache' };

const refused = (r: Refused, extra: Record<string, string> = {}) => new Response(`${r.message}\n`, { status: r.status, headers: { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...extra } });

/** The raw path of a URL, before URL parsing resolves (and so hides) any `..` in it. */
const rawPathOf = (url: string) => /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] ?? '';


function fileResponse(request: Request, found: Found, extra: Record<string, string>, ranged: boolean): Response {
  const range = ranged ? parseRange(request.headers.get('range'), found.size) : undefined;
  if (range === 'unsatisfiable') return refused({ ok: false, status: 416, message: 'Range not satisfiable.' }, { 'content-range': `bytes */${found.size}`, 'accept-ranges': 'bytes' });
  const { status, headers } = byteHeaders(found, range, { ...BASE_HEADERS, ...extra });
  const empty = request.method === 'HEAD' || headers['content-length'] === '0';
  const body = empty ? null : (Readable.toWeb(createReadStream(found.file, range ?? {})) as ReadableStream<Uint8Array>);
  return new Response(body, { status, headers });
}

const onlyGet = (request: Request) => (request.method === 'GET' || request.method === 'HEAD' ? undefined : refused({ ok: false, status: 405, message: 'Use GET.' }, { allow: 'GET, HEAD' }));

/** app://editor/… → the renderer's build in `rendererDir`. */
export function editorProtocol(rendererDir: string): ProtocolHandler {
  return async (request) => {
    const wrongMethod = onlyGet(request);
    if (wrongMethod) return wrongMethod;
    const url = new URL(request.url);
    if (url.host !== 'editor') return refused({ ok: false, status: 404, message: 'Not found.' });
    const raw = rawPathOf(request.url);
    if (climbsOut(raw)) return refused({ ok: false, status: 403, message: 'Forbidden.' });
    const found = await findStatic(rendererDir, url.pathname);
    if (!found.ok) return refused(found);
    return fileResponse(request, found, { 'content-security-policy': DESKTOP_CSP }, false);
  };
}

/** media://library/?path=<absolute path> → that file, if the service counts it as library media. */
export function mediaProtocol(isAllowed: (realPath: string) => Promise<boolean>): ProtocolHandler {
  return async (request) => {
    const wrongMethod = onlyGet(request);
    if (wrongMethod) return wrongMethod;
    const url = new URL(request.url);
    if (url.host !== 'library') return refused({ ok: false, status: 404, message: 'Not found.' });
    const found = await findMedia(url.searchParams.get('path'), isAllowed);
    if (!found.ok) return refused(found);
    return fileResponse(request, found, { 'accept-ranges': 'bytes' }, true);
  };
}
