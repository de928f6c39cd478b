import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { abortableSleep } from '../../runware/client';
import { localErrorCode } from './save-errors';

// Downloads a result video to a file. Right after success a URL may answer 422 ("still
// processing") or 502 for a while, so those, 5xx, 408/429 and broken connections are retried with
// backoff; failures of this machine's disk are not retried. A partial download never stays on disk
// under the final name.

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

const retryable = (status: number) => status === 408 || status === 422 || status === 429 || status >= 500;

export async function downloadFile(url: string, dest: string, opts: { signal?: AbortSignal; attempts?: number; baseDelayMs?: number; timeoutMs?: number } = {}): Promise<number> {
  const attempts = opts.attempts ?? 10;
  const tmp = `${dest}.part`;
  let lastError = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await abortableSleep(Math.min(15_000, (opts.baseDelayMs ?? 500) * 1.6 ** (attempt - 1)), opts.signal);
    try {
      const res = await request(url, {
        method: 'GET',
        headersTimeout: opts.timeoutMs ?? 60_000,
        bodyTimeout: opts.timeoutMs ?? 60_000,
        ...(opts.signal && { signal: opts.signal }),
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        lastError = `HTTP ${res.statusCode}`;
        if (res.statusCode === 404 || res.statusCode === 410) throw new DownloadError(`the result is gone (${lastError}); its URL may have expired`, res.statusCode);
        if (retryable(res.statusCode)) continue;
        throw new DownloadError(`the download failed with ${lastError}`, res.statusCode);
      }
      let bytes = 0;
      res.body.on('data', (c: Buffer) => (bytes += c.length));
      await pipeline(res.body, createWriteStream(tmp));
      await rename(tmp, dest);
      return bytes;
    } catch (e) {
      await rm(tmp, { force: true });
      // this machine's own failures (a full disk, no permission) would fail again at once
      if (e instanceof DownloadError || opts.signal?.aborted || localErrorCode(e)) throw e;
      lastError = (e as Error).message;
    }
  }
  throw new DownloadError(`the download kept failing (${lastError}) after ${attempts} attempts`);
}
