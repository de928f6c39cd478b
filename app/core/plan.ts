// A graph compiles to a plan: remote steps (Runware tasks) and local steps (a frame taken from a
// video, videos joined), each with the steps it needs. A task whose input a step not yet run will
// give holds a placeholder there, which the runner replaces once that step's output is on disk.

/** Where a value will come from: the local step that makes it. */
export interface Placeholder {
  readonly $step: string;
  /** How the Payload tab shows it: "last frame of node 7, result 1". */
  readonly label: string;
}

export const isPlaceholder = (v: unknown): v is Placeholder => typeof v === 'object' && v !== null && typeof (v as { $step?: unknown }).$step === 'string';

/** A video, as it flows along a link: made by a task, joined by a Sequence node, or a file. */
export type VideoSource = { nodeId: number } & (
  | { task: string; /** results the task makes (numberResults) */ results: number; /** in a branch per result: the branch's (from 0) */ result?: number }
  | { join: string }
  | { file: string }
);

/** Which frame of a video (0-based index; seconds from the start). */
export type FramePick = { at: 'first' } | { at: 'last' } | { at: 'index'; index: number } | { at: 'time'; seconds: number };

/** Where a local step reads a video: a result of a task step (from 0), a join step's clip, or a file. */
export type StepInput = { step: string; result: number } | { step: string } | { file: string };

/** What a node asks of a local step; the compiler gives it its id. */
export type StepBody = {
  /** The steps whose outputs it reads. */
  needs: readonly string[];
  label: string;
} & ({ kind: 'frame'; video: StepInput; pick: FramePick } | { kind: 'join'; parts: readonly StepInput[]; crossfadeFrames: number });

export type LocalStep = StepBody & {
  /** Unique in the plan, and the same for the same node and swept values in every compile. */
  id: string;
  nodeId: number;
};

export type JoinStep = Extract<LocalStep, { kind: 'join' }>;

/** "3 parts joined by node 9". */
export const joinLabel = (parts: number, nodeId: number) => `${parts} part${parts === 1 ? '' : 's'} joined by node ${nodeId}`;

/** What a local step reads a video from, and the step it waits for (none for a file). */
export function stepInput(video: VideoSource, result?: number): { input: StepInput; needs?: string } {
  if ('task' in video) return { input: { step: video.task, result: result ?? video.result ?? 0 }, needs: video.task };
  if ('join' in video) return { input: { step: video.join }, needs: video.join };
  return { input: { file: video.file } };
}

/** "last frame", "frame 12", "the frame at 1.5 s". */
export function describePick(pick: FramePick): string {
  switch (pick.at) {
    case 'first':
      return 'first frame';
    case 'last':
      return 'last frame';
    case 'index':
      return `frame ${pick.index}`;
    case 'time':
      return `frame at ${pick.seconds} s`;
  }
}

/** The labels of a task's placeholders, in the order they come. */
export function placeholdersIn(value: unknown, found: Placeholder[] = []): Placeholder[] {
  if (isPlaceholder(value)) found.push(value);
  else if (Array.isArray(value)) for (const v of value) placeholdersIn(v, found);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) placeholdersIn(v, found);
  return found;
}

/** The task as the Payload tab shows it: each placeholder as "← last frame of node 7, result 1". */
export function showPlaceholders<T>(value: T): T {
  if (isPlaceholder(value)) return `← ${value.label}` as T;
  if (Array.isArray(value)) return (value.some((v) => typeof v === 'object' && v !== null) ? value.map(showPlaceholders) : value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (!placeholdersIn(value).length) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, showPlaceholders(v)])) as T;
}

/** The value with each placeholder replaced by what `by` gives for it. */
export function fillPlaceholders<T>(value: T, by: (p: Placeholder) => unknown): T {
  if (isPlaceholder(value)) return by(value) as T;
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, by)) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, by)])) as T;
}
