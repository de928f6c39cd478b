import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acceptsValue, type ParamSpec } from '../../app/core/params';
import { checkVideoTask } from '../../app/core/task-check';
import { ACCELERATOR_FIELDS, FRAME_IMAGE_FIELDS, LORA_FIELDS, SAFETY_FIELDS, TASK_FIELDS } from '../../app/core/wan-spec';
import { registry } from '../../nodes';
import { generateGraph } from '../bench/generate';
import { compile, loadFile } from '../helpers';
import { describeValue, values } from './param-values';

// The compiler calls checkVideoTask with { fieldsChecked: true }: it skips the checks of single
// fields, because every value it puts in a task comes from a node parameter it has validated.
// That holds only while each such parameter accepts exactly what its task field accepts.

/** The task fields each node parameter becomes. */
const becomes: Record<string, Record<string, ParamSpec[]>> = {
  Model: { model: [TASK_FIELDS.model] },
  Prompt: { text: [TASK_FIELDS.positivePrompt, TASK_FIELDS.negativePrompt] },
  LoRA: { model: [LORA_FIELDS.model], weight: [LORA_FIELDS.weight], transformer: [LORA_FIELDS.transformer] },
  FrameImage: { image: [FRAME_IMAGE_FIELDS.image], frame: [FRAME_IMAGE_FIELDS.frame] },
  FrameFromVideo: { frame: [FRAME_IMAGE_FIELDS.frame] },
  Accelerator: { acceleration: [TASK_FIELDS.acceleration], ...Object.fromEntries(Object.entries(ACCELERATOR_FIELDS).map(([k, s]) => [k, [s]])) },
  Safety: Object.fromEntries(Object.entries(SAFETY_FIELDS).map(([k, s]) => [k, [s]])),
};
/**
 * Parameters for the editor alone, which never reach a task, the lists of sweep and value nodes,
 * whose items are checked one by one against the parameter they reach, and those of local steps
 * (which frame to take, what to join), which stay on this machine.
 */
const editorOnly = new Set([
  'VideoInference.seedControl', 'VideoInference.sweep', 'Values.values', 'PromptList.prompts', 'PromptList.split', 'Primitive.value',
  'LoadVideo.file', 'FrameFromVideo.take', 'FrameFromVideo.index', 'FrameFromVideo.seconds', 'FrameFromVideo.result', 'Sequence.crossfade', 'Sequence.joinList', 'FrameFromVideo.eachResult',
]);
const taskField = (type: string, key: string): ParamSpec[] => becomes[type]?.[key] ?? (Object.hasOwn(TASK_FIELDS, key) ? [TASK_FIELDS[key as keyof typeof TASK_FIELDS]] : []);

describe('checks the compiler may skip', () => {
  const params = registry
    .all()
    .flatMap((def) => Object.entries(def.params).map(([key, spec]) => [`${def.type}.${key}`, def.type, key, spec] as const))
    .filter(([name]) => !editorOnly.has(name));

  it.each(params)('%s accepts exactly what its task field accepts', (_name, type, key, spec) => {
    const fields = taskField(type, key);
    expect(fields.length, `add ${type}.${key} to the table above`).toBeGreaterThan(0);
    for (const field of fields) {
      const differ = values.filter((v) => acceptsValue(spec, v) !== acceptsValue(field, v)).map(describeValue);
      expect(differ).toEqual([]);
    }
  });

  it('are all the full check would find in compiled tasks', () => {
    const docs = [...readdirSync('graphs').filter((f) => f.endsWith('.wgraph.json')).map((f) => loadFile(`graphs/${f}`)), generateGraph({ tasks: 12 })];
    let tasks = 0;
    for (const doc of docs) {
      for (const { task, needs } of compile(doc).tasks) {
        // a frame a step of the run takes is no value yet: the runner puts a file in its place
        if (needs.length) continue;
        expect(checkVideoTask(task, { fieldsChecked: true })).toEqual(checkVideoTask(task));
        tasks++;
      }
    }
    expect(tasks).toBeGreaterThan(12);
  });
});

describe('checkVideoTask with fieldsChecked', () => {
  const task = { taskType: 'videoInference', taskUUID: 'not a uuid', model: 'runware:200@8', positivePrompt: 'x', steps: 500, width: 640, numberResults: 5, lora: [{ weight: 9 }] };

  it('skips the checks of single fields', () => {
    const codes = (issues: ReturnType<typeof checkVideoTask>) => issues.map((i) => `${i.code} ${i.parameter}`);
    expect(codes(checkVideoTask(task))).toEqual(expect.arrayContaining(['invalidPositivePrompt positivePrompt', 'invalidSteps steps', 'missingParameter lora.0.model', 'invalidWeight lora.0.weight']));
    const vouched = codes(checkVideoTask(task, { fieldsChecked: true }));
    expect(vouched).not.toContain('invalidSteps steps');
    expect(vouched).not.toContain('missingParameter lora.0.model');
  });

  it('keeps the envelope and the rules across fields and per model', () => {
    expect(checkVideoTask(task, { fieldsChecked: true }).map((i) => `${i.code} ${i.parameter}`)).toEqual([
      'invalidTaskUUID taskUUID',
      'invalidNumberResults numberResults',
      'invalidDimensions height',
      'unusualSteps steps',
    ]);
  });
});
