import { TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, port, taskInput } from '../app/core/node-def';
import { PROMPT } from './ports';

export default defineNode({
  type: 'Prompt',
  version: 1,
  title: 'Prompt',
  category: 'Conditioning',
  description: 'Text for the positive or the negative prompt input of a Video Inference node.',
  params: {
    text: { ...TASK_FIELDS.positivePrompt, label: 'Text', description: 'Prompt text, 2–3000 characters.', default: '' },
  },
  inputs: {},
  outputs: { text: port.output(PROMPT, 'Text') },
  contributes: [
    taskInput('positive', port.input(PROMPT, 'Positive prompt'), (p, task) => task.put('positivePrompt', p.value, p.origin)),
    taskInput('negative', port.optional(PROMPT, 'Negative prompt'), (p, task) => task.put('negativePrompt', p.value, p.origin)),
  ],
  migrations: [],
  // validation sets a required parameter before evaluate runs
  evaluate: (ctx) => ({ text: { value: ctx.params.text ?? '', origin: { nodeId: ctx.nodeId, field: 'text' } } }),
});
