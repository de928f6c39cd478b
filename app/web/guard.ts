import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// Who may talk to the editor's server: only this machine's browser, holding this start's token.
// The Host check stops DNS rebinding, the Origin check cross-site requests, the token (an
// HttpOnly SameSite=Strict cookie, or a header) every other local program and page.

export const COOKIE = 'wan_token';
const TOKEN_HEADER = 'x-wan-token';

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

const digest = (s: string) => createHash('sha256').update(s).digest();
/** Compares without leaking, through timing, how much of the token was right. */
export const sameToken = (given: string | undefined, token: string): boolean => given !== undefined && timingSafeEqual(digest(given), digest(token));

/**
 * Every wan_token cookie sent. Cookies are not kept apart by port: a site on another port of this
 * machine can set one too, and the browser may send its cookie first.
 */
function cookieTokens(req: IncomingMessage): string[] {
  const tokens: string[] = [];
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) tokens.push(value.join('='));
  }
  return tokens;
}

const headerToken = (req: IncomingMessage): string | undefined => {
  const v = req.headers[TOKEN_HEADER];
  return Array.isArray(v) ? v[0] : v;
};

function loopbackOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** The Host and Origin checks, which come before the token. */
export function checkOrigin(req: IncomingMessage, port: number): Verdict {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return { ok: false, status: 403, message: 'This server answers only to 127.0.0.1 and localhost.' };
  const origin = req.headers.origin;
  if (origin !== undefined && !loopbackOrigins(port).includes(origin)) return { ok: false, status: 403, message: 'Requests from other sites are refused.' };
  // another port of this machine is the "same site" to a browser, and would get the cookie
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { ok: false, status: 403, message: 'Requests from other sites are refused.' };
  return { ok: true };
}

/** The token, by cookie or header; a POST without an Origin must carry the header. */
export function checkToken(req: IncomingMessage, token: string): Verdict {
  const header = headerToken(req);
  // each one compared in constant time, and all of them: which one was right is not told by timing either
  const byCookie = cookieTokens(req).reduce((found, given) => sameToken(given, token) || found, false);
  if (!sameToken(header, token) && !byCookie) {
    return { ok: false, status: 401, message: 'Open the editor with the link wan-graph serve printed: it carries the access token.' };
  }
  if (req.method === 'POST' && req.headers.origin === undefined && !sameToken(header, token)) {
    return { ok: false, status: 403, message: 'A request without an Origin must carry the X-Wan-Token header.' };
  }
  return { ok: true };
}
