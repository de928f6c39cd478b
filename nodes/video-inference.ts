import { defineNode, port } from '../app/core/node-def';
import { param } from '../app/core/params';
import { SEED_CONTROLS } from '../app/core/seeds';
import { TASK_FIELDS } from '../app/core/wan-spec';
import { VIDEO, pick } from './ports';

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
  // its inputs are the task inputs the node types that feed it declare (`contributes`)
  inputs: {},
  outputs: { video: port.output(VIDEO, 'Video') },
  migrations: [],
  producesTask: true,
  evaluate(ctx) {
    for (const key of OWN) if (key in ctx.params) ctx.task.put(key, ctx.params[key], { nodeId: ctx.nodeId, field: key });
    ctx.emitTask();
    return { video: { nodeId: ctx.nodeId, task: ctx.task.step, results: ctx.params.numberResults ?? 1 } };
  },
});
