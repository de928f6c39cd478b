// Errors of the operating system (a full disk, a missing folder, a port in use) said in one line
// that names what and where, for the command line, the editor and the journal alike.

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error (a failing disk or connection?)',
  EBUSY: 'it is busy',
  EXDEV: 'it is on another device',
  ELOOP: 'too many symbolic links',
  EFBIG: 'the file is too large',
  EADDRINUSE: 'the port is already in use',
  EADDRNOTAVAIL: 'the address is not available on this machine',
};

/** Known system error codes in plain words; undefined for anything else. */
export function systemReason(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined ? REASONS[code] : undefined;
}

/** A system error said with its context; keeps `code` (and `path`) for callers that decide by them. */
class SystemError extends Error {
  readonly code: string;
  constructor(
    message: string,
    code: string,
    readonly path?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SystemError';
    this.code = code;
  }
}

/**
 * `cannot <action> "<path>": <reason>` for a known system error; any other error is returned as
 * it is. `action` says what was being done ("write", "write the job journal").
 */
export function withContext(e: unknown, action: string, path: string): unknown {
  if (e instanceof SystemError) return e;
  const reason = systemReason(e);
  return reason ? new SystemError(`cannot ${action} "${path}": ${reason}`, (e as NodeJS.ErrnoException).code!, path, { cause: e }) : e;
}

const ACTIONS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  mkdtemp: 'create a folder in',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  scandir: 'list the folder',
  stat: 'read',
  lstat: 'read',
  copyfile: 'copy',
  listen: 'listen on',
  bind: 'listen on',
};

/** One line for a known system error, naming the file or port; undefined for any other error. */
export function describeSystemError(e: unknown): string | undefined {
  if (e instanceof SystemError) return e.message;
  const reason = systemReason(e);
  if (!reason) return undefined;
  const err = e as NodeJS.ErrnoException & { port?: number; address?: string; dest?: string };
  const action = ACTIONS[err.syscall ?? ''] ?? err.syscall ?? 'do that';
  if (err.port !== undefined) return `cannot ${action} port ${err.port}${err.address ? ` of ${err.address}` : ''}: ${reason}`;
  if (err.path !== undefined) return `cannot ${action} "${err.path}"${err.dest !== undefined ? ` as "${err.dest}"` : ''}: ${reason}`;
  return `cannot ${action}: ${reason}`;
}
