#!/usr/bin/env node
// `npm start`: builds the desktop app and opens it in Electron. Electron's binary is fetched on
// first use; where it is missing and cannot be fetched (offline, or a machine that cannot
// download it), this says so in one message and points to browser mode instead.
//   node app/cli/start-desktop.mjs [--no-build] [graph files…]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ELECTRON_DIR = process.env.WAN_GRAPH_ELECTRON_DIR ?? join(REPO, 'node_modules', 'electron');

/** The Electron executable, if its binary is installed (the electron package's own record of it). */
function electronBinary() {
  try {
    const rel = readFileSync(join(ELECTRON_DIR, 'path.txt'), 'utf8').trim();
    const bin = join(ELECTRON_DIR, 'dist', rel);
    return rel && existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

function fetchElectron() {
  const installer = join(ELECTRON_DIR, 'install.js');
  if (!existsSync(installer)) return 'the electron package is not installed (run `npm ci` first)';
  process.stdout.write('Fetching Electron (once, about 100 MB)…\n');
  const run = spawnSync(process.execPath, [installer], { cwd: dirname(installer), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.error) return run.error.message;
  const lines = `${run.stderr ?? ''}`.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at '));
  return run.status === 0 ? undefined : (lines.find((l) => /error/i.test(l)) ?? lines[0] ?? `the installer exited with ${run.status}`);
}

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const files = args.filter((a) => a !== '--no-build');

let electron = electronBinary();
if (!electron) {
  const why = fetchElectron();
  electron = electronBinary();
  if (!electron) {
    process.stderr.write(
      [
        '',
        `Wan Graph cannot start as a desktop app here: Electron's binary is not installed, and fetching it failed${why ? ` (${why.slice(0, 300)})` : ''}.`,
        '',
        'Use browser mode instead — the same editor, served on this computer and opened in your browser:',
        '    npm run web',
        '',
        'To try the desktop app again later, when this computer can download Electron: npm start',
        '',
      ].join('\n'),
    );
    process.exit(1);
  }
}

if (build) {
  const electronVite = join(REPO, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const built = spawnSync(process.execPath, [electronVite, 'build', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

// ELECTRON_RUN_AS_NODE from a parent shell would start Node instead of the app
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const app = spawn(electron, [REPO, ...files], { stdio: 'inherit', env, windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
app.on('error', (e) => {
  process.stderr.write(`Electron could not be started (${e.message}). Browser mode works without it: npm run web\n`);
  process.exit(1);
});
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
