import { TASK_FIELDS } from '../app/core/wan-spec';
import { defineNode, port } from '../app/core/node-def';
import { OUTPUT, fieldSet, pick } from './ports';

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
  migrations: [],
  evaluate: (ctx) => ({ output: fieldSet(ctx) }),
});
