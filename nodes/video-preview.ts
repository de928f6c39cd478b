import { defineNode } from './kit';

export default defineNode({
  type: 'VideoPreview',
  version: 1,
  title: 'Video Preview',
  category: 'Output',
  description: 'Plays the results of the Video Inference node linked to it. Compiles to nothing.',
  params: {},
  inputs: { video: { type: 'VIDEO', label: 'Video', optional: true } },
  outputs: {},
  migrations: [],
  evaluate: () => ({}),
});
