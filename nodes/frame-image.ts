import { FRAME_IMAGE_FIELDS } from '../app/core/wan-spec';
import { defineNode, port } from '../app/core/node-def';
import { FRAMES, extendChain } from './ports';

export default defineNode({
  type: 'FrameImage',
  version: 1,
  title: 'Frame Image',
  category: 'Inputs',
  description: 'An image the video starts or ends on. Chain two for first and last frame.',
  params: FRAME_IMAGE_FIELDS,
  inputs: { frames: port.optional(FRAMES, 'Frames before') },
  outputs: { frames: port.output(FRAMES, 'Frames') },
  migrations: [],
  evaluate: (ctx) => ({ frames: extendChain(ctx, ctx.inputs.frames) }),
});
