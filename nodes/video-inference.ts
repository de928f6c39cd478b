import { defineNode, port, type Origin } from '../app/core/node-def';
import { param } from '../app/core/params';
import { SEED_CONTROLS } from '../app/core/seeds';
import { TASK_FIELDS } from '../app/core/wan-spec';
import { ACCELERATION, childPath, DELIVERY, FRAMES, LORA, MODEL, OUTPUT, PROMPT, SAFETY, VIDEO, pick, type FieldSet } from './ports';

const OWN = ['width', 'height', 'resolution', 'duration', 'fps', 'seed', 'steps', 'scheduler', 'CFGScale', 'numberResults'] as const;

export default defineNode({
  type: 'VideoInference',
  version: 1,
  title: 'Video Inference',
  category: 'Generation',
  description: 'One videoInference task: size, length, sampling and results. Everything linked to it goes into its payload.',
  params: {
    ...pick(TASK_FIELDS, OWN),
    // The editor's, not the payload's: what happens to the seed before each run.
    seedControl: param.enum({ label: 'Seed control', values: SEED_CONTROLS, default: 'fixed', linkable: false, description: 'Before each run: keep the seed (fixed), add one (increment) or pick a new one (randomize).' }),
    // The compiler's, not the payload's: how the lists linked into this task combine.
    sweep: param.enum({ label: 'Sweep', values: ['grid', 'zip'], default: 'grid', linkable: false, description: 'How linked lists combine: every combination (grid), or item by item (zip: lists of equal length).' }),
  },
  inputs: {
    model: port.input(MODEL, 'Model'),
    positive: port.input(PROMPT, 'Positive prompt'),
    negative: port.optional(PROMPT, 'Negative prompt'),
    lora: port.optional(LORA, 'LoRAs'),
    frames: port.optional(FRAMES, 'Frame images'),
    acceleration: port.optional(ACCELERATION, 'Acceleration'),
    output: port.optional(OUTPUT, 'Output'),
    delivery: port.optional(DELIVERY, 'Delivery'),
    safety: port.optional(SAFETY, 'Safety'),
  },
  outputs: { video: port.output(VIDEO, 'Video') },
  migrations: [],
  producesTask: true,
  evaluate(ctx) {
    const task: Record<string, unknown> = {};
    const origins = new Map<string, Origin>();
    const put = (key: string, value: unknown, origin: Origin) => {
      task[key] = value;
      origins.set(key, origin);
    };
    // Field sets hold parameters the compiler validated, in plain objects it built: for…in walks
    // them without building a key array.
    const putFields = (set: FieldSet | undefined) => {
      if (set) for (const k in set.fields) put(k, set.fields[k], { nodeId: set.nodeId, field: k });
    };
    /**
     * A copy of a node's fields, nested at `path`, each leaf remembering its node field. A list
     * item's main field (`itemField`) is remembered at the item's own path: the longest-prefix
     * lookup finds it there, and the origins map stays small.
     */
    const nest = (path: string, set: FieldSet, except?: string, itemField?: string) => {
      const fields: Record<string, unknown> = {};
      for (const k in set.fields) {
        if (k === except) continue;
        fields[k] = set.fields[k];
        if (k !== itemField) origins.set(childPath(path, k), { nodeId: set.nodeId, field: k });
      }
      if (itemField) origins.set(path, { nodeId: set.nodeId, field: itemField });
      return fields;
    };

    const { model, positive, negative } = ctx.inputs;
    put('model', model.value, model.origin);
    put('positivePrompt', positive.value, positive.origin);
    if (negative) put('negativePrompt', negative.value, negative.origin);
    for (const key of OWN) if (key in ctx.params) put(key, ctx.params[key], { nodeId: ctx.nodeId, field: key });

    const acc = ctx.inputs.acceleration;
    if (acc) {
      if (Object.hasOwn(acc.fields, 'acceleration')) put('acceleration', acc.fields.acceleration, { nodeId: acc.nodeId, field: 'acceleration' });
      const options = nest('acceleratorOptions', acc, 'acceleration');
      if (Object.keys(options).length) put('acceleratorOptions', options, { nodeId: acc.nodeId, field: 'acceleration' });
    }
    const loras = ctx.inputs.lora ?? [];
    if (loras.length) {
      put('lora', loras.map((l, i) => nest(childPath('lora', i), l, undefined, 'model')), { nodeId: ctx.nodeId, field: 'lora' });
    }
    const frames = ctx.inputs.frames ?? [];
    if (frames.length) {
      // "inputs.frameImages" itself (the count of images) falls back to "inputs": the frames input
      const frameImages = frames.map((f, i) => nest(childPath('inputs.frameImages', i), f, undefined, 'image'));
      put('inputs', { frameImages }, { nodeId: ctx.nodeId, field: 'frames' });
    }
    putFields(ctx.inputs.output);
    putFields(ctx.inputs.delivery);
    const safety = ctx.inputs.safety;
    if (safety && Object.keys(safety.fields).length) put('safety', nest('safety', safety), { nodeId: safety.nodeId, field: 'checkContent' });

    ctx.emitTask(task, origins);
    return { video: { nodeId: ctx.nodeId } };
  },
});
