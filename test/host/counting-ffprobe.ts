import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffprobeBeside } from '../../app/host/ffmpeg';

/**
 * An ffmpeg in `folder` (a link to the real one) with an ffprobe beside it that counts its runs,
 * so a test can say how often ffprobe was started. A shell script: not on Windows.
 */
export async function countingFfmpeg(folder: string, ffmpeg: string): Promise<{ ffmpeg: string; ffprobeRuns: () => Promise<number> }> {
  await mkdir(folder, { recursive: true });
  const runs = join(folder, 'runs');
  await symlink(ffmpeg, join(folder, 'ffmpeg'));
  await writeFile(join(folder, 'ffprobe'), `#!/bin/sh\necho run >> "${runs}"\nexec "${ffprobeBeside(ffmpeg)}" "$@"\n`);
  await chmod(join(folder, 'ffprobe'), 0o755);
  return { ffmpeg: join(folder, 'ffmpeg'), ffprobeRuns: async () => (await readFile(runs, 'utf8').catch(() => '')).split('\n').filter(Boolean).length };
}
