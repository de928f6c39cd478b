import { MODELS, TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, port, portType, taskInput } from '../app/core/node-def';
import { type Sourced } from './ports';

const MODEL = portType<Sourced<string>>('MODEL', '#b39ddb');

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
  outputs: { model: port.output(MODEL, 'Model') },
  contributes: [taskInput('model', port.input(MODEL, 'Model'), (m, task) => task.put('model', m.value, m.origin))],
  migrations: [],
  // validation sets a required parameter before evaluate runs
  evaluate: (ctx) => ({ model: { value: ctx.params.model ?? '', origin: { nodeId: ctx.nodeId, field: 'model' } } }),
});
