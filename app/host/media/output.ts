import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { withContext } from '../system-error';

/**
 * Lets `make` write a temporary file beside `out`, then syncs it and renames it to `out`: the file
 * appears complete or not at all. Whatever `make` throws (a failure, an abort) leaves nothing.
 */
export async function writeAtomically<T>(out: string, make: (tmp: string) => Promise<T>): Promise<T> {
  const folder = dirname(out);
  await stat(folder).catch((e: unknown) => {
    throw withContext(e, 'write', out);
  });
  const tmp = join(folder, `.${basename(out)}.${randomBytes(6).toString('hex')}.part`);
  try {
    const result = await make(tmp);
    const handle = await open(tmp, 'r+');
    await handle.sync().finally(() => handle.close());
    await rename(tmp, out).catch((e: unknown) => {
      throw withContext(e, 'write', out);
    });
    const dir = await open(folder, 'r').catch(() => undefined);
    await dir?.sync().catch(() => {});
    await dir?.close();
    return result;
  } finally {
    await rm(tmp, { force: true });
  }
}
