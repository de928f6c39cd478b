import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

// The sandbox's own folder for rendered videos, in the system's temporary folder. Its name carries
// the process id and the machine, so a later start can tell a folder left by a process that ended
// without closing (a crash, SIGKILL) from one still in use, and remove only the first kind.

const PREFIX = 'wan-sandbox-';
/** The machine, briefly: a temporary folder shared between machines or containers is possible. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
const NAME = new RegExp(`^${PREFIX}(\\d+)-([0-9a-f]{8})-`);

export async function makeTempStorage(): Promise<string> {
  return mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-${HOST}-`));
}

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
};

/** Removes this user's sandbox folders of this machine whose process no longer runs; returns them. */
export async function removeStaleStorage(): Promise<string[]> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || m[2] !== HOST) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || running(pid)) continue;
    const dir = join(tmpdir(), name);
    const info = await lstat(dir).catch(() => undefined);
    if (!info?.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
    await rm(dir, { recursive: true, force: true }).then(
      () => removed.push(dir),
      () => undefined,
    );
  }
  return removed;
}
