import { MODELS, TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, type Sourced } from './kit';

export default defineNode({
  type: 'Model',
  version: 1,
  title: 'Model',
  category: 'Model',
  description: 'Which model runs the task: Wan2.2 A14B, A14B Turbo, or any other identifier.',
  params: {
    model: {
      ...TASK_FIELDS.model,
      default: MODELS[0]!.id,
      suggestions: MODELS.map((m) => ({ value: m.id, label: m.name })),
    },
  },
  inputs: {},
  outputs: { model: { type: 'MODEL', label: 'Model' } },
  migrations: [],
  evaluate: (ctx) => ({ model: { value: ctx.params.model as string, origin: { nodeId: ctx.nodeId, field: 'model' } } satisfies Sourced<string> }),
});
