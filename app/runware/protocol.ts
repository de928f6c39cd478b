import { z } from 'zod';

// The shapes Runware answers with, read tolerantly: `data` as a list or a single object, `errors`
// or the older singular `error`, either key missing. Unknown keys are kept, never an error. A server
// that writes them (the sandbox) writes `AnswerBody`: the same keys and nothing else, so client and
// sandbox are held to one wire shape when they compile.

const errorItemFields = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  /** A parameter name, or several for rules across fields. */
  parameter: z.union([z.string(), z.array(z.string())]).optional(),
  taskUUID: z.string().optional(),
  taskType: z.string().optional(),
  documentation: z.string().optional(),
  type: z.string().optional(),
  allowedValues: z.array(z.unknown()).optional(),
  status: z.string().optional(),
  responseContent: z.unknown().optional(),
});
export const ErrorItem = errorItemFields.loose();
export type ErrorItem = z.infer<typeof ErrorItem>;

const dataItemFields = z.object({
  taskType: z.string().optional(),
  taskUUID: z.string(),
  status: z.string().optional(),
  videoUUID: z.string().optional(),
  videoURL: z.string().optional(),
  imageUUID: z.string().optional(),
  imageURL: z.string().optional(),
  mediaUUID: z.string().optional(),
  mediaURL: z.string().optional(),
  seed: z.union([z.number(), z.bigint()]).optional(),
  cost: z.number().optional(),
  progress: z.number().optional(),
  NSFWContent: z.boolean().optional(),
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }).optional(),
});
export const DataItem = dataItemFields.loose();
export type DataItem = z.infer<typeof DataItem>;

/** Answers about the WebSocket session itself, which carry no taskUUID (the REST client never gets them). */
type SessionItem = { taskType: 'authentication'; connectionSessionUUID: string } | { taskType: 'ping'; pong: true };

/** An answer as a server writes it: known keys only, so a misspelt or unknown one does not compile. */
export interface AnswerBody {
  data?: Array<z.infer<typeof dataItemFields> | SessionItem>;
  errors?: Array<z.infer<typeof errorItemFields>>;
}

export interface Envelope {
  data: DataItem[];
  errors: ErrorItem[];
}

const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Reads any of the envelope variants; items that do not fit are reported as errors, not dropped. */
export function readEnvelope(body: unknown): Envelope {
  const out: Envelope = { data: [], errors: [] };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    out.errors.push({ code: 'invalidResponse', message: 'the service answered with something other than a JSON object' });
    return out;
  }
  const b = body as Record<string, unknown>;
  for (const raw of list(b.data)) {
    const item = DataItem.safeParse(raw);
    if (item.success) out.data.push(item.data);
    else out.errors.push({ code: 'invalidResponse', message: `a result item did not have the expected shape: ${item.error.issues[0]?.message ?? ''}` });
  }
  for (const raw of [...list(b.errors), ...list(b.error)]) {
    const item = ErrorItem.safeParse(raw);
    out.errors.push(item.success ? item.data : { code: 'invalidResponse', message: 'an error item did not have the expected shape' });
  }
  return out;
}

/** Statuses that end a result; anything else (processing, pending, queued…) means still running. */
export const isTerminal = (status: string | undefined) => status === 'success' || status === 'error';

/** A task-level error item read as a failed result item, the way `data` reports one result's failure. */
export const errorAsDataItem = (e: ErrorItem & { taskUUID: string }): DataItem => ({
  taskUUID: e.taskUUID,
  status: 'error',
  error: { ...(e.code && { code: e.code }), ...(e.message && { message: e.message }) },
});
