import type * as fsp from 'node:fs/promises';

// Fault injection at the operating-system boundary, for what a test cannot make happen for real
// when it runs as root (CI does): a full disk, a folder that may not be written. A test file
// routes node:fs/promises through withFaults and lists the faults it wants:
//
//   vi.mock('node:fs/promises', async (real) => (await import('../fs-faults')).withFaults(await real()));
//
// Only files opened with `open` (or read whole with `readFile`) are affected; the error is shaped
// like the system's own.

export interface FsFault {
  /** `open` fails to open the file; `write` opens it, and every write to it fails. */
  op: 'open' | 'write';
  code: 'ENOSPC' | 'EACCES' | 'EROFS' | 'EIO';
  when: (path: string) => boolean;
}

export const fsFaults: FsFault[] = [];

const MESSAGES = { ENOSPC: 'no space left on device', EACCES: 'permission denied', EROFS: 'read-only file system', EIO: 'i/o error' } as const;

export function systemError(code: FsFault['code'], syscall: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${MESSAGES[code]}, ${syscall}${path ? ` '${path}'` : ''}`), { code, syscall, ...(path !== undefined && { path }) });
}

export function withFaults(real: typeof fsp): typeof fsp {
  const open = (async (path: Parameters<typeof real.open>[0], ...rest: [never?, never?]) => {
    const name = String(path);
    const refused = fsFaults.find((f) => f.op === 'open' && f.when(name));
    if (refused) throw systemError(refused.code, 'open', name);
    const handle = await real.open(path, ...rest);
    const failing = fsFaults.find((f) => f.op === 'write' && f.when(name));
    if (failing) {
      // as the kernel does it: the write call fails, and names no path
      const fail = async () => {
        throw systemError(failing.code, 'write');
      };
      Object.assign(handle, { write: fail, writeFile: fail, appendFile: fail });
    }
    return handle;
  }) as typeof real.open;
  const readFile = (async (path: Parameters<typeof real.readFile>[0], ...rest: [never?]) => {
    const refused = fsFaults.find((f) => f.op === 'open' && f.when(String(path)));
    if (refused) throw systemError(refused.code, 'open', String(path));
    return real.readFile(path, ...rest);
  }) as typeof real.readFile;
  // an ES module namespace of a built-in also carries its CommonJS object as `default`
  const cjs = (real as { default?: object }).default;
  return { ...real, open, readFile, ...(cjs && { default: { ...cjs, open, readFile } }) };
}
