import { param, type IntSpec, type ParamSpec } from './params';

// The videoInference task of Wan2.2 A14B and A14B Turbo, as the specifications in the seeds give
// it: every parameter with its range, step, default and allowed values. Nodes take their
// parameters from here, and the task checks (compiler and sandbox alike) validate against it.

const SCHEDULERS = [
  'DDIM', 'DDIMScheduler', 'DDPMScheduler', 'DEISMultistepScheduler', 'Default', 'DPM++', 'DPM++ 2M', 'DPM++ 2M Beta',
  'DPM++ 2M Exponential', 'DPM++ 2M Karras', 'DPM++ 2M SDE', 'DPM++ 2M SDE Beta', 'DPM++ 2M SDE Exponential',
  'DPM++ 2M SDE Karras', 'DPM++ 2M SDE Uniform', 'DPM++ 2M Uniform', 'DPM++ 3M', 'DPM++ 3M Beta', 'DPM++ 3M Exponential',
  'DPM++ 3M Karras', 'DPM++ 3M SDE Uniform', 'DPM++ 3M Uniform', 'DPM++ Beta', 'DPM++ Exponential', 'DPM++ Karras',
  'DPM++ SDE', 'DPM++ SDE Beta', 'DPM++ SDE Exponential', 'DPM++ SDE Karras', 'DPM++ Uniform', 'DPM++ Uniform Beta',
  'DPM++ Uniform Exponential', 'DPM++ Uniform Karras', 'DPMSolverMultistepInverse', 'DPMSolverMultistepScheduler',
  'DPMSolverSinglestepScheduler', 'EDMDPMSolverMultistepScheduler', 'EDMEulerScheduler', 'Euler', 'Euler a', 'Euler Beta',
  'Euler Exponential', 'Euler Karras', 'EulerAncestralDiscreteScheduler', 'EulerDiscreteScheduler',
  'FlowMatchEulerDiscreteScheduler', 'Heun', 'HeunDiscreteScheduler', 'Heun Karras', 'IPNDMScheduler', 'IPNDM Uniform',
  'IPNDM Uniform Beta', 'IPNDM Uniform Exponential', 'IPNDM Uniform Karras', 'KDPM2AncestralDiscreteScheduler',
  'KDPM2DiscreteScheduler', 'LCM', 'LCMScheduler', 'LMS', 'LMSDiscreteScheduler', 'LMS Karras', 'PNDMScheduler',
  'TCDScheduler', 'UniPC', 'UniPC 2M', 'UniPC 2M Karras', 'UniPC 2M Uniform', 'UniPC 3M', 'UniPC 3M Karras',
  'UniPC 3M Uniform', 'UniPC Karras', 'UniPC Uniform', 'UniPC Uniform Beta', 'UniPC Uniform Exponential',
  'UniPC Uniform Karras',
] as const;

export const NUMBER_RESULTS_CEILING = 20;

/** Top-level fields of the task, in the order the seed examples write them. */
export const TASK_FIELDS = {
  model: param.string({ label: 'Model', optional: false, format: 'model', minLength: 1, description: 'Identifier of the model (AIR), e.g. runware:200@6.' }),
  positivePrompt: param.string({ label: 'Positive prompt', optional: false, minLength: 2, maxLength: 3000, multiline: true, description: 'What to include in the video.' }),
  negativePrompt: param.string({ label: 'Negative prompt', minLength: 2, maxLength: 3000, multiline: true, description: 'What to exclude. Ignored when CFGScale ≤ 1.' }),
  width: param.int({ label: 'Width', min: 64, max: 4096, nudge: 16, description: 'Width in pixels; set together with height.' }),
  height: param.int({ label: 'Height', min: 64, max: 4096, nudge: 16, description: 'Height in pixels; set together with width.' }),
  resolution: param.enum({ label: 'Resolution', values: ['480p', '580p', '720p'], description: 'Resolution preset; with frame images it follows their aspect ratio.' }),
  duration: param.int({ label: 'Duration (s)', min: 1, max: 15, description: 'Length in seconds. Total frames = duration × fps.' }),
  fps: param.int({ label: 'FPS', min: 16, max: 60, description: 'Frames per second.' }),
  seed: param.seed({ label: 'Seed', description: 'Seed for reproducible results; random in the unsigned 32-bit range when unset.' }),
  steps: param.int({ label: 'Steps', min: 4, max: 50, default: 20, description: 'Denoising steps.' }),
  scheduler: param.enum({ label: 'Scheduler', values: SCHEDULERS, description: 'Scheduler of the diffusion process.' }),
  CFGScale: param.float({ label: 'CFG scale', min: 0.1, max: 30, step: 0.01, nudge: 0.1, description: 'How closely the video follows the prompt.' }),
  numberResults: param.int({ label: 'Results', min: 1, max: NUMBER_RESULTS_CEILING, default: 1, description: 'Number of videos, each with its own seed.' }),
  acceleration: param.enum({ label: 'Acceleration', values: ['none', 'low', 'medium', 'high'], default: 'none', description: 'Optimization level.' }),
  outputType: param.enum({ label: 'Output type', values: ['URL'], default: 'URL', description: 'How the video is returned.' }),
  outputFormat: param.enum({ label: 'Format', values: ['MP4', 'WEBM', 'MOV'], default: 'MP4', description: 'Container of the video.' }),
  outputQuality: param.int({ label: 'Quality', min: 20, max: 99, default: 95, description: 'Compression quality.' }),
  ttl: param.int({ label: 'TTL (s)', min: 60, description: 'Seconds the result URL stays valid (URL output only).' }),
  includeCost: param.bool({ label: 'Include cost', default: false, description: 'Report the cost of each result.' }),
  deliveryMethod: param.enum({ label: 'Delivery', values: ['async'], default: 'async', description: 'Always async for video.' }),
  webhookURL: param.string({ label: 'Webhook URL', format: 'uri', description: 'Where each finished result is POSTed.' }),
  uploadEndpoint: param.string({ label: 'Upload endpoint', format: 'uri', description: 'Where the video bytes are PUT when done (e.g. a presigned URL).' }),
} satisfies Record<string, ParamSpec>;

export const SAFETY_FIELDS = {
  checkContent: param.bool({ label: 'Check content', default: false, description: 'Enable content safety checking.' }),
  mode: param.enum({ label: 'Mode', values: ['none', 'fast', 'full'], default: 'none', description: 'none, fast (key frames) or full (all frames).' }),
} satisfies Record<string, ParamSpec>;

export const ACCELERATOR_FIELDS = {
  cacheStartStep: param.int({ label: 'Cache start step', min: 0, description: 'Step to start caching; below cacheEndStep.' }),
  cacheEndStep: param.int({ label: 'Cache end step', min: 1, description: 'Step to end caching; above cacheStartStep, at most steps.' }),
  cacheStartStepPercentage: param.int({ label: 'Cache start %', min: 0, max: 99, description: 'Alternative to cacheStartStep.' }),
  cacheEndStepPercentage: param.int({ label: 'Cache end %', min: 1, max: 100, description: 'Alternative to cacheEndStep.' }),
  cacheMaxConsecutiveSteps: param.int({ label: 'Max consecutive cached', min: 1, max: 5, default: 3, description: 'Cached steps in a row before a fresh one.' }),
  fbCache: param.bool({ label: 'FBCache', default: false, description: 'First Block Cache.' }),
  fbCacheThreshold: param.float({ label: 'FBCache threshold', min: 0, max: 1, step: 0.01, nudge: 0.05, default: 0.25, description: 'Lower reuses more aggressively.' }),
  teaCache: param.bool({ label: 'TeaCache', default: false, description: 'TeaCache acceleration.' }),
  teaCacheDistance: param.float({ label: 'TeaCache distance', min: 0, max: 1, step: 0.01, nudge: 0.05, default: 0.5, description: 'Lower favours quality, higher speed.' }),
  dbCache: param.bool({ label: 'DBCache', default: false, description: 'DB Cache (CacheDiT).' }),
  dbCacheThreshold: param.float({ label: 'DBCache threshold', min: 0, max: 1, step: 0.01, nudge: 0.05, default: 0.25, description: 'Lower reuses more aggressively.' }),
  dbCacheSkipInterval: param.int({ label: 'DBCache skip interval', min: 1, default: 5, description: 'Steps between cache refreshes.' }),
} satisfies Record<string, ParamSpec>;

export const LORA_FIELDS = {
  model: param.string({ label: 'LoRA', optional: false, format: 'model', minLength: 1, description: 'LoRA model identifier (AIR).' }),
  weight: param.float({ label: 'Weight', min: -4, max: 4, step: 0.01, nudge: 0.05, default: 1, description: 'Strength; negative steers away.' }),
  transformer: param.enum({ label: 'Transformer', values: ['high', 'low', 'both'], default: 'both', description: 'Expert it applies to: high-noise (layout), low-noise (detail), or both.' }),
} satisfies Record<string, ParamSpec>;

export const FRAME_IMAGE_FIELDS = {
  image: param.string({ label: 'Image', optional: false, minLength: 1, description: 'Image UUID, URL, data URI, base64, or a local file (uploaded when run).' }),
  frame: param.enum({ label: 'Frame', values: ['first', 'last', 0, -1], description: 'Target frame; distributed automatically when unset.' }),
} satisfies Record<string, ParamSpec>;

export const FRAME_IMAGES_MAX = 2;

export interface ModelSpec {
  id: string;
  name: string;
  /** False for an identifier this app does not know: generic limits apply. */
  known: boolean;
  numberResultsMax: number;
  /** Whether inputs.frameImages items may be plain strings (Turbo) or must be objects (A14B). */
  frameImagesAsStrings: boolean;
  /** Steps a distilled model is made for; other values are allowed but warned about. */
  distilledSteps?: number;
}

export const MODELS: readonly ModelSpec[] = [
  { id: 'runware:200@6', name: 'Wan2.2 A14B', known: true, numberResultsMax: 20, frameImagesAsStrings: false },
  { id: 'runware:200@8', name: 'Wan2.2 A14B Turbo', known: true, numberResultsMax: 4, frameImagesAsStrings: true, distilledSteps: 8 },
];

export function modelSpec(id: string): ModelSpec {
  return (
    MODELS.find((m) => m.id === id) ?? {
      id,
      name: id,
      known: false,
      numberResultsMax: NUMBER_RESULTS_CEILING,
      frameImagesAsStrings: true,
    }
  );
}

/** What a model narrows, per task field: the one place model limits live (Turbo: Results 1–4). */
const modelLimits = (model: ModelSpec): Partial<Record<keyof typeof TASK_FIELDS, Pick<IntSpec, 'max'>>> => ({ numberResults: { max: model.numberResultsMax } });

const narrowed = new WeakMap<ParamSpec, Map<string, ParamSpec>>();

/**
 * A task field's spec as a model takes it: the model's own limits narrow the general ones. The
 * task check and every editor (value editor, widget arrows) take a field's limits from here.
 */
export function fieldSpecFor(model: ModelSpec, field: string, spec: ParamSpec): ParamSpec {
  const limit = Object.hasOwn(TASK_FIELDS, field) ? modelLimits(model)[field as keyof typeof TASK_FIELDS] : undefined;
  if (!limit || spec.kind !== 'int') return spec;
  let byModel = narrowed.get(spec);
  if (!byModel) narrowed.set(spec, (byModel = new Map()));
  const key = `${model.id}|${field}`;
  let out = byModel.get(key);
  if (!out) byModel.set(key, (out = { ...spec, ...(limit.max !== undefined && { max: Math.min(limit.max, spec.max ?? Infinity) }) }));
  return out;
}

/** AIR identifiers look like `provider:id@version`. */
export const AIR_PATTERN = /^[a-z0-9_-]+:[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+$/;
