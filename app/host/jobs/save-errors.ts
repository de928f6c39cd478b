import { systemReason } from '../system-error';

// Why a paid result could not be written to disk, and what to do. These are this machine's
// errors (a full disk, a folder that cannot be written): retrying the download at once cannot
// help, so they are reported at once and the result waits, paid, for a retry.

/** What the artist can do about each local failure; the reason itself is system-error.ts's. */
const REMEDY: Record<string, string> = {
  ENOSPC: 'free some space',
  EDQUOT: 'free some space',
  EFBIG: 'choose a library folder on another disk',
  EACCES: 'choose another library folder or give write permission',
  EPERM: 'choose another library folder or give write permission',
  EROFS: 'choose a library folder on a writable disk',
  ENAMETOOLONG: 'choose a library folder with a shorter path',
  ENOTDIR: 'choose another library folder',
  EISDIR: 'move that folder away',
  ENOENT: 'reconnect the disk or choose another library folder',
  EMFILE: 'close some programs',
  ENFILE: 'close some programs',
  EIO: 'check the disk',
};

/** A result that was paid for and could not be written; the job keeps it until a retry. */
export class SaveError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SaveError';
  }
}

/** The errno code of a failure of this machine's file system, or undefined for anything else. */
export function localErrorCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code in REMEDY ? code : undefined;
}

/** A SaveError naming what went wrong, where, and what to do; undefined when `e` is not local. */
export function asSaveError(e: unknown, folder: string): SaveError | undefined {
  if (e instanceof SaveError) return e;
  const code = localErrorCode(e);
  if (!code) return undefined;
  const remedy = REMEDY[code]!;
  const path = (e as NodeJS.ErrnoException).path ?? folder;
  return new SaveError(`paid, not yet saved: ${systemReason(e)} (${code}, ${path}). ${remedy[0]!.toUpperCase()}${remedy.slice(1)}, then retry: Retry in the queue, or wan-graph jobs --resume.`, code);
}
