import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, delimiter, dirname, join } from 'node:path';

// Finding ffmpeg on an artist's machine: the setting, then FFMPEG_PATH, then PATH, then an
// optional npm-shipped binary. Undefined when there is none; callers say what that costs.

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export async function findFfmpeg(setting?: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const candidate of [setting, env.FFMPEG_PATH]) if (candidate && (await executable(candidate))) return candidate;
  const names = process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) for (const name of names) if (await executable(join(dir, name))) return join(dir, name);
  try {
    const shipped = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    if (await executable(shipped)) return shipped;
  } catch {
    // not installed: fine, it is optional
  }
  return undefined;
}

/** ffprobe beside ffmpeg, by the same naming. */
export const ffprobeBeside = (ffmpeg: string) => join(dirname(ffmpeg), basename(ffmpeg).replace(/ffmpeg/, 'ffprobe'));

/**
 * Runs a tool without a shell; resolves with stdout, rejects with the tail of stderr. Aborted, it
 * rejects with the AbortError only once the tool has exited, so that its files can be removed.
 */
export function runTool(path: string, args: readonly string[], opts: { signal?: AbortSignal; cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(opts.signal && { signal: opts.signal }), ...(opts.cwd && { cwd: opts.cwd }) });
    let out = '';
    let err = '';
    let failed: Error | undefined;
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    child.on('error', (e) => {
      // an abort kills the running tool: wait for it to be gone; a tool that never started has nothing to wait for
      if (e.name === 'AbortError' && child.pid !== undefined && child.exitCode === null && child.signalCode === null) failed = e;
      else reject(e);
    });
    child.on('close', (code) => {
      if (failed) reject(failed);
      else if (code === 0) resolve(out);
      else reject(new Error(`${basename(path)} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
}
