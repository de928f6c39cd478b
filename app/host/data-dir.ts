import { join } from 'node:path';

/** Where the app keeps its own data when not told otherwise. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = env.HOME ?? env.USERPROFILE ?? '.'): string {
  if (env.WAN_GRAPH_HOME) return env.WAN_GRAPH_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'wan-graph');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'wan-graph');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'wan-graph');
}

