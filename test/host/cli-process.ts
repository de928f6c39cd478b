import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJson } from '../../app/core/support/json';
import type { JobRecord, JournalEntry } from '../../app/host/jobs/types';

// The wan-graph command as a child process with its own data folder, and its journal as it is on
// disk: for tests that kill the runner and start it again.

const CLI = join(process.cwd(), 'app/cli/wan-graph.mjs');

export function startCli(args: string[], home: string) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, WAN_GRAPH_HOME: home, RUNWARE_API_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c));
  child.stderr.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** The jobs of a journal file, each as its last entry left it (a torn line skipped). */
export async function journalJobs(dir: string): Promise<Map<string, JobRecord>> {
  const text = await readFile(join(dir, 'journal.jsonl'), 'utf8').catch(() => '');
  const jobs = new Map<string, JobRecord>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let e: JournalEntry;
    try {
      e = parseJson(line) as unknown as JournalEntry;
    } catch {
      continue;
    }
    if (e.type === 'job') jobs.set(e.job.id, e.job);
    else if (jobs.has(e.id)) Object.assign(jobs.get(e.id)!, e.patch);
  }
  return jobs;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
