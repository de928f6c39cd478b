import { ACCELERATOR_FIELDS, TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, port } from '../app/core/node-def';
import { ACCELERATION, fieldSet } from './ports';

export default defineNode({
  type: 'Accelerator',
  version: 1,
  title: 'Accelerator Options',
  category: 'Settings',
  description: 'Acceleration level and caching (FBCache, TeaCache, DBCache) to trade quality for speed.',
  params: { acceleration: TASK_FIELDS.acceleration, ...ACCELERATOR_FIELDS },
  inputs: {},
  outputs: { acceleration: port.output(ACCELERATION, 'Acceleration') },
  migrations: [],
  evaluate: (ctx) => ({ acceleration: fieldSet(ctx) }),
});
