import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { HostFailure } from '../../core/contract';

// Shows a library file's folder in the system's file manager. The opener is started detached and
// left to run: the file manager outlives the request, and the editor does not wait for it.

const opener = (platform: NodeJS.Platform, file: string): [string, string[]] => {
  if (platform === 'darwin') return ['open', ['-R', file]];
  if (platform === 'win32') return ['explorer', [`/select,${file}`]];
  return ['xdg-open', [dirname(file)]];
};

export function revealInFolder(file: string, platform = process.platform): Promise<void> {
  const [command, args] = opener(platform, file);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
    child.once('error', (e) => {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} is not installed` : e.message;
      reject(new HostFailure('reveal-failed', `could not open the folder of "${file}" in the file manager: ${why}`));
    });
  });
}
