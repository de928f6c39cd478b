import { homedir } from 'node:os';
import { isAbsolute, join, parse, relative, resolve } from 'node:path';

// Where the video library may be: a folder of its own. The library is also what the editor's
// media route and "show in folder" may open, so a filesystem root, a system folder or the home
// folder itself would open far more than videos to the page.

const windows = process.platform === 'win32';
const env = process.env;
/** These folders and everything in them. */
const SYSTEM = windows
  ? [env.SystemRoot, env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramData].filter((d): d is string => Boolean(d))
  : ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/run', '/sbin', '/sys', '/usr', '/System', '/Library', '/private/etc'];
/** These folders themselves: each holds what many others keep. */
const SHARED = windows ? [env.USERPROFILE ? join(env.USERPROFILE, '..') : undefined, env.PUBLIC].filter((d): d is string => Boolean(d)) : ['/var', '/tmp', '/opt', '/srv', '/mnt', '/media', '/home', '/Users', '/Volumes', '/Applications', '/private', '/private/var', '/private/tmp'];

const norm = (p: string) => (windows ? resolve(p).toLowerCase() : resolve(p));
/** True when `child` is `root` or inside it. */
const within = (child: string, root: string) => {
  const rel = relative(norm(root), norm(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Why a folder may not hold the library; undefined when it may. */
export function libraryFolderProblem(dir: string, home: string = homedir()): string | undefined {
  const folder = resolve(dir);
  if (parse(folder).root === folder) return 'is the root of a file system';
  if (norm(folder) === norm(home)) return 'is your home folder itself';
  if (within(home, folder)) return 'holds your home folder';
  if (SYSTEM.some((s) => within(folder, s))) return 'is a system folder';
  if (SHARED.some((s) => norm(folder) === norm(s))) return 'is a folder the whole system shares';
  return undefined;
}

/** The refusal for settings: what is wrong, and what to choose instead. */
export const libraryFolderRefusal = (dir: string, problem: string, home: string = homedir()) =>
  `libraryDir: "${dir}" ${problem}; choose a folder of its own for the videos, such as ${join(home, 'Videos', 'wan-graph')}`;
