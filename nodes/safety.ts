import { SAFETY_FIELDS } from '../app/core/wan-spec';
import { defineNode, fieldSet } from './kit';

export default defineNode({
  type: 'Safety',
  version: 1,
  title: 'Safety',
  category: 'Settings',
  description: 'Content safety checking: off, key frames, or all frames.',
  params: SAFETY_FIELDS,
  inputs: {},
  outputs: { safety: { type: 'SAFETY', label: 'Safety' } },
  migrations: [],
  evaluate: (ctx) => ({ safety: fieldSet(ctx) }),
});
