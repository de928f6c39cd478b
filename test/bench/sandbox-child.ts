// The sandbox in a process of its own, so the runner benchmark measures only the client's CPU.
// Prints its URL as one JSON line; on "stats" (IPC) answers with its request counts.
import { startSandbox } from '../../app/sandbox/server';

const generationMs = Number(process.argv[2] ?? 2000);
const sandbox = await startSandbox({ generationMs, personalize: false, renderConcurrency: 2 });
process.send!({ url: sandbox.url });
process.on('message', async (m) => {
  if (m === 'stats') process.send!({ stats: sandbox.stats });
  if (m === 'stop') {
    await sandbox.close();
    process.exit(0);
  }
});
