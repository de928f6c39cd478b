import type { Coordinate } from '../../core/compile';
import type { GraphDocument } from '../../core/document';
import type { JobState } from '../../core/job-states';

export { FINISHED, WAITING } from '../../core/job-states';

export interface JobError {
  code: string;
  message: string;
  /** Where in the graph, when the service's `parameter` or a local check points there. */
  nodeId?: number;
  field?: string;
  parameter?: string | readonly string[];
}

export interface ResultRecord {
  index: number;
  videoUUID: string;
  seed: string;
  cost?: number;
  videoURL?: string;
  /** The video in the library, once downloaded. */
  file?: string;
  error?: JobError;
}

export interface JobRecord {
  /** The task's taskUUID: one job, one UUID, for life. */
  id: string;
  runId: string;
  /** The endpoint's base URL: a job is only ever followed up where it was submitted. */
  endpoint: string;
  createdAt: number;
  graphName?: string;
  graphFile?: string;
  /** The editor document (tab) it was run from, so its results land there and nowhere else. */
  docId?: string;
  /** The folder its results are kept in, when the run chose one (`wan-graph run --out`); else the runner's library. */
  libraryDir?: string;
  graph: GraphDocument;
  nodeId: number;
  /** The swept values that made this task (Values, Prompt List), one per sweep; absent for a plain task and in older journals. */
  coordinates?: Coordinate[];
  /** The run (one enqueue of tasks) it was queued in, shared by the tasks of a sweep; absent in older journals. */
  batch?: string;
  /** The task as compiled; frame images may still be local files. */
  task: Record<string, unknown>;
  /** The exact payload submitted, written to the journal before submission. */
  payload?: Record<string, unknown>;
  /** Hash of the payload's meaning (taskUUID aside), when it has an explicit seed. */
  payloadHash?: string;
  state: JobState;
  results: ResultRecord[];
  error?: JobError;
  submittedAt?: number;
  finishedAt?: number;
  reusedFrom?: string;
  /** A cost estimate (dry run). If the endpoint ignores the dry run, the task really runs and the job goes on as any other. */
  dryRun?: boolean;
  estimate?: { available: boolean; cost?: number };
}

/** A dry run the endpoint never ran: nothing was made or paid, so it is no job of the artist's. */
export const isEstimateOnly = (job: JobRecord): boolean => job.dryRun === true && job.submittedAt === undefined;

export type JournalEntry = { type: 'job'; job: JobRecord } | { type: 'update'; id: string; at: number; patch: Partial<JobRecord> };

export interface JobEvent {
  id: string;
  state: JobState;
  /** Milliseconds since submission, while processing. */
  elapsedMs?: number;
  job: JobRecord;
}
