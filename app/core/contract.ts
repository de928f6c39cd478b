import { z } from 'zod';
import { Diagnostic } from './diagnostics';
import { FINISHED, isMoving, JOB_STATES, STEP_STATES } from './job-states';
import { BudgetUsd, RunEstimate } from './run-cost';
import { ACTIONS } from './support/shortcuts';

// The one contract between the editor (renderer) and the host: every operation with a zod input
// and output, and the events the host pushes. Browser mode serves it over loopback HTTP, the
// desktop app over IPC; both validate inputs with these schemas, and the renderer's API type is
// inferred from them. Graphs cross as file text (the loader and serializer in core keep bigints
// and key order exact); the API key crosses only inward, and never comes back.

const text = (max: number) => z.string().max(max);
const path = text(4096).min(1);
const ok = z.object({ ok: z.literal(true) });
/** Names one open document (an editor tab) for life: autosaves and jobs carry it. */
const DocId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a document id is 1–64 letters, digits, - or _');

const EndpointKind = z.enum(['runware', 'sandbox', 'custom']);

export const Settings = z.object({
  endpoint: EndpointKind,
  /** For `custom`: an http(s) URL of a Runware-compatible endpoint. */
  customUrl: z.string().max(2000).optional(),
  concurrency: z.number().int().min(1).max(16),
  /** Where result videos are kept; absent means the default inside the data folder. */
  libraryDir: z.string().max(4096).optional(),
  /** USD; a run estimated above it (or of unknown cost) asks first. Absent: no limit. */
  budgetPerRun: BudgetUsd.optional(),
  /** USD; a run that would take the day's spend above it (or of unknown cost) asks first. Absent: no limit. */
  budgetPerDay: BudgetUsd.optional(),
  /** The most tasks one run may send (a sweep multiplies them); absent means the compiler's default (200). */
  maxTasksPerRun: z.number().int().min(1).max(10_000).optional(),
});
export type Settings = z.infer<typeof Settings>;

/** A change of settings; a budget set to null is cleared (no limit). */
const SettingsPatch = Settings.partial().extend({ budgetPerRun: BudgetUsd.nullable().optional(), budgetPerDay: BudgetUsd.nullable().optional() });

export const KeyStatus = z.object({
  set: z.boolean(),
  /** Where the key in use comes from. */
  source: z.enum(['none', 'environment', 'session', 'store']),
  /** False where the key store cannot really protect it (plain file, Linux basic_text). */
  protected: z.boolean(),
  /** Said to the artist beside the key field. */
  note: z.string().optional(),
});
export type KeyStatus = z.infer<typeof KeyStatus>;

export const SettingsView = z.object({
  settings: Settings,
  key: KeyStatus,
  /** Where runs go right now, and why, in words: with no key that is the sandbox. */
  target: z.object({ sandbox: z.boolean(), url: z.string(), notice: z.string() }),
  libraryDir: z.string(),
});
export type SettingsView = z.infer<typeof SettingsView>;

const JobStateName = z.enum(JOB_STATES);

export const JobErrorView = z.object({
  code: z.string(),
  message: z.string(),
  nodeId: z.number().optional(),
  field: z.string().optional(),
  parameter: z.union([z.string(), z.array(z.string())]).optional(),
});
export type JobErrorView = z.infer<typeof JobErrorView>;

export const ResultView = z.object({
  index: z.number(),
  videoUUID: z.string(),
  seed: z.string(),
  cost: z.number().optional(),
  /** The video on disk, once downloaded. */
  file: z.string().optional(),
  error: JobErrorView.optional(),
});
export type ResultView = z.infer<typeof ResultView>;

/** One swept value that made a task (core/compile.ts's Coordinate): the sweep node, the item (from 0), its label. */
export const CoordinateView = z.object({ nodeId: z.number(), title: z.string(), index: z.number().int().min(0), label: z.string() });
export type CoordinateView = z.infer<typeof CoordinateView>;

/** A job as the editor shows it: no graph snapshot, no secrets. */
export const JobView = z.object({
  id: z.string(),
  nodeId: z.number(),
  graphName: z.string().optional(),
  graphFile: z.string().optional(),
  /** The editor document (tab) it was run from, so its results land there and nowhere else. */
  docId: z.string().optional(),
  /** The swept values that made it, one per sweep (absent for a plain task): a Compare Grid lays results out by them. */
  coordinates: z.array(CoordinateView).optional(),
  /** The run it was queued in: the tasks of one sweep share it. */
  batch: z.string().optional(),
  state: JobStateName,
  sandbox: z.boolean(),
  createdAt: z.number(),
  submittedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  results: z.array(ResultView),
  error: JobErrorView.optional(),
  reusedFrom: z.string().optional(),
  /** The payload as submitted (frame images may be replaced by their uploaded UUIDs), as JSON text, with every URL cut to scheme, host and path (core/support/shareable.ts). */
  payload: z.string(),
});
export type JobView = z.infer<typeof JobView>;

/** One step of a chain as the queue shows it: a shot (a task), a frame taken, or videos joined. */
export const PlanStepView = z.object({
  id: z.string(),
  kind: z.enum(['task', 'frame', 'join']),
  nodeId: z.number(),
  /** "shot of node 7", "last frame of node 7, result 1", "3 videos joined". */
  label: z.string(),
  state: z.enum(STEP_STATES),
  reason: z.string().optional(),
  /** The labels of the steps it waits for that are not done yet. */
  waitsFor: z.array(z.string()),
  /** A shot's job. */
  jobId: z.string().optional(),
  /** A frame's image or a join's clip, once made. */
  output: z.string().optional(),
  /** A join's number of parts. */
  parts: z.number().optional(),
  /** What to know of it once done: parts of a join fitted to the first. */
  note: z.string().optional(),
});
export type PlanStepView = z.infer<typeof PlanStepView>;

/** A chain run: its steps in order, each with its state. */
export const PlanView = z.object({
  id: z.string(),
  graphName: z.string().optional(),
  docId: z.string().optional(),
  sandbox: z.boolean(),
  createdAt: z.number(),
  steps: z.array(PlanStepView),
});
export type PlanView = z.infer<typeof PlanView>;

export const isFinished = (j: JobView) => FINISHED.has(j.state);
/** Still moving: not finished, and not waiting for a retry (lost track of, or results not yet saved). */
export const isActive = (j: JobView) => isMoving(j.state);

export const AutosavedDoc = z.object({ id: z.string(), text: z.string(), path: z.string().optional(), dirty: z.boolean(), savedAt: z.number().optional() });
export type AutosavedDoc = z.infer<typeof AutosavedDoc>;

const GraphText = z.object({ path: z.string(), text: z.string(), name: z.string() });

/** A graph's text to run: every active task, or only those of `nodeIds`. */
const RunInput = z.object({ text: text(32 * 1024 * 1024), path: z.string().optional(), nodeIds: z.array(z.number()).optional(), docId: DocId.optional() });

const op = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const contract = {
  'app.info': op(z.object({}), z.object({ version: z.string(), shell: z.enum(['web', 'desktop']), dataDir: z.string(), examples: z.array(z.object({ name: z.string(), path: z.string() })) })),

  'settings.get': op(z.object({}), SettingsView),
  'settings.set': op(SettingsPatch, SettingsView),
  /** `remember: false` keeps the key for this session only. */
  'key.set': op(z.object({ key: text(512).min(1), remember: z.boolean() }), SettingsView),
  'key.clear': op(z.object({}), SettingsView),

  /** Reads a graph file's text; loading (parse, migrate, validate) is done by core in the editor. */
  'file.read': op(z.object({ path }), GraphText),
  /** Writes graph text atomically; only to a `.wgraph.json` path. */
  'file.write': op(z.object({ path, text: text(32 * 1024 * 1024) }), z.object({ path: z.string() })),
  /** A folder's graph files and subfolders, for the open and save dialogs. */
  'file.list': op(z.object({ dir: z.string().max(4096).optional() }), z.object({ dir: z.string(), parent: z.string().optional(), entries: z.array(z.object({ name: z.string(), path: z.string(), kind: z.enum(['dir', 'graph']) })) })),
  'recent.list': op(z.object({}), z.object({ files: z.array(z.string()) })),
  'recent.clear': op(z.object({}), ok),

  /** Each open document (tab), kept every few seconds so a crash loses nothing. */
  'autosave.write': op(z.object({ id: DocId, text: text(32 * 1024 * 1024), path: z.string().optional(), dirty: z.boolean() }), ok),
  /** A tab was closed: its copy goes. */
  'autosave.remove': op(z.object({ id: DocId }), ok),
  /** The open tabs, in order, and the one in front: what the next start brings back. */
  'autosave.session': op(z.object({ ids: z.array(DocId).max(500), active: DocId.optional() }), ok),
  /** The tabs to bring back, in order (a single working graph kept by an older version comes back as one). */
  'autosave.read': op(z.object({}), z.object({ tabs: z.array(AutosavedDoc), active: z.string().optional() })),

  /** An image dropped or picked in the editor, kept in the data folder for a Frame Image node. */
  'image.import': op(z.object({ name: text(255), base64: z.string().max(64 * 1024 * 1024) }), z.object({ path: z.string() })),
  /**
   * A Frame Image's local file (absolute, or relative to `graphFile`) as a data URI, to show in its
   * node: read-only, and only real images within the runner's size limit.
   */
  'image.preview': op(z.object({ image: path, graphFile: z.string().max(4096).optional() }), z.object({ dataUri: z.string() })),
  /** The graph a result video was made from (its provenance file, or its embedded metadata). */
  'video.graph': op(z.union([z.object({ path }), z.object({ name: text(255), base64: z.string().max(512 * 1024 * 1024) })]), z.object({ text: z.string(), seed: z.string().optional() })),
  /** Opens the folder holding a library file in the system's file manager. */
  'library.reveal': op(z.object({ path }), ok),
  /** Marks a library video as a favourite (or not): kept in its library entry (the .json beside it). */
  'library.favourite': op(z.object({ path, favourite: z.boolean() }), ok),
  /** Which of these library videos are favourites. */
  'library.favourites': op(z.object({ paths: z.array(path).max(5000) }), z.object({ favourites: z.array(z.string()) })),
  /**
   * A Compare Grid exported into the library: one labelled video (the cells side by side, playing
   * together) and a contact sheet (each cell's middle frame), each with a provenance file naming
   * its jobs and their coordinates. Cells are job ids row by row, null where a cell has no video.
   */
  'grid.export': op(
    z.object({
      cells: z.array(text(100).nullable()).min(1).max(256),
      columns: z.number().int().min(1).max(64),
      /** Axis labels: one per column (the top row shows them) and one per row (the left column shows them). */
      columnLabels: z.array(text(500)).max(64),
      rowLabels: z.array(text(500)).max(256),
      /** What the axes are ("Seed", "CFG scale"), for the provenance and the file name. */
      axes: z.array(text(200)).max(8).optional(),
    }),
    z.object({ video: z.string(), image: z.string() }),
  ),

  /** Compiles the graph text on the host and queues every active task (or only `nodeIds`). */
  /** A graph whose tasks wait for frames, or whose videos are joined, runs as a chain (`plan`): its jobs follow as its steps start. */
  'jobs.run': op(RunInput, z.union([z.object({ ok: z.literal(true), jobs: z.array(JobView), plan: PlanView.optional() }), z.object({ ok: z.literal(false), diagnostics: z.array(Diagnostic) })])),
  /**
   * What jobs.run with the same input would cost, before anything is paid: one dry run per payload
   * shape, reused results free, today's spend; `over` says why it goes beyond the artist's budgets.
   */
  'jobs.estimate': op(RunInput, z.union([z.object({ ok: z.literal(true), estimate: RunEstimate, over: z.array(z.string()) }), z.object({ ok: z.literal(false), diagnostics: z.array(Diagnostic) })])),
  'jobs.list': op(z.object({ limit: z.number().int().min(1).max(5000).optional() }), z.object({ jobs: z.array(JobView), plans: z.array(PlanView) })),
  'jobs.cancel': op(z.object({ id: text(100) }), ok),
  /** Takes up a job waiting for the artist again: paid results not yet saved, or a job lost track of. */
  'jobs.retry': op(z.object({ id: text(100) }), ok),
  /** Cancels a chain's step and every step that needs it (their jobs too); without a step, the whole chain. */
  'plans.cancel': op(z.object({ id: text(100), step: text(200).optional() }), ok),
} as const;

export type Contract = typeof contract;
export type OpName = keyof Contract;
export type OpInput<K extends OpName> = z.input<Contract[K]['input']>;
export type OpOutput<K extends OpName> = z.output<Contract[K]['output']>;

/** What the host pushes to the editor. */
export const HostEvent = z.discriminatedUnion('type', [z.object({ type: z.literal('job'), job: JobView }), z.object({ type: z.literal('plan'), plan: PlanView }), z.object({ type: z.literal('settings'), view: SettingsView })]);
export type HostEvent = z.infer<typeof HostEvent>;

type Functions<C extends Record<string, { input: z.ZodType; output: z.ZodType }>> = { [K in keyof C]: (input: z.input<C[K]['input']>) => Promise<z.output<C[K]['output']>> };

/** Operations only the desktop app has: the system's open and save dialogs, files opened from outside. */
export const desktopContract = {
  /** No path when the artist cancels. */
  'dialog.open': op(z.object({ defaultPath: z.string().max(4096).optional() }), z.object({ path: z.string().optional() })),
  'dialog.save': op(z.object({ defaultPath: z.string().max(4096).optional() }), z.object({ path: z.string().optional() })),
  /** Graph files the app was asked to open (command line, file manager) before the editor was ready; later ones come as events. */
  'files.pending': op(z.object({}), z.object({ paths: z.array(z.string()) })),
} as const;
export type DesktopOpName = keyof typeof desktopContract;

/** What the desktop app asks of the editor: a menu item was chosen, a file was opened from outside. */
export const DesktopEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('menu'), action: z.enum(ACTIONS) }),
  z.object({ type: z.literal('open-file'), path: z.string() }),
  z.object({ type: z.literal('open-example'), path: z.string() }),
]);
export type DesktopEvent = z.infer<typeof DesktopEvent>;

export type DesktopApi = Functions<typeof desktopContract> & { onDesktopEvent(listener: (event: DesktopEvent) => void): () => void };

/** The editor's view of the host: one async function per operation, and a stream of events. */
export type HostApi = Functions<Contract> & {
  onEvent(listener: (event: HostEvent) => void): () => void;
  /** A URL the renderer can play a library video from. */
  mediaUrl(file: string): string;
  /** Present in the desktop app only. */
  desktop?: DesktopApi;
};

/** An operation failed on the host: the message is for the artist, the code for the editor. */
export const HostError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type HostError = z.infer<typeof HostError>;

/**
 * A host failure, one type on every side: the host's services throw it, it crosses either transport
 * as a HostError, and the editor's calls reject with it again, code and message unchanged.
 */
export class HostFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HostFailure';
  }

  static from(e: HostError): HostFailure {
    return new HostFailure(e.error.code, e.error.message);
  }
}

/**
 * A call's answer as data. Electron's context bridge keeps only an Error's message, so on the
 * desktop a failure reaches the page as a HostError and becomes a HostFailure there.
 */
export type HostReply<T = unknown> = { ok: true; value: T } | ({ ok: false } & HostError);

type Replies<C extends Record<string, { input: z.ZodType; output: z.ZodType }>> = { [K in keyof C]: (input: z.input<C[K]['input']>) => Promise<HostReply<z.output<C[K]['output']>>> };

/**
 * What the desktop app's preload puts on `window.wanGraph`: the contract's operations, answering
 * with HostReply data, and the event streams. The editor makes a HostApi of it.
 */
export interface BridgeApi extends Replies<Contract> {
  onEvent(listener: (event: HostEvent) => void): () => void;
  mediaUrl(file: string): string;
  desktop: Replies<typeof desktopContract> & { onDesktopEvent(listener: (event: DesktopEvent) => void): () => void };
}

