import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm start` as a newcomer meets it: Electron's binary missing, fetched on first use, or not to
// be had. A stand-in electron package (its installer and binary) takes the place of the download.

const run = promisify(execFile);
const START = join(process.cwd(), 'app/cli/start-desktop.mjs');

async function start(electronDir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [START, ...args], { env: { ...process.env, WAN_GRAPH_ELECTRON_DIR: electronDir, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** An electron package whose installer fails as an offline machine's would, or "installs" a binary that records how it was started. */
async function fakeElectronPackage(installer: 'offline' | 'works') {
  const dir = await mkdtemp(join(tmpdir(), 'wan-electron-'));
  const record = join(dir, 'started.json');
  const binary = `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));\nprocess.exit(7);\n`;
  const install =
    installer === 'offline'
      ? `console.error('HTTPError: getaddrinfo ENOTFOUND github.com');\nconsole.error('    at download (x.js:1:1)');\nprocess.exit(1);\n`
      : `const fs = require('fs'), path = require('path');\nfs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });\nfs.writeFileSync(path.join(__dirname, 'dist', 'electron'), ${JSON.stringify(binary)}, { mode: 0o755 });\nfs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');\n`;
  await writeFile(join(dir, 'install.js'), install);
  await writeFile(join(dir, 'package.json'), '{"type":"commonjs"}');
  return { dir, record };
}

describe('npm start', () => {
  it('says in one message that Electron cannot be fetched, and points to browser mode', async () => {
    const { dir } = await fakeElectronPackage('offline');
    const r = await start(dir, ['--no-build']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Fetching Electron');
    expect(r.stderr).toContain("Electron's binary is not installed, and fetching it failed (HTTPError: getaddrinfo ENOTFOUND github.com)");
    expect(r.stderr).toContain('npm run web');
    expect(r.stderr).not.toMatch(/\bat download\b/); // no stack trace
  });

  it('says to install the packages first when the electron package is not there at all', async () => {
    const r = await start(join(tmpdir(), 'wan-no-such-electron-dir'), ['--no-build']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('npm ci');
    expect(r.stderr).toContain('npm run web');
  });

  it.skipIf(process.platform === 'win32')('fetches the binary on first use, then starts the app with the graph files given (not on Windows: the stand-in binary is a shebang script)', async () => {
    const { dir, record } = await fakeElectronPackage('works');
    const r = await start(dir, ['--no-build', 'graphs/lake.wgraph.json'], { ELECTRON_RUN_AS_NODE: '1' });
    expect(r.code).toBe(7); // the app's own exit code comes back
    const started = JSON.parse(await readFile(record, 'utf8')) as { argv: string[]; runAsNode: string | null };
    expect(started.argv).toEqual([process.cwd() + '/', 'graphs/lake.wgraph.json']);
    // a parent shell's ELECTRON_RUN_AS_NODE would start Node instead of the app
    expect(started.runAsNode).toBeNull();
  });

  it.skipIf(process.platform === 'win32')('starts an installed binary without fetching again (not on Windows: the stand-in binary is a shell script)', async () => {
    const { dir, record } = await fakeElectronPackage('offline');
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'dist', 'electron'), `#!/bin/sh\necho '{"argv":[],"runAsNode":null}' > ${JSON.stringify(record)}\nexit 0\n`);
    await chmod(join(dir, 'dist', 'electron'), 0o755);
    await writeFile(join(dir, 'path.txt'), 'electron');
    const r = await start(dir, ['--no-build']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Fetching');
    expect(JSON.parse(await readFile(record, 'utf8'))).toEqual({ argv: [], runAsNode: null });
  });
});
