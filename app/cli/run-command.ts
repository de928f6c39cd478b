import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { compileGraph } from '../core/compile';
import { formatDiagnostic } from '../core/diagnostics';
import { findFfmpeg } from '../host/ffmpeg';
import { graphNameOf, readGraphFile } from '../host/files';
import { defaultDataDir } from '../host/data-dir';
import { Library } from '../host/jobs/library';
import { JobRunner } from '../host/jobs/runner';
import type { JobRecord } from '../host/jobs/types';
import { RunwareClient } from '../runware/client';
import { registry } from '../../nodes';
import { resolveEndpoint } from './endpoint';
import { EXIT, type Io } from './main';
import { describeJob, Progress } from './progress';

export interface RunOptions {
  endpoint?: string;
  out?: string;
  concurrency?: number;
  force?: boolean;
  /** Only ask what the tasks would cost. */
  dryRun?: boolean;
  dataDir?: string;
  env: NodeJS.ProcessEnv;
}

/** Opens the runner on the chosen endpoint; everything a run or a resume needs. */
async function openRunner(opts: RunOptions, io: Io, onProgress: Progress) {
  const endpoint = await resolveEndpoint(opts.endpoint, opts.env);
  if (endpoint.notice) io.stderr.write(endpoint.notice + '\n');
  // The in-process sandbox keeps its journal, ledger and videos apart: its placeholder results and
  // simulated costs never mix with paid ones, and its jobs end with the process anyway.
  const base = opts.dataDir ?? defaultDataDir(opts.env);
  const dataDir = endpoint.sandbox ? join(base, 'sandbox') : base;
  const client = new RunwareClient({ baseUrl: endpoint.url, ...(endpoint.apiKey && { apiKey: endpoint.apiKey }) });
  const library = new Library(resolve(opts.out ?? join(dataDir, 'library')), await findFfmpeg(undefined, opts.env));
  const runner = await JobRunner.open({ client, dataDir, library, concurrency: opts.concurrency ?? 2, onEvent: (e) => onProgress.update(e) });
  const close = async () => {
    await runner.close();
    await client.close();
    await endpoint.sandbox?.close();
  };
  return { runner, close };
}

const summarize = (jobs: JobRecord[], io: Io) => {
  const done = jobs.filter((j) => j.state === 'done').length;
  const cost = jobs.flatMap((j) => (j.reusedFrom ? [] : j.results)).reduce((s, r) => s + (r.cost ?? 0), 0);
  io.stdout.write(`${done} of ${jobs.length} job${jobs.length === 1 ? '' : 's'} done${cost ? `, $${cost.toFixed(4)}` : ''}\n`);
  return done === jobs.length ? EXIT.ok : EXIT.invalid;
};

export async function runCommand(files: string[], opts: RunOptions, io: Io & { stdout: { isTTY?: boolean } }): Promise<number> {
  const work: Array<{ file: string; compiled: ReturnType<typeof compileGraph>; graph: Parameters<JobRunner['enqueue']>[0]['graph'] }> = [];
  for (const file of files) {
    const loaded = await readGraphFile(file, registry);
    if (!loaded.ok) {
      for (const d of loaded.errors) io.stderr.write(formatDiagnostic(d, file) + '\n');
      return EXIT.invalid;
    }
    const compiled = compileGraph(loaded.doc, registry, { uuid: randomUUID });
    for (const d of compiled.diagnostics) io.stderr.write(formatDiagnostic(d, file) + '\n');
    if (!compiled.ok) return EXIT.invalid;
    work.push({ file, compiled, graph: loaded.doc });
  }
  // an estimate prints its own lines; a run shows live progress
  const progress = opts.dryRun ? new Progress({ write: () => undefined }) : new Progress(io.stdout);
  const { runner, close } = await openRunner(opts, io, progress);
  const interrupted = () => void close().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    const inputs = work.flatMap(({ file, compiled, graph }) =>
      compiled.tasks.map((task) => ({ compiled: task, graph, graphFile: resolve(file), graphName: graphNameOf(graph, file), ...(opts.force && { force: true }) })),
    );
    if (opts.dryRun) return await estimateAll(runner, inputs, io);
    const jobs: JobRecord[] = [];
    for (const input of inputs) jobs.push(await runner.enqueue(input));
    await runner.idle();
    return summarize(jobs.map((j) => runner.get(j.id) ?? j), io);
  } finally {
    process.off('SIGINT', interrupted);
    await close();
  }
}

async function estimateAll(runner: JobRunner, inputs: Parameters<JobRunner['estimate']>[0][], io: Io): Promise<number> {
  let total = 0;
  let known = 0;
  const ranForReal: JobRecord[] = [];
  for (const input of inputs) {
    const job = await runner.estimate(input);
    const label = `${input.graphName} #${input.compiled.nodeId}`;
    if (job.state === 'failed') io.stdout.write(`${label}: ${describeJob(job)}\n`);
    else if (job.estimate?.available) {
      total += job.estimate.cost ?? 0;
      known++;
      io.stdout.write(`${label}: about $${(job.estimate.cost ?? 0).toFixed(4)}\n`);
    } else {
      ranForReal.push(job);
      io.stdout.write(`${label}: cost estimate not available — this endpoint ignored the dry run and ran the task; its result will be kept\n`);
    }
  }
  io.stdout.write(`estimated $${total.toFixed(4)} for ${known} of ${inputs.length} task${inputs.length === 1 ? '' : 's'}\n`);
  if (ranForReal.length) {
    await runner.idle();
    for (const job of ranForReal) io.stdout.write(describeJob(runner.get(job.id) ?? job) + '\n');
  }
  return inputs.length === known ? EXIT.ok : EXIT.invalid;
}

export async function jobsCommand(resume: boolean, opts: RunOptions, io: Io & { stdout: { isTTY?: boolean } }): Promise<number> {
  if (!resume) {
    const { runner, close } = await openListing(opts);
    try {
      for (const job of runner.jobs()) io.stdout.write(describeJob(job) + '\n');
      const totals = await runner.ledger.totals();
      io.stdout.write(`${runner.jobs().length} jobs in the journal; $${totals.total.toFixed(4)} spent in all\n`);
      return EXIT.ok;
    } finally {
      await close();
    }
  }
  const { runner, close } = await openRunner(opts, io, new Progress(io.stdout));
  try {
    const pending = runner.resume();
    io.stdout.write(pending.length ? `resuming ${pending.length} unfinished job${pending.length === 1 ? '' : 's'}\n` : 'nothing to resume\n');
    await runner.idle();
    return summarize(pending.map((j) => runner.get(j.id) ?? j), io);
  } finally {
    await close();
  }
}

/** Listing needs no endpoint: a runner on a client that is never used. */
async function openListing(opts: RunOptions) {
  const dataDir = opts.dataDir ?? defaultDataDir(opts.env);
  const client = new RunwareClient({ baseUrl: 'http://127.0.0.1:9/unused' });
  const runner = await JobRunner.open({ client, dataDir, library: new Library(join(dataDir, 'library'), undefined) });
  return { runner, close: async () => (await runner.close(), await client.close()) };
}
