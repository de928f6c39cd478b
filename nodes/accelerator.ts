import { ACCELERATOR_FIELDS, TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, port, portType, taskInput } from '../app/core/node-def';
import type { FieldSet } from '../app/core/task-builder';
import { fieldSet } from './ports';

const ACCELERATION = portType<FieldSet>('ACCELERATION', '#ff8a65');

export default defineNode({
  type: 'Accelerator',
  version: 1,
  title: 'Accelerator Options',
  category: 'Settings',
  description: 'Acceleration level and caching (FBCache, TeaCache, DBCache) to trade quality for speed.',
  params: { acceleration: TASK_FIELDS.acceleration, ...ACCELERATOR_FIELDS },
  inputs: {},
  outputs: { acceleration: port.output(ACCELERATION, 'Acceleration') },
  contributes: [
    taskInput('acceleration', port.optional(ACCELERATION, 'Acceleration'), (acc, task) => {
      const origin = { nodeId: acc.nodeId, field: 'acceleration' };
      if (Object.hasOwn(acc.fields, 'acceleration')) task.put('acceleration', acc.fields.acceleration, origin);
      const options = task.nest('acceleratorOptions', acc, { except: 'acceleration' });
      if (Object.keys(options).length) task.put('acceleratorOptions', options, origin);
    }),
  ],
  migrations: [],
  evaluate: (ctx) => ({ acceleration: fieldSet(ctx) }),
});
