import { SAFETY_FIELDS } from '../app/core/wan-spec';
import { defineNode, port } from '../app/core/node-def';
import { SAFETY, fieldSet } from './ports';

export default defineNode({
  type: 'Safety',
  version: 1,
  title: 'Safety',
  category: 'Settings',
  description: 'Content safety checking: off, key frames, or all frames.',
  params: SAFETY_FIELDS,
  inputs: {},
  outputs: { safety: port.output(SAFETY, 'Safety') },
  migrations: [],
  evaluate: (ctx) => ({ safety: fieldSet(ctx) }),
});
