import { request } from 'undici';

// The sandbox talks only to this machine: frame image URLs, webhooks and upload endpoints on any
// other host are never contacted.

function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  } catch {
    return false;
  }
}

const MAX_FETCH_BYTES = 32 * 1024 * 1024;

/** GETs a loopback URL's bytes, or undefined when it is not loopback or does not answer 200. */
export async function fetchLoopback(url: string, timeoutMs = 5000): Promise<Uint8Array | undefined> {
  if (!isLoopbackUrl(url)) return undefined;
  try {
    // undici's request never follows redirects, so a loopback URL cannot bounce elsewhere
    const res = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return undefined;
    }
    const bytes = new Uint8Array(await res.body.arrayBuffer());
    return bytes.byteLength <= MAX_FETCH_BYTES ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Sends a body to a loopback URL; resolves with the status, or 0 when it could not be sent. */
export async function sendLoopback(url: string, method: 'POST' | 'PUT', body: string | Uint8Array, contentType: string, timeoutMs = 10_000): Promise<number> {
  if (!isLoopbackUrl(url)) return 0;
  try {
    const res = await request(url, { method, body, headers: { 'content-type': contentType }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
}
