import { TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, port, portType, taskInput } from '../app/core/node-def';
import type { FieldSet } from '../app/core/task-builder';
import { fieldSet, pick } from './ports';

const OUTPUT = portType<FieldSet>('OUTPUT', '#4dd0e1');

export default defineNode({
  type: 'Output',
  version: 1,
  title: 'Output',
  category: 'Settings',
  description: 'How the video is returned: type, format, quality, URL lifetime, cost reporting.',
  params: pick(TASK_FIELDS, ['outputType', 'outputFormat', 'outputQuality', 'ttl', 'includeCost']),
  // new graphs report what each result cost; the service's default (false) stays the field's default
  initialParams: { includeCost: true },
  inputs: {},
  outputs: { output: port.output(OUTPUT, 'Output') },
  contributes: [taskInput('output', port.optional(OUTPUT, 'Output'), (set, task) => task.putFields(set))],
  migrations: [],
  evaluate: (ctx) => ({ output: fieldSet(ctx) }),
});
