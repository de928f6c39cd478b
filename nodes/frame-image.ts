import { FRAME_IMAGE_FIELDS } from '../app/core/wan-spec';
import { defineNode, extendChain } from './kit';

export default defineNode({
  type: 'FrameImage',
  version: 1,
  title: 'Frame Image',
  category: 'Inputs',
  description: 'An image the video starts or ends on. Chain two for first and last frame.',
  params: FRAME_IMAGE_FIELDS,
  inputs: { frames: { type: 'FRAMES', label: 'Frames before', optional: true } },
  outputs: { frames: { type: 'FRAMES', label: 'Frames' } },
  migrations: [],
  evaluate: (ctx) => ({ frames: extendChain(ctx, 'frames') }),
});
