import { TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, type Sourced } from './kit';

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
  outputs: { text: { type: 'PROMPT', label: 'Text' } },
  migrations: [],
  evaluate: (ctx) => ({ text: { value: ctx.params.text as string, origin: { nodeId: ctx.nodeId, field: 'text' } } satisfies Sourced<string> }),
});
