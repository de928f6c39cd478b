import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../host/data-dir';
import { findFfmpeg } from '../host/ffmpeg';
import { describeSystemError } from '../host/system-error';
import { SessionSecretStore } from '../host/service/secrets';
import { HostService } from '../host/service/service';
import { sandboxStarter } from '../sandbox/server';
import { DEFAULT_FONT_DIR } from '../sandbox/render-video';
import { startWebServer } from '../web/server';
import { EXIT, type Io } from './io';

// `wan-graph serve`: browser mode. Composes the host service (with the sandbox it may start) and
// the loopback web server, prints the editor's link, and runs until stopped.

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface ServeOptions {
  env: NodeJS.ProcessEnv;
  port?: number;
  /** The renderer's build; the repository's out/renderer unless a test says otherwise. */
  staticDir?: string;
  /** Resolves to stop; SIGINT or SIGTERM otherwise. */
  stop?: Promise<unknown>;
}

const untilSignal = () =>
  new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });

export async function serveCommand(opts: ServeOptions, io: Io): Promise<number> {
  const staticDir = opts.staticDir ?? join(REPO, 'out', 'renderer');
  if (!(await stat(join(staticDir, 'index.html')).catch(() => undefined))?.isFile()) {
    io.stderr.write(`wan-graph: the editor is not built yet (no ${join(staticDir, 'index.html')}): run \`npm run build:web\` first\n`);
    return EXIT.invalid;
  }
  const ffmpegPath = await findFfmpeg(undefined, opts.env);
  const version = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  const service = await HostService.create({
    dataDir: defaultDataDir(opts.env),
    env: opts.env,
    shell: 'web',
    examplesDir: join(REPO, 'graphs'),
    ...(ffmpegPath && { ffmpegPath }),
    secrets: new SessionSecretStore(opts.env),
    version,
    startSandbox: sandboxStarter(ffmpegPath),
    fontDir: DEFAULT_FONT_DIR,
  });
  let server;
  try {
    server = await startWebServer({ service, staticDir, ...(opts.port !== undefined && { port: opts.port }), log: (line) => io.stderr.write(`wan-graph: ${line}\n`) });
  } catch (e) {
    await service.close();
    io.stderr.write(`wan-graph: cannot serve the editor: ${describeSystemError(e) ?? (e as Error).message}\n`);
    return EXIT.invalid;
  }
  const view = await service.view();
  io.stdout.write(`Wan Graph editor: ${server.url}\n`);
  if (!view.key.set) io.stdout.write(`${view.target.notice}\n`);
  io.stdout.write('Stop with Ctrl+C.\n');
  await (opts.stop ?? untilSignal());
  // unfinished jobs stay in the journal and resume at the next start
  await server.close();
  await service.close();
  return EXIT.ok;
}
