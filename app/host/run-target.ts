import { join } from 'node:path';
import { RunwareClient } from '../runware/client';
import { Journal } from './jobs/journal';
import { Ledger } from './jobs/ledger';
import { Library } from './jobs/library';
import { JobRunner, replay } from './jobs/runner';
import { PlanRunner, unfinishedPlans, type PlanRecord, type StepState } from './jobs/plan-runner';
import type { JobEvent, JobRecord, JournalEntry } from './jobs/types';

// One way to open the job runner for a target (an endpoint and its key), for the command line and
// the editor alike, and one way to read every journal. The built-in sandbox keeps its journal,
// ledger and videos in <data>/sandbox, apart from paid ones; its tasks end with it, so its
// unfinished jobs are sent again (for free) when resumed.

export interface RunTarget {
  url: string;
  apiKey?: string;
  /** The built-in sandbox endpoint. */
  sandbox: boolean;
}

export interface RunnerPlace {
  /** The data folder. */
  dataDir: string;
  /** Where the videos of paid runs go; <data>/library by default. */
  libraryDir?: string;
  /** Where the sandbox's videos go; <data>/sandbox/library by default. */
  sandboxLibraryDir?: string;
  ffmpegPath?: string;
  concurrency?: number;
  onEvent?: (event: JobEvent) => void;
  /** Each change of a chain step's state, once it is on disk. */
  onStep?: (plan: PlanRecord, step: string, state: StepState, states: ReadonlyMap<string, StepState>) => void;
}

/** The folder holding the journal, ledger and upload cache of runs to a sandbox or a real endpoint. */
const journalDirOf = (dataDir: string, sandbox: boolean) => (sandbox ? join(dataDir, 'sandbox') : dataDir);

const libraryDirOf = (place: RunnerPlace, sandbox: boolean) =>
  (sandbox ? place.sandboxLibraryDir : place.libraryDir) ?? join(journalDirOf(place.dataDir, sandbox), 'library');

export interface OpenedRunner {
  runner: JobRunner;
  /** The chains run through it: their frames and joins beside its tasks. */
  plans: PlanRunner;
  client: RunwareClient;
  close(): Promise<void>;
}

export async function openRunnerFor(target: RunTarget, place: RunnerPlace): Promise<OpenedRunner> {
  const client = new RunwareClient({ baseUrl: target.url, ...(target.apiKey && { apiKey: target.apiKey }) });
  try {
    const runner = await JobRunner.open({
      client,
      dataDir: journalDirOf(place.dataDir, target.sandbox),
      library: new Library(libraryDirOf(place, target.sandbox), place.ffmpegPath),
      concurrency: place.concurrency ?? 2,
      ...(place.onEvent && { onEvent: place.onEvent }),
      // the sandbox is on this machine and free to ask: poll it often; it forgets its tasks when it stops
      ...(target.sandbox && { firstPollMs: 250, pollCapMs: 2000, ephemeral: true, free: true }),
    });
    const plans = await PlanRunner.open({ runner, dataDir: runner.opts.dataDir, ffmpeg: place.ffmpegPath, ...(place.onStep && { onStep: place.onStep }) }).catch(async (e: unknown) => {
      await runner.close();
      throw e;
    });
    const close = async () => {
      await plans.close();
      await runner.close();
      await client.close();
    };
    return { runner, plans, client, close };
  } catch (e) {
    await client.close();
    throw e;
  }
}

export interface JournalView {
  sandbox: boolean;
  jobs: JobRecord[];
  /** Chains not over: they go on where their tasks were sent. */
  plans: PlanRecord[];
  ledger: Ledger;
}

/** Every journal in the data folder (paid runs first, then the sandbox's), as it is on disk. */
export async function readJournals(dataDir: string): Promise<JournalView[]> {
  return Promise.all(
    [false, true].map(async (sandbox) => {
      const dir = journalDirOf(dataDir, sandbox);
      const entries = await Journal.read<JournalEntry>(join(dir, 'journal.jsonl'));
      return { sandbox, jobs: [...replay(entries).values()], plans: await unfinishedPlans(dir), ledger: new Ledger(join(dir, 'ledger.jsonl')) };
    }),
  );
}
