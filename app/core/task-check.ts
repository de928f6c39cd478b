import { classifyImageRef, frameImageRefusal, inlineImageProblem } from './image-ref';
import { describeAllowed, paramProblem, type IntSpec, type ParamSpec } from './params';
import {
  ACCELERATOR_FIELDS,
  AIR_PATTERN,
  FRAME_IMAGE_FIELDS,
  FRAME_IMAGES_MAX,
  fieldSpecFor,
  LORA_FIELDS,
  modelSpec,
  SAFETY_FIELDS,
  TASK_FIELDS,
} from './wan-spec';

// The rules of a videoInference task for these models, in one place: the compiler runs them on
// what it builds (and pins each issue to the node and field it came from), the sandbox runs them
// on what it receives (and answers with the service's error shape).

export interface TaskIssue {
  severity: 'error' | 'warning';
  /** Runware-style code, e.g. invalidNumberResults. */
  code: string;
  /** Path of the parameter, e.g. "numberResults", "lora.1.weight", "inputs.frameImages". */
  parameter: string;
  message: string;
  allowedValues?: readonly (string | number)[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const codeFor = (path: string) => {
  const leaf = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  return 'invalid' + leaf.charAt(0).toUpperCase() + leaf.slice(1);
};
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

class Issues {
  readonly list: TaskIssue[] = [];
  error(parameter: string, message: string, allowedValues?: readonly (string | number)[], code = codeFor(parameter)) {
    this.list.push({ severity: 'error', code, parameter, message, ...(allowedValues ? { allowedValues } : {}) });
  }
  warn(parameter: string, message: string, code = codeFor(parameter)) {
    this.list.push({ severity: 'warning', code, parameter, message });
  }
  has(parameter: string) {
    return this.list.some((i) => i.severity === 'error' && i.parameter === parameter);
  }
}

function checkFields(obj: Record<string, unknown>, fields: Record<string, ParamSpec>, prefix: string, out: Issues, skip: readonly string[] = []) {
  for (const [key, value] of Object.entries(obj)) {
    if (skip.includes(key)) continue;
    const path = prefix + key;
    const spec = Object.hasOwn(fields, key) ? fields[key] : undefined; // never an inherited name like "constructor"
    if (!spec) {
      out.error(path, `unknown parameter '${key}'`, Object.keys(fields), 'unsupportedParameter');
      continue;
    }
    const problem = paramProblem(spec, value);
    if (problem !== undefined) out.error(path, `${key} ${problem}`, spec.kind === 'enum' ? spec.values : undefined);
  }
  for (const [key, spec] of Object.entries(fields)) {
    if (!spec.optional && !(key in obj)) out.error(prefix + key, `${key} is required (${describeAllowed(spec)})`, undefined, 'missingParameter');
  }
}

export interface TaskCheckOptions {
  /** Whether taskUUID must be a UUID v4 (default true). */
  requireEnvelope?: boolean;
  /**
   * The caller vouches that every field is a known one with a value its spec accepts: the compiler
   * builds tasks only from node parameters already validated against these same specs. Checks of
   * single fields are skipped; the envelope, the shape of lists and objects, and the rules across
   * fields and per model still run. A task from outside (the sandbox) must never be vouched for.
   */
  fieldsChecked?: boolean;
}

/** What the service would refuse (errors) or quietly ignore (warnings) in a videoInference task. */
export function checkVideoTask(task: unknown, opts: TaskCheckOptions = {}): TaskIssue[] {
  const out = new Issues();
  const eachField = !opts.fieldsChecked;
  if (!isObject(task)) {
    out.error('', 'a task must be a JSON object', undefined, 'invalidTask');
    return out.list;
  }
  if (task.taskType !== 'videoInference') out.error('taskType', `taskType must be "videoInference"`, ['videoInference'], 'invalidTaskType');
  if (opts.requireEnvelope !== false && (typeof task.taskUUID !== 'string' || !UUID_V4.test(task.taskUUID)))
    out.error('taskUUID', 'taskUUID must be a UUID v4', undefined, 'invalidTaskUUID');

  if (eachField) checkFields(task, TASK_FIELDS, '', out, ['taskType', 'taskUUID', 'inputs', 'lora', 'acceleratorOptions', 'safety']);

  const model = typeof task.model === 'string' ? modelSpec(task.model) : undefined;
  if (model && !model.known) {
    out.warn('model', `model '${model.id}' is not Wan2.2 A14B or Turbo: its limits are not known here, so only the general videoInference limits are checked`, 'unknownModel');
    if (!AIR_PATTERN.test(model.id)) out.warn('model', `model '${model.id}' does not look like an identifier (provider:id@version)`, 'unknownModel');
  }

  if (model && typeof task.numberResults === 'number' && !out.has('numberResults')) {
    const limited = fieldSpecFor(model, 'numberResults', TASK_FIELDS.numberResults) as IntSpec;
    if (paramProblem(limited, task.numberResults) !== undefined) out.error('numberResults', `numberResults must be at most ${limited.max} for ${model.name} (allowed: ${limited.min}–${limited.max})`);
  }

  if (('width' in task) !== ('height' in task)) {
    const missing = 'width' in task ? 'height' : 'width';
    out.error(missing, `width and height go together: ${missing} is missing`, undefined, 'invalidDimensions');
  }
  if ('resolution' in task && ('width' in task || 'height' in task))
    out.warn('resolution', 'both resolution and width/height are set; the service decides which one wins', 'conflictingDimensions');

  if (typeof task.CFGScale === 'number' && task.CFGScale <= 1 && 'negativePrompt' in task)
    out.warn('negativePrompt', `the negative prompt is ignored when CFGScale ≤ 1 (CFGScale is ${task.CFGScale})`, 'ignoredNegativePrompt');

  if (model?.distilledSteps !== undefined && typeof task.steps === 'number' && task.steps !== model.distilledSteps)
    out.warn('steps', `${model.name} is distilled for ${model.distilledSteps} steps; ${task.steps} steps may look worse and cost more`, 'unusualSteps');

  if ('ttl' in task && 'outputType' in task && task.outputType !== 'URL') out.error('ttl', 'ttl applies only when outputType is "URL"');

  checkInputs(task.inputs, model?.frameImagesAsStrings ?? true, model?.name ?? 'this model', out, eachField);
  checkLora(task.lora, out, eachField);
  checkAccelerator(task.acceleratorOptions, typeof task.steps === 'number' ? task.steps : (TASK_FIELDS.steps.default as number), out, eachField);
  if ('safety' in task) {
    if (!isObject(task.safety)) out.error('safety', 'safety must be an object');
    else if (eachField) checkFields(task.safety, SAFETY_FIELDS, 'safety.', out);
  }
  return out.list;
}

function checkInputs(inputs: unknown, stringsAllowed: boolean, modelName: string, out: Issues, eachField: boolean) {
  if (inputs === undefined) return;
  if (!isObject(inputs)) return out.error('inputs', 'inputs must be an object');
  if (eachField) for (const key of Object.keys(inputs)) if (key !== 'frameImages') out.error(`inputs.${key}`, `unknown input '${key}'`, ['frameImages'], 'unsupportedParameter');
  const frames = inputs.frameImages;
  if (frames === undefined) return;
  if (!Array.isArray(frames) || frames.length < 1 || frames.length > FRAME_IMAGES_MAX)
    return out.error('inputs.frameImages', `frameImages takes 1 to ${FRAME_IMAGES_MAX} images (got ${Array.isArray(frames) ? frames.length : 'no list'})`);
  frames.forEach((item, k) => {
    if (isObject(item)) {
      if (eachField) checkFields(item, FRAME_IMAGE_FIELDS, `inputs.frameImages.${k}.`, out);
      if (typeof item.image === 'string') checkInlineImage(item.image, k, `inputs.frameImages.${k}.image`, out);
      return;
    }
    const path = `inputs.frameImages.${k}`;
    if (typeof item !== 'string') out.error(path, 'a frame image must be an object with "image" (and optionally "frame")');
    else if (!stringsAllowed) out.error(path, `${modelName} takes frame images as objects ({"image": …}), not plain strings`);
    else if (item.length === 0) out.error(path, 'image must not be empty');
    else checkInlineImage(item, k, path, out);
  });
}

/** Image data written into the task (a data URI or base64) follows the one rule of image-ref.ts. */
function checkInlineImage(image: string, k: number, path: string, out: Issues) {
  const kind = classifyImageRef(image).kind;
  const problem = kind === 'dataUri' || kind === 'base64' ? inlineImageProblem(image) : undefined;
  if (problem) out.error(path, frameImageRefusal(String(k + 1), problem), undefined, 'invalidFrameImage');
}

function checkLora(lora: unknown, out: Issues, eachField: boolean) {
  if (lora === undefined) return;
  if (!Array.isArray(lora) || lora.length === 0) return out.error('lora', 'lora must be a list of at least one LoRA');
  lora.forEach((item, k) => {
    if (!isObject(item)) out.error(`lora.${k}`, 'a LoRA must be an object with "model"');
    else if (eachField) checkFields(item, LORA_FIELDS, `lora.${k}.`, out);
  });
}

function checkAccelerator(acc: unknown, steps: number, out: Issues, eachField: boolean) {
  if (acc === undefined) return;
  if (!isObject(acc)) return out.error('acceleratorOptions', 'acceleratorOptions must be an object');
  if (eachField) checkFields(acc, ACCELERATOR_FIELDS, 'acceleratorOptions.', out);
  const num = (k: string) => (typeof acc[k] === 'number' ? (acc[k] as number) : undefined);
  const [start, end, startPct, endPct] = ['cacheStartStep', 'cacheEndStep', 'cacheStartStepPercentage', 'cacheEndStepPercentage'].map(num);
  const p = 'acceleratorOptions.';
  if (start !== undefined && end !== undefined && start >= end) out.error(p + 'cacheStartStep', `cacheStartStep (${start}) must be less than cacheEndStep (${end})`);
  if (end !== undefined && end > steps) out.error(p + 'cacheEndStep', `cacheEndStep (${end}) must be at most steps (${steps})`);
  if (startPct !== undefined && endPct !== undefined && startPct >= endPct)
    out.error(p + 'cacheStartStepPercentage', `cacheStartStepPercentage (${startPct}) must be less than cacheEndStepPercentage (${endPct})`);
  if ((start !== undefined || end !== undefined) && (startPct !== undefined || endPct !== undefined)) {
    const which = startPct !== undefined ? 'cacheStartStepPercentage' : 'cacheEndStepPercentage';
    out.error(p + which, 'absolute cache steps and cache percentages are alternatives: set one kind, not both', undefined, 'conflictingParameters');
  }
}
