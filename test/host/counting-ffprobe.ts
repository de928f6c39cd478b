import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffprobeBeside } from '../../app/host/ffmpeg';

const count = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

/**
 * An ffmpeg in `folder` (a link to the real one) with an ffprobe beside it that counts its runs,
 * so a test can say how often ffprobe was started; with `{ countFfmpeg: true }` ffmpeg's runs
 * are counted too. Shell scripts: not on Windows.
 */
export async function countingFfmpeg(folder: string, ffmpeg: string, opts: { countFfmpeg?: boolean } = {}): Promise<{ ffmpeg: string; ffprobeRuns: () => Promise<number>; ffmpegRuns: () => Promise<number> }> {
  await mkdir(folder, { recursive: true });
  const runs = join(folder, 'runs');
  const ffmpegRuns = join(folder, 'ffmpeg-runs');
  if (opts.countFfmpeg) {
    await writeFile(join(folder, 'ffmpeg'), `#!/bin/sh\necho run >> "${ffmpegRuns}"\nexec "${ffmpeg}" "$@"\n`);
    await chmod(join(folder, 'ffmpeg'), 0o755);
  } else await symlink(ffmpeg, join(folder, 'ffmpeg'));
  await writeFile(join(folder, 'ffprobe'), `#!/bin/sh\necho run >> "${runs}"\nexec "${ffprobeBeside(ffmpeg)}" "$@"\n`);
  await chmod(join(folder, 'ffprobe'), 0o755);
  return { ffmpeg: join(folder, 'ffmpeg'), ffprobeRuns: () => count(runs), ffmpegRuns: () => count(ffmpegRuns) };
}
