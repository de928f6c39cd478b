import { SAFETY_FIELDS } from '../app/core/wan-spec';
import { defineNode, port, portType, taskInput } from '../app/core/node-def';
import type { FieldSet } from '../app/core/task-builder';
import { fieldSet } from './ports';

const SAFETY = portType<FieldSet>('SAFETY', '#e57373');

export default defineNode({
  type: 'Safety',
  version: 1,
  title: 'Safety',
  category: 'Settings',
  description: 'Content safety checking: off, key frames, or all frames.',
  params: SAFETY_FIELDS,
  inputs: {},
  outputs: { safety: port.output(SAFETY, 'Safety') },
  contributes: [
    taskInput('safety', port.optional(SAFETY, 'Safety'), (set, task) => {
      if (Object.keys(set.fields).length) task.put('safety', task.nest('safety', set), { nodeId: set.nodeId, field: 'checkContent' });
    }),
  ],
  migrations: [],
  evaluate: (ctx) => ({ safety: fieldSet(ctx) }),
});
