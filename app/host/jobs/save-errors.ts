// Why a paid result could not be written to disk, in the artist's words, and what to do. These are
// this machine's errors (a full disk, a folder that cannot be written): retrying the download at
// once cannot help, so they are reported at once and the result waits, paid, for a retry.

const LOCAL: Record<string, { what: string; todo: string }> = {
  ENOSPC: { what: 'the disk is full', todo: 'free some space' },
  EDQUOT: { what: 'the disk quota is used up', todo: 'free some space' },
  EFBIG: { what: 'the file is too large for this disk', todo: 'choose a library folder on another disk' },
  EACCES: { what: 'there is no permission to write', todo: 'choose another library folder or give write permission' },
  EPERM: { what: 'the system does not permit the write', todo: 'choose another library folder or give write permission' },
  EROFS: { what: 'the disk is read-only', todo: 'choose a library folder on a writable disk' },
  ENAMETOOLONG: { what: 'the path is too long', todo: 'choose a library folder with a shorter path' },
  ENOTDIR: { what: 'a part of the path is a file, not a folder', todo: 'choose another library folder' },
  EISDIR: { what: 'a folder stands where the file should go', todo: 'move that folder away' },
  ENOENT: { what: 'the folder does not exist (any more)', todo: 'reconnect the disk or choose another library folder' },
  EMFILE: { what: 'too many files are open', todo: 'close some programs' },
  ENFILE: { what: 'too many files are open', todo: 'close some programs' },
  EIO: { what: 'the disk reported an input/output error', todo: 'check the disk' },
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
  return typeof code === 'string' && code in LOCAL ? code : undefined;
}

/** A SaveError naming what went wrong, where, and what to do; undefined when `e` is not local. */
export function asSaveError(e: unknown, folder: string): SaveError | undefined {
  if (e instanceof SaveError) return e;
  const code = localErrorCode(e);
  if (!code) return undefined;
  const { what, todo } = LOCAL[code]!;
  const path = (e as NodeJS.ErrnoException).path ?? folder;
  return new SaveError(`paid, not yet saved: ${what} (${code}, ${path}). ${todo[0]!.toUpperCase()}${todo.slice(1)}, then retry: Retry in the queue, or wan-graph jobs --resume.`, code);
}
