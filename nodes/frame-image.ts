import { FRAME_IMAGE_FIELDS } from '../app/core/wan-spec';
import { defineNode, port, taskInput } from '../app/core/node-def';
import { childPath } from '../app/core/task-builder';
import { extendChain, FRAMES } from './ports';

export default defineNode({
  type: 'FrameImage',
  version: 1,
  title: 'Frame Image',
  category: 'Inputs',
  description: 'An image the video starts or ends on. Chain two for first and last frame.',
  params: FRAME_IMAGE_FIELDS,
  inputs: { frames: port.optional(FRAMES, 'Frames before') },
  outputs: { frames: port.output(FRAMES, 'Frames') },
  contributes: [
    taskInput('frames', port.optional(FRAMES, 'Frame images'), (frames, task) => {
      // "inputs.frameImages" itself (the count of images) falls back to "inputs": the frames input
      if (frames.length) task.put('inputs', { frameImages: frames.map((f, i) => task.nest(childPath('inputs.frameImages', i), f, { itemField: 'image' })) }, { nodeId: task.taskNodeId, field: 'frames' });
    }),
  ],
  migrations: [],
  evaluate: (ctx) => ({ frames: extendChain(ctx, ctx.inputs.frames) }),
});
