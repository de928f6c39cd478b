import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { compileGraph } from '../core/compile';
import { formatDiagnostic } from '../core/diagnostics';
import { findFfmpeg } from '../host/ffmpeg';
import { graphName } from '../core/document';
import { readGraphFile } from '../host/file-io';
import { defaultDataDir } from '../host/data-dir';
import { RUNWARE_URL } from '../core/support/endpoint';
import type { PlanRunner } from '../host/jobs/plan-runner';
import type { JobRunner } from '../host/jobs/runner';
import { FINISHED, isEstimateOnly, type JobEvent, type JobRecord } from '../host/jobs/types';
import { openRunnerFor, readJournals, type JournalView, type RunnerPlace } from '../host/run-target';
import { registry } from '../../nodes';
import { resolveEndpoint, type Endpoint } from './endpoint';
import { EXIT, type Io } from './io';
import { costGuard, dryRun } from './cost-guard';
import { describeJob, Progress } from './progress';

export interface RunOptions {
  endpoint?: string;
  out?: string;
  concurrency?: number;
  force?: boolean;
  /** Only ask what the tasks would cost. */
  dryRun?: boolean;
  /** Refuse a run estimated above this (USD), or of unknown cost. */
  maxCost?: number;
  /** Do not ask before a run above the budgets in Settings. */
  yes?: boolean;
  /** The most tasks one graph may send (a sweep multiplies them); the compiler's default when unset. */
  maxTasks?: number;
  dataDir?: string;
  env: NodeJS.ProcessEnv;
}

/** Opens the runner on the chosen endpoint; everything a run or a resume needs. */
async function openRunner(opts: RunOptions, io: Io, onProgress: Progress) {
  const endpoint = await resolveEndpoint(opts.endpoint, opts.env);
  if (endpoint.notice) io.stderr.write(endpoint.notice + '\n');
  return { ...(await openOn(endpoint, opts, onProgress, io)), sandbox: Boolean(endpoint.sandbox) };
}

/** The runner and its chains on an endpoint; each chain step is printed as it changes. */
async function openOn(endpoint: Endpoint, opts: RunOptions, onProgress: Progress, io: Io) {
  const out = outOf(opts);
  const place: RunnerPlace = {
    dataDir: dataDirOf(opts),
    ffmpegPath: await findFfmpeg(undefined, opts.env),
    concurrency: opts.concurrency ?? 2,
    onEvent: (e: JobEvent) => void (!isEstimateOnly(e.job) && onProgress.update(e)),
    onStep: (plan, id, state) => {
      const step = plan.steps.find((s) => s.id === id);
      const what = step ? `${id} (${step.label})` : `${id} (node ${plan.tasks.find((t) => t.step === id)?.nodeId})`;
      io.stdout.write(`step ${what}: ${state.state}${state.reason ? ` — ${state.reason}` : ''}${state.output ? ` → ${state.output}` : ''}${state.note ? ` (${state.note})` : ''}\n`);
    },
    ...(out && { libraryDir: out, sandboxLibraryDir: out }),
  };
  const opened = await openRunnerFor({ url: endpoint.url, sandbox: Boolean(endpoint.sandbox), ...(endpoint.apiKey && { apiKey: endpoint.apiKey }) }, place).catch(async (e: unknown) => {
    await endpoint.sandbox?.close();
    throw e;
  });
  return { runner: opened.runner, plans: opened.plans, close: async () => (await opened.close(), await endpoint.sandbox?.close()) };
}

const dataDirOf = (opts: RunOptions) => opts.dataDir ?? defaultDataDir(opts.env);
/** The folder --out chose for the videos: kept with each job, so a resume saves there too. */
const outOf = (opts: RunOptions) => (opts.out !== undefined ? resolve(opts.out) : undefined);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const summarize = (jobs: JobRecord[], io: Io) => {
  const done = jobs.filter((j) => j.state === 'done').length;
  const unsaved = jobs.filter((j) => j.state === 'unsaved');
  const paid = jobs.flatMap((j) => (j.reusedFrom ? [] : j.results.filter((r) => !r.error)));
  const cost = paid.reduce((s, r) => s + (r.cost ?? 0), 0);
  const unreported = paid.filter((r) => r.cost === undefined).length;
  io.stdout.write(`${done} of ${plural(jobs.length, 'job')} done${cost ? `, $${cost.toFixed(4)}` : ''}${unreported ? `, ${plural(unreported, 'result')} with no cost reported` : ''}\n`);
  if (unsaved.length) io.stdout.write(`${plural(unsaved.length, 'job')} paid, not yet saved: ${unsaved[0]!.error?.message ?? ''}\n`);
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
    const compiled = compileGraph(loaded.doc, registry, { uuid: randomUUID, ...(opts.maxTasks !== undefined && { maxTasks: opts.maxTasks }) });
    for (const d of compiled.diagnostics) io.stderr.write(formatDiagnostic(d, file) + '\n');
    if (!compiled.ok) return EXIT.invalid;
    work.push({ file, compiled, graph: loaded.doc });
  }
  // an estimate prints its own lines; a run shows live progress
  const progress = opts.dryRun ? new Progress({ write: () => undefined }) : new Progress(io.stdout);
  const { runner, plans, close, sandbox } = await openRunner(opts, io, progress);
  const out = outOf(opts);
  const interrupted = () => void close().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    const inputs = work.flatMap(({ file, compiled, graph }) =>
      compiled.tasks.map((task) => ({ compiled: task, graph, graphFile: resolve(file), graphName: graphName(graph, file), ...(opts.force && { force: true }), ...(out && { libraryDir: out }) })),
    );
    if (opts.dryRun) return await dryRun(runner, inputs, sandbox, io);
    const refused = await costGuard(runner, inputs, { dataDir: dataDirOf(opts), sandbox, ...(opts.maxCost !== undefined && { maxCost: opts.maxCost }), ...(opts.yes && { yes: true }) }, io);
    if (refused !== undefined) return refused;
    // a graph whose tasks wait for frames, or whose videos are joined, runs as a plan of steps
    const chains = work.filter(({ compiled }) => compiled.steps.length);
    const plain = inputs.filter((i) => !chains.some((c) => c.compiled.tasks.includes(i.compiled)));
    const jobs = await runner.enqueueAll(plain);
    const started = await Promise.all(chains.map(({ file, compiled, graph }) => plans.start(randomUUID(), { compiled, graph, graphFile: resolve(file), graphName: graphName(graph, file), ...(out && { libraryDir: out }) })));
    const outcomes = await Promise.all(started.map((p) => plans.settled(p.id)));
    await runner.idle();
    const planJobs = started.flatMap((p, k) => p.tasks.flatMap((t) => runner.get(outcomes[k]!.get(t.step)?.jobId ?? '') ?? []));
    const code = summarize([...jobs, ...planJobs].map((j) => runner.get(j.id) ?? j), io);
    for (const [k, p] of started.entries()) {
      const states = [...outcomes[k]!.values()];
      const films = p.steps.filter((s) => s.kind === 'join').flatMap((s) => outcomes[k]!.get(s.id)?.output ?? []);
      io.stdout.write(`${p.graphName ?? 'chain'}: ${states.filter((s) => s.state === 'done').length} of ${plural(states.length, 'step')} done${films.length ? `; joined: ${films.join(', ')}` : ''}\n`);
    }
    return outcomes.every((states) => [...states.values()].every((s) => s.state === 'done')) ? code : EXIT.invalid;
  } finally {
    process.off('SIGINT', interrupted);
    await close();
  }
}

export async function jobsCommand(resume: boolean, opts: RunOptions, io: Io & { stdout: { isTTY?: boolean } }): Promise<number> {
  const journals = await readJournals(dataDirOf(opts));
  if (!resume) {
    for (const { sandbox, jobs } of journals) for (const job of jobs) io.stdout.write((sandbox ? '[sandbox] ' : '') + describeJob(job) + '\n');
    const [paid, simulated] = await Promise.all(journals.map((j) => j.ledger.totals()));
    const count = journals.reduce((n, j) => n + j.jobs.length, 0);
    const unreported = paid!.unreported ? ` and ${plural(paid!.unreported, 'result')} whose cost was not reported (no Include cost)` : '';
    io.stdout.write(`${plural(count, 'job')} in the journals; $${paid!.total.toFixed(4)} spent in all${unreported}${simulated!.total ? ` (and $${simulated!.total.toFixed(4)} simulated on the sandbox)` : ''}\n`);
    return EXIT.ok;
  }
  // every endpoint with unfinished jobs is followed up where they were sent (the sandbox anew)
  const endpoints: string[] = opts.endpoint !== undefined ? [opts.endpoint] : unfinishedEndpoints(journals);
  if (!endpoints.length) {
    io.stdout.write('nothing to resume\n');
    return EXIT.ok;
  }
  const progress = new Progress(io.stdout);
  const pending: JobRecord[] = [];
  const runners: Array<{ runner: JobRunner; plans: PlanRunner; close: () => Promise<void> }> = [];
  try {
    for (const choice of endpoints) {
      let endpoint: Endpoint;
      try {
        endpoint = await resolveEndpoint(choice, opts.env);
      } catch (e) {
        io.stderr.write(`cannot resume the jobs sent to ${choice}: ${(e as Error).message}\n`);
        continue;
      }
      const opened = await openOn(endpoint, opts, progress, io);
      runners.push(opened);
      pending.push(...(await opened.runner.resume()));
    }
    // chains go on where they were, their steps after the jobs they wait for
    const open = runners.flatMap(({ plans }) => plans.resume().map((plan) => plans.settled(plan.id)));
    const what = [pending.length && plural(pending.length, 'unfinished job'), open.length && plural(open.length, 'unfinished chain')].filter(Boolean);
    io.stdout.write(what.length ? `resuming ${what.join(' and ')}\n` : 'nothing to resume\n');
    const outcomes = await Promise.all(open);
    await Promise.all(runners.map((r) => r.runner.idle()));
    const latest = pending.map((j) => runners.map((r) => r.runner.get(j.id)).find((x) => x) ?? j);
    const chainsDone = outcomes.every((states) => [...states.values()].every((s) => s.state === 'done'));
    const code = pending.length ? summarize(latest, io) : runners.length === endpoints.length ? EXIT.ok : EXIT.invalid;
    return chainsDone ? code : EXIT.invalid;
  } finally {
    for (const r of runners) await r.close();
  }
}

/** Where unfinished jobs wait: 'sandbox' for the sandbox's journal, 'runware' or the URL for the others. */
function unfinishedEndpoints(journals: readonly JournalView[]): string[] {
  const out = new Set<string>();
  const name = (sandbox: boolean, endpoint: string) => (sandbox ? 'sandbox' : endpoint === RUNWARE_URL ? 'runware' : endpoint);
  for (const { sandbox, jobs, plans } of journals) {
    for (const job of jobs) if (!FINISHED.has(job.state)) out.add(name(sandbox, job.endpoint));
    for (const plan of plans) out.add(name(sandbox, plan.endpoint));
  }
  return [...out];
}
