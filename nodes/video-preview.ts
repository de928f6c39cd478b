import { defineNode, port } from '../app/core/node-def';
import { VIDEO } from './ports';

export default defineNode({
  type: 'VideoPreview',
  version: 1,
  title: 'Video Preview',
  category: 'Output',
  description: 'Plays the results of the Video Inference node linked to it. Compiles to nothing.',
  params: {},
  inputs: { video: port.optional(VIDEO, 'Video') },
  outputs: {},
  migrations: [],
  evaluate: () => ({}),
});
