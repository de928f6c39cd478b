#!/usr/bin/env node
// Entry point of `wan-graph`: runs the TypeScript sources directly through tsx.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (`wan-graph nodes | head`) is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
