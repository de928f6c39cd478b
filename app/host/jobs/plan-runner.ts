import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { CompileResult, Coordinate } from '../../core/compile';
import { isStepOver, type StepStateName } from '../../core/job-states';
import type { GraphDocument } from '../../core/document';
import type { Origin } from '../../core/node-def';
import { fillPlaceholders, type LocalStep, type StepInput } from '../../core/plan';
import { writeFileAtomic } from '../file-io';
import { extractFrame } from '../media/frames';
import { joinVideos } from '../media/join';
import { probeVideo } from '../media/probe';
import { Journal } from './journal';
import { sequencePlace } from './library';
import type { JobRunner } from './runner';
import type { JobRecord } from './types';
import { Slots } from './slots';
import { FINISHED } from './types';

// A plan of dependent steps run to the end: tasks through the job runner (which journals, submits
// once and saves every result), frames taken and videos joined here. The plan and every step's
// state are on disk before anything is sent; started again after a crash, a plan goes on from where
// it was: a task already known to the job runner (by its taskUUID) is followed, never sent again,
// and a local step not done is done again (its output is written whole or not at all).
//
// A shot's last frame is taken from its video the moment it is downloaded, while the runner
// stores it (the same frames: storing copies them with the graph added), so the next shot waits
// for one of the two, not for both. The frame step is done only once the shot is saved, as ever;
// a frame that could not be taken early is taken from the saved video, which says why.

export interface PlanInput {
  compiled: Pick<CompileResult, 'tasks' | 'steps'>;
  graph: GraphDocument;
  graphFile?: string;
  graphName?: string;
  docId?: string;
  /** Where its videos and joined clips are kept, when the run chose a folder (`wan-graph run --out`). */
  libraryDir?: string;
}

interface PlanTask {
  step: string;
  taskUUID: string;
  nodeId: number;
  needs: readonly string[];
  task: Record<string, unknown>;
  coordinates: readonly Coordinate[];
  origins: [string, Origin][];
}

export interface PlanRecord {
  id: string;
  createdAt: number;
  /** Where its tasks are sent: it goes on only there (or on a new sandbox, for the sandbox's). */
  endpoint: string;
  graph: GraphDocument;
  graphFile?: string;
  graphName?: string;
  docId?: string;
  /** The folder the run chose for its videos and joined clips; else the runner's library. */
  libraryDir?: string;
  tasks: PlanTask[];
  steps: LocalStep[];
}

export interface StepState {
  state: StepStateName;
  /** A task's job (its taskUUID, or the earlier job whose result it reuses). */
  jobId?: string;
  /** A local step's file. */
  output?: string;
  /** What the artist should know of a step done: parts of a join fitted to the first. */
  note?: string;
  reason?: string;
}

type Entry = { type: 'plan'; plan: PlanRecord } | { type: 'step'; plan: string; step: string; state: StepState };

export class PlanRunner {
  readonly #plans = new Map<string, PlanRecord>();
  readonly #states = new Map<string, Map<string, StepState>>();
  readonly #waiters = new Map<string, Array<() => void>>();
  /** Frames and joins beside the remote tasks, within their own limit. */
  readonly #local = new Slots(2);
  /** Set by close(): steps stay as they are on disk, for the next start to go on with. */
  #closing = false;
  /** Frames taken from a download before its shot was saved, by plan and step: whether it worked. */
  readonly #early = new Map<string, Promise<boolean>>();
  readonly #stopReading: () => void;

  private constructor(
    readonly opts: {
      runner: JobRunner;
      dataDir: string;
      ffmpeg: string | undefined;
      now?: () => number;
      /** Each change of a step's state, once it is on disk, with every step's state. */
      onStep?: (plan: PlanRecord, step: string, state: StepState, states: ReadonlyMap<string, StepState>) => void;
    },
    readonly journal: Journal<Entry>,
    entries: Entry[],
  ) {
    const { plans, states } = replayPlans(entries);
    for (const [id, plan] of plans) this.#plans.set(id, plan);
    for (const [id, s] of states) this.#states.set(id, s);
    this.#stopReading = opts.runner.readDownloads((job, index, file) => this.#takeEarly(job, index, file));
  }

  static async open(opts: PlanRunner['opts']): Promise<PlanRunner> {
    await mkdir(opts.dataDir, { recursive: true });
    const { journal, entries } = await Journal.open<Entry>(join(opts.dataDir, 'plans.jsonl'));
    return new PlanRunner(opts, journal, entries);
  }

  /** Writes the plan down, then starts every step that waits for nothing. */
  async start(id: string, input: PlanInput): Promise<PlanRecord> {
    const plan: PlanRecord = {
      id,
      createdAt: (this.opts.now ?? Date.now)(),
      endpoint: this.opts.runner.opts.client.baseUrl,
      graph: input.graph,
      ...(input.graphFile !== undefined && { graphFile: input.graphFile }),
      ...(input.graphName !== undefined && { graphName: input.graphName }),
      ...(input.docId !== undefined && { docId: input.docId }),
      ...(input.libraryDir !== undefined && { libraryDir: input.libraryDir }),
      tasks: input.compiled.tasks.map((t) => ({ step: t.step, taskUUID: t.task.taskUUID as string, nodeId: t.nodeId, needs: t.needs, task: t.task, coordinates: t.coordinates, origins: [...t.origins] })),
      steps: input.compiled.steps,
    };
    await this.journal.append({ type: 'plan', plan });
    this.#plans.set(id, plan);
    this.#advance(plan);
    return plan;
  }

  /** Goes on with every plan of this endpoint not over: after a crash, where each step was. */
  resume(): PlanRecord[] {
    const { client, ephemeral } = this.opts.runner.opts;
    const open = [...this.#plans.values()].filter((p) => (p.endpoint === client.baseUrl || ephemeral) && !this.#over(p));
    for (const plan of open) this.#advance(plan, true);
    return open;
  }

  plans(): PlanRecord[] {
    return [...this.#plans.values()];
  }

  /** Every step of the plan and its state. */
  states(id: string): ReadonlyMap<string, StepState> {
    const plan = this.#plans.get(id);
    const known = this.#statesOf(id);
    return new Map((plan ? stepIds(plan) : []).map((step) => [step, known.get(step) ?? { state: 'waiting' as const }]));
  }

  /** Resolves once every step of the plan is over (done, failed or blocked). */
  settled(id: string): Promise<ReadonlyMap<string, StepState>> {
    const plan = this.#plans.get(id);
    if (!plan || this.#over(plan)) return Promise.resolve(this.states(id));
    return new Promise((done) => this.#waiters.set(id, [...(this.#waiters.get(id) ?? []), () => done(this.states(id))]));
  }

  #statesOf(plan: string): Map<string, StepState> {
    let states = this.#states.get(plan);
    if (!states) this.#states.set(plan, (states = new Map()));
    return states;
  }

  #over(plan: PlanRecord): boolean {
    return isOver(plan, this.#statesOf(plan.id));
  }

  /** Stops starting steps and recording them, and closes the journal; what runs is left to the next start. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#stopReading();
    await this.journal.close();
  }

  /**
   * Cancels a step (or, without one, the whole plan) and every step that needs it, near or far:
   * their jobs are cancelled with them, and what is over stays as it is.
   */
  async cancel(id: string, step?: string): Promise<void> {
    const plan = this.#plans.get(id);
    if (!plan) throw new Error(`no chain ${id} is known here`);
    if (step !== undefined && !stepIds(plan).includes(step)) throw new Error(`the chain has no step ${step}`);
    const states = this.#statesOf(id);
    const nodeOf = (s: string) => plan.tasks.find((t) => t.step === s)?.nodeId ?? plan.steps.find((x) => x.id === s)?.nodeId;
    for (const s of step === undefined ? stepIds(plan) : [step, ...dependentsOf(plan, step)]) {
      const now = states.get(s);
      if (isStepOver(now?.state ?? 'waiting')) continue;
      await this.#set(plan, s, { ...(now?.jobId && { jobId: now.jobId }), state: 'cancelled', reason: s === step || step === undefined ? 'cancelled' : `cancelled with node ${nodeOf(step)}` });
      if (now?.jobId) await this.opts.runner.cancel(now.jobId).catch(() => undefined);
    }
    this.#advance(plan);
  }

  /** Known at once, on disk before the plan goes on (a crash in between redoes the step's decision). */
  async #set(plan: PlanRecord, step: string, state: StepState): Promise<void> {
    if (this.#closing) return;
    // cancelled is final: what was under way when it came (a job sent, a frame taken) changes nothing
    if (this.#statesOf(plan.id).get(step)?.state === 'cancelled') return;
    this.#statesOf(plan.id).set(step, state);
    await this.journal.append({ type: 'step', plan: plan.id, step, state });
    this.opts.onStep?.(plan, step, state, this.states(plan.id));
  }

  /**
   * Starts what can start: a step whose needs are all done; a step one of whose needs failed is
   * blocked, with the reason. `resuming` picks up steps that were running when the last start ended.
   */
  #advance(plan: PlanRecord, resuming = false): void {
    if (this.#closing) return;
    const states = this.#statesOf(plan.id);
    const nodeOf = new Map<string, number>([...plan.tasks.map((t) => [t.step, t.nodeId] as const), ...plan.steps.map((s) => [s.id, s.nodeId] as const)]);
    const ready = (needs: readonly string[], step: string): boolean | 'blocked' => {
      for (const n of needs) {
        const s = states.get(n);
        if (s?.state === 'cancelled') {
          void this.#set(plan, step, { state: 'cancelled', reason: `cancelled with node ${nodeOf.get(n)}` }).then(() => this.#advance(plan));
          return 'blocked';
        }
        if (s?.state === 'failed' || s?.state === 'blocked') {
          // what it blocks in turn learns it on the next pass
          void this.#set(plan, step, { state: 'blocked', reason: s.state === 'blocked' ? s.reason : `blocked by node ${nodeOf.get(n)}: ${s.reason ?? s.state}` }).then(() => this.#advance(plan));
          return 'blocked';
        }
        if (s?.state !== 'done') return false;
      }
      return true;
    };
    for (const t of plan.tasks) {
      const s = states.get(t.step)?.state ?? 'waiting';
      if (s === 'running' && resuming) void this.#follow(plan, t);
      if (s !== 'waiting' || ready(t.needs, t.step) !== true) continue;
      states.set(t.step, { state: 'running' }); // taken: the journal entry follows
      void this.#submit(plan, t);
    }
    for (const step of plan.steps) {
      const s = states.get(step.id)?.state ?? 'waiting';
      if ((s === 'running' && resuming) || (s === 'waiting' && ready(step.needs, step.id) === true)) {
        states.set(step.id, { state: 'running' });
        void this.#runLocal(plan, step);
      }
    }
    if (this.#over(plan)) {
      const waiters = this.#waiters.get(plan.id) ?? [];
      this.#waiters.delete(plan.id);
      for (const w of waiters) w();
    }
  }

  /** A task whose needs are done: its placeholders filled with their files, then queued as any task. */
  async #submit(plan: PlanRecord, t: PlanTask): Promise<void> {
    const runner = this.opts.runner;
    try {
      let job = runner.get(t.taskUUID);
      if (!job) {
        const task = fill(t.task, (step) => this.#statesOf(plan.id).get(step)?.output);
        [job] = await runner.enqueueAll([
          {
            compiled: { nodeId: t.nodeId, task, origins: new Map(t.origins), coordinates: t.coordinates, step: t.step, needs: [] },
            graph: plan.graph,
            ...(plan.graphFile !== undefined && { graphFile: plan.graphFile }),
            ...(plan.graphName !== undefined && { graphName: plan.graphName }),
            ...(plan.docId !== undefined && { docId: plan.docId }),
            ...(plan.libraryDir !== undefined && { libraryDir: plan.libraryDir }),
          },
        ]);
      }
      await this.#set(plan, t.step, { state: 'running', jobId: job!.id });
      // cancelled while it was being queued: the job goes too
      if (this.#statesOf(plan.id).get(t.step)?.state === 'cancelled') await this.opts.runner.cancel(job!.id).catch(() => undefined);
      else await this.#follow(plan, t);
    } catch (e) {
      await this.#set(plan, t.step, { state: 'failed', reason: (e as Error).message });
      this.#advance(plan);
    }
  }

  async #follow(plan: PlanRecord, t: PlanTask): Promise<void> {
    const jobId = this.#statesOf(plan.id).get(t.step)?.jobId ?? t.taskUUID;
    const job = await this.opts.runner.settled(jobId);
    // waiting for the artist (lost track of, not yet saved): the plan waits with it
    if (!job || !FINISHED.has(job.state)) return;
    if (job.state === 'done') await this.#set(plan, t.step, { state: 'done', jobId: job.id });
    else if (job.state === 'cancelled') await this.#set(plan, t.step, { state: 'cancelled', jobId: job.id, reason: job.error?.message ?? 'cancelled' });
    else await this.#set(plan, t.step, { state: 'failed', jobId: job.id, reason: job.error?.message ?? job.state });
    this.#advance(plan);
  }

  async #runLocal(plan: PlanRecord, step: LocalStep): Promise<void> {
    await this.#local.acquire();
    try {
      const ffmpeg = this.opts.ffmpeg;
      if (!ffmpeg) throw new Error('ffmpeg is needed to take frames and join videos, and none was found (Settings › ffmpeg, or FFMPEG_PATH)');
      const input = (i: StepInput) => this.#fileOf(plan, i);
      let output: string;
      let note: string | undefined;
      if (step.kind === 'frame') {
        output = this.#frameFile(plan, step);
        const key = `${plan.id} ${step.id}`;
        const early = this.#early.get(key);
        this.#early.delete(key);
        if (!(await early)) {
          await mkdir(dirname(output), { recursive: true });
          await extractFrame(ffmpeg, input(step.video), step.pick, output);
        } else if (plan.steps.some((s) => s.kind === 'join' && s.parts.some((p) => sameInput(p, step.video)))) {
          // the early frame was taken from the download, not the saved file: what ffprobe says of
          // that is asked now, while the next shot is made, so the join need not ask it
          void probeVideo(ffmpeg, input(step.video)).catch(() => undefined);
        }
      } else {
        // one name per plan and step: a join done again after a crash writes the same file
        output = `${sequencePlace(plan.libraryDir ?? this.opts.runner.opts.library.root, plan.graphName, plan.createdAt, createHash('sha256').update(`${plan.id} ${step.id}`).digest('hex'))}.mp4`;
        await mkdir(dirname(output), { recursive: true });
        const parts = step.parts.map(input);
        const joined = await joinVideos(ffmpeg, parts, { crossfadeFrames: step.crossfadeFrames }, output);
        note = fittedNote(joined);
        await writeFileAtomic(output.replace(/\.mp4$/, '.json'), JSON.stringify({ format: 'wan-graph-sequence', plan: plan.id, step: step.id, nodeId: step.nodeId, graphName: plan.graphName, graph: plan.graph, parts, crossfadeFrames: step.crossfadeFrames, conformed: joined.conformed, frames: joined.frames, duration: joined.duration }, null, 2));
      }
      await this.#set(plan, step.id, { state: 'done', output, ...(note && { note }) });
    } catch (e) {
      await this.#set(plan, step.id, { state: 'failed', reason: (e as Error).message });
    } finally {
      this.#local.release();
    }
    this.#advance(plan);
  }

  #frameFile(plan: PlanRecord, step: LocalStep): string {
    return join(this.opts.dataDir, 'steps', plan.id, `${safe(step.id)}.png`);
  }

  /**
   * Takes, from a result's downloaded video, each frame that waits only for that shot and is yet
   * to start; what the runner waits for before it lets the download go.
   */
  #takeEarly(job: JobRecord, index: number, file: string): Promise<unknown> | undefined {
    const ffmpeg = this.opts.ffmpeg;
    if (this.#closing || !ffmpeg) return undefined;
    const taking: Promise<boolean>[] = [];
    for (const plan of this.#plans.values()) {
      const states = this.#statesOf(plan.id);
      for (const t of plan.tasks) {
        if (t.taskUUID !== job.id && states.get(t.step)?.jobId !== job.id) continue;
        for (const step of plan.steps) {
          if (step.kind !== 'frame' || !sameInput(step.video, { step: t.step, result: index })) continue;
          if (step.needs.length !== 1 || (states.get(step.id)?.state ?? 'waiting') !== 'waiting') continue;
          // only with a place free now: the shot's saving must not wait for other frames and joins
          if (!this.#local.tryAcquire()) continue;
          const output = this.#frameFile(plan, step);
          const early = (async () => {
            try {
              await mkdir(dirname(output), { recursive: true });
              await extractFrame(ffmpeg, file, step.pick, output);
              return true;
            } finally {
              this.#local.release();
            }
          })().catch(() => false);
          this.#early.set(`${plan.id} ${step.id}`, early);
          taking.push(early);
        }
      }
    }
    return taking.length ? Promise.all(taking) : undefined;
  }

  /** The file a local step reads: a task's saved result, a join's clip, or a file of the graph's. */
  #fileOf(plan: PlanRecord, input: StepInput): string {
    if ('file' in input) return isAbsolute(input.file) || !plan.graphFile ? resolve(input.file) : resolve(dirname(plan.graphFile), input.file);
    const state = this.#statesOf(plan.id).get(input.step);
    if ('result' in input) {
      const job = state?.jobId ? this.opts.runner.get(state.jobId) : undefined;
      const file = job?.results[input.result]?.file;
      if (!file) throw new Error(`${input.step} has no saved result ${input.result + 1}`);
      return file;
    }
    if (!state?.output) throw new Error(`${input.step} has no output`);
    return state.output;
  }
}

const stepIds = (plan: PlanRecord): string[] => [...plan.tasks.map((t) => t.step), ...plan.steps.map((s) => s.id)];

const isOver = (plan: PlanRecord, states: ReadonlyMap<string, StepState>): boolean => stepIds(plan).every((s) => isStepOver(states.get(s)?.state ?? 'waiting'));

/** Every step that needs this one, directly or through others. */
function dependentsOf(plan: PlanRecord, step: string): string[] {
  const needs = [...plan.tasks.map((t) => [t.step, t.needs] as const), ...plan.steps.map((s) => [s.id, s.needs] as const)];
  const found = new Set<string>();
  const visit = (of: string) => {
    for (const [id, n] of needs) {
      if (!n.includes(of) || found.has(id)) continue;
      found.add(id);
      visit(id);
    }
  };
  visit(step);
  return [...found];
}

function replayPlans(entries: readonly Entry[]) {
  const plans = new Map<string, PlanRecord>();
  const states = new Map<string, Map<string, StepState>>();
  for (const e of entries) {
    if (e.type === 'plan') plans.set(e.plan.id, e.plan);
    else {
      let known = states.get(e.plan);
      if (!known) states.set(e.plan, (known = new Map()));
      known.set(e.step, e.state);
    }
  }
  return { plans, states };
}

/** The plans of a data folder with their steps' states, read from their journal without opening it. */
export async function readPlans(dataDir: string): Promise<Array<{ plan: PlanRecord; states: ReadonlyMap<string, StepState> }>> {
  const { plans, states } = replayPlans(await Journal.read<Entry>(join(dataDir, 'plans.jsonl')));
  return [...plans.values()].map((plan) => ({ plan, states: states.get(plan.id) ?? new Map() }));
}

/** The plans of a data folder not yet over. */
export async function unfinishedPlans(dataDir: string): Promise<PlanRecord[]> {
  return (await readPlans(dataDir)).filter(({ plan, states }) => !isOver(plan, states)).map(({ plan }) => plan);
}

/** The task with each placeholder replaced by the file its step made. */
const fill = (task: Record<string, unknown>, outputOf: (step: string) => string | undefined) =>
  fillPlaceholders(task, (p) => {
    const file = outputOf(p.$step);
    if (!file) throw new Error(`${p.label} was not made`);
    return file;
  });

const shape = (s: { width: number; height: number; fps: number }) => `${s.width}×${s.height}, ${Number(s.fps.toFixed(2))} fps`;

/** "parts 2 and 3 fitted to the first (832×480, 16 fps): part 2 was 1280×720, 24 fps; …" */
function fittedNote(joined: { width: number; height: number; fps: number; conformed: { part: number; from: { width: number; height: number; fps: number } }[] }): string | undefined {
  if (!joined.conformed.length) return undefined;
  const was = joined.conformed.map((c) => `part ${c.part + 1} was ${shape(c.from)}`).join('; ');
  return `fitted to the first part (${shape(joined)}): ${was}`;
}

const sameInput = (a: StepInput, b: StepInput): boolean =>
  'file' in a || 'file' in b ? 'file' in a && 'file' in b && a.file === b.file : a.step === b.step && ('result' in a ? a.result : undefined) === ('result' in b ? b.result : undefined);

const safe = (id: string) => id.replace(/[^\w.@-]/g, '_');
