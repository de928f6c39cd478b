import { ACCELERATOR_FIELDS, TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, fieldSet } from './kit';

export default defineNode({
  type: 'Accelerator',
  version: 1,
  title: 'Accelerator Options',
  category: 'Settings',
  description: 'Acceleration level and caching (FBCache, TeaCache, DBCache) to trade quality for speed.',
  params: { acceleration: TASK_FIELDS.acceleration, ...ACCELERATOR_FIELDS },
  inputs: {},
  outputs: { acceleration: { type: 'ACCELERATION', label: 'Acceleration' } },
  migrations: [],
  evaluate: (ctx) => ({ acceleration: fieldSet(ctx) }),
});
