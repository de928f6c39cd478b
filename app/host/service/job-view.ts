import type { JobErrorView, JobView } from '../../core/contract';
import { stringifyJson } from '../../core/support/json';
import { shareable, shareableText } from '../../core/support/shareable';
import type { JobError, JobRecord } from '../jobs/types';

// A job as the editor sees it: no graph snapshot, the payload as exact JSON text (seeds beyond
// 2^53 stay exact) but shareable (no URL query, fragment or user-info: core/support/shareable.ts), and
// whether it ran on the sandbox.

const errorView = (e: JobError, redact: (s: string) => string): JobErrorView => ({
  code: e.code,
  message: shareableText(redact(e.message)),
  ...(e.nodeId !== undefined && { nodeId: e.nodeId }),
  ...(e.field !== undefined && { field: e.field }),
  ...(e.parameter !== undefined && { parameter: typeof e.parameter === 'string' ? e.parameter : [...e.parameter] }),
});

export function jobView(job: JobRecord, sandbox: boolean, redact: (s: string) => string = (s) => s): JobView {
  return {
    id: job.id,
    nodeId: job.nodeId,
    ...(job.graphName !== undefined && { graphName: job.graphName }),
    ...(job.graphFile !== undefined && { graphFile: job.graphFile }),
    ...(job.docId !== undefined && { docId: job.docId }),
    // a label is a swept value as typed (a prompt, a name): shareable like the payload it went into
    ...(job.coordinates?.length && { coordinates: job.coordinates.map((c) => ({ nodeId: c.nodeId, title: c.title, index: c.index, label: shareableText(c.label) })) }),
    ...(job.batch !== undefined && { batch: job.batch }),
    state: job.state,
    sandbox,
    createdAt: job.createdAt,
    ...(job.submittedAt !== undefined && { submittedAt: job.submittedAt }),
    ...(job.finishedAt !== undefined && { finishedAt: job.finishedAt }),
    results: job.results.map((r) => ({
      index: r.index,
      videoUUID: r.videoUUID,
      seed: r.seed,
      ...(r.cost !== undefined && { cost: r.cost }),
      ...(r.file !== undefined && { file: r.file }),
      ...(r.error && { error: errorView(r.error, redact) }),
    })),
    ...(job.error && { error: errorView(job.error, redact) }),
    ...(job.reusedFrom !== undefined && { reusedFrom: job.reusedFrom }),
    payload: stringifyJson(shareable(job.payload ?? job.task)),
  };
}
