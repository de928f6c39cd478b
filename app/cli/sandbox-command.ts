import { findFfmpeg } from '../host/ffmpeg';
import { startSandbox } from '../sandbox/server';
import { EXIT, type Io } from './io';

/** Serves the sandbox until SIGINT or SIGTERM. */
export async function sandboxCommand(opts: { env: NodeJS.ProcessEnv; port?: number; generationMs?: number; storageDir?: string; apiKey?: string }, io: Io): Promise<number> {
  const ffmpegPath = await findFfmpeg(undefined, opts.env);
  if (!ffmpegPath) {
    io.stderr.write('wan-graph: the sandbox needs ffmpeg to make its videos: install it, or set FFMPEG_PATH\n');
    return EXIT.invalid;
  }
  const sandbox = await startSandbox({
    ffmpegPath,
    ...(opts.port !== undefined && { port: opts.port }),
    ...(opts.generationMs !== undefined && { generationMs: opts.generationMs }),
    ...(opts.storageDir && { storageDir: opts.storageDir }),
    ...(opts.apiKey !== undefined && { apiKeys: [opts.apiKey] }),
  });
  // the key itself is never printed
  const keys = opts.apiKey !== undefined ? 'Only the API key given with --api-key is accepted; others are answered 401 invalidApiKey, as Runware does.\n' : 'Any API key, or none, is accepted.\n';
  io.stdout.write(`Sandbox endpoint: ${sandbox.url}\nWebSocket: ${sandbox.wsUrl}\n${keys}Videos are placeholders marked SANDBOX; nothing is billed. Stop with Ctrl+C.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
  return EXIT.ok;
}
