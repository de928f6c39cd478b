// The states of a job, for the runner, the contract and every view of it: one list, one rule for
// which are over and which wait for the artist.

export const JOB_STATES = ['queued', 'uploading', 'submitting', 'processing', 'downloading', 'unsaved', 'done', 'failed', 'cancelled', 'lost', 'estimated'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Over for good: nothing more will happen to the job. */
export const FINISHED: ReadonlySet<JobState> = new Set<JobState>(['done', 'failed', 'cancelled', 'estimated']);

/**
 * Not over, but not moving by itself either: a job lost track of, or paid results not yet saved
 * (a full disk, an unwritable folder). A retry or a resume takes them up again.
 */
export const WAITING: ReadonlySet<JobState> = new Set<JobState>(['lost', 'unsaved']);

/** Still moving: neither finished nor waiting for the artist. */
export const isMoving = (state: JobState) => !FINISHED.has(state) && !WAITING.has(state);

/** The states of one step of a chain (a shot, a frame taken, a join). */
export const STEP_STATES = ['waiting', 'running', 'done', 'failed', 'blocked', 'cancelled'] as const;
export type StepStateName = (typeof STEP_STATES)[number];

/** Over for good: the step will not run again in this plan run. */
export const isStepOver = (state: StepStateName) => state === 'done' || state === 'failed' || state === 'blocked' || state === 'cancelled';
