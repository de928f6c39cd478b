import { defineNode, port } from '../app/core/node-def';
import { param } from '../app/core/params';
import { VIDEO } from './ports';

export default defineNode({
  type: 'LoadVideo',
  version: 1,
  title: 'Load Video',
  category: 'Video',
  description: 'A video already made (a file on this machine or in the library), to take a frame from or to join with others.',
  params: {
    file: param.string({ label: 'File', optional: false, minLength: 1, description: 'Path of an MP4, WEBM or MOV file on this machine (a library entry’s file works too).' }),
  },
  inputs: {},
  outputs: { video: port.output(VIDEO, 'Video') },
  migrations: [],
  // validation sets a required parameter before evaluate runs
  evaluate: (ctx) => ({ video: { nodeId: ctx.nodeId, file: ctx.params.file ?? '' } }),
});
