import { defineNode, port } from '../app/core/node-def';
import { param } from '../app/core/params';
import { describePick, stepInput, type FramePick } from '../app/core/plan';
import { FRAME_IMAGE_FIELDS, NUMBER_RESULTS_CEILING } from '../app/core/wan-spec';
import { FRAMES, VIDEO } from './ports';

export default defineNode({
  type: 'FrameFromVideo',
  version: 1,
  title: 'Frame From Video',
  category: 'Video',
  description: 'A frame of a video (the last one by default) as a frame image of the next task: link its Frames to a Video Inference to start a shot where the last one ended. With Each result, the next shot runs once per result of this one.',
  params: {
    take: param.enum({ label: 'Take', values: ['first', 'last', 'index', 'time'], default: 'last', description: 'Which frame: the first, the last, the frame at an index, or at a time.' }),
    index: param.int({ label: 'Frame index', min: 0, description: 'With Take = index: the frame’s number, from 0.' }),
    seconds: param.float({ label: 'Time (s)', min: 0, max: 600, step: 0.01, nudge: 0.1, description: 'With Take = time: the frame shown at this time.' }),
    result: param.int({ label: 'Result', min: 1, max: NUMBER_RESULTS_CEILING, default: 1, description: 'Of a task with several results, which one (from 1).' }),
    eachResult: param.bool({ label: 'Each result', default: false, description: 'Of a task with several results, every one: what follows runs once per result, each branch with its own.' }),
    frame: FRAME_IMAGE_FIELDS.frame,
  },
  // the next shot starts on it
  initialParams: { frame: 'first' },
  inputs: { video: port.input(VIDEO, 'Video'), frames: port.optional(FRAMES, 'Frames before') },
  outputs: { frames: port.output(FRAMES, 'Frames') },
  migrations: [],
  // taking each result makes a list of them, swept over like any list
  sweep(params, from) {
    if (!params.eachResult || !from) return undefined;
    const n = from.resultsInto('video');
    if (n === undefined) return { problem: 'Each result needs a Video Inference linked into Video, with its Results set on it (not by a link)', field: 'eachResult' };
    return { count: n, label: (i) => `result ${i + 1}`, summary: `${n} result${n === 1 ? '' : 's'}, each` };
  },
  evaluate(ctx) {
    const { video } = ctx.inputs;
    const take = ctx.params.take ?? 'last';
    const pick: FramePick =
      take === 'index' ? { at: 'index', index: ctx.params.index ?? 0 } : take === 'time' ? { at: 'time', seconds: ctx.params.seconds ?? 0 } : take === 'first' ? { at: 'first' } : { at: 'last' };
    // in a branch per result, the branch's (the video says which)
    const result = 'task' in video && video.result !== undefined ? video.result + 1 : ctx.params.result ?? 1;
    if ('task' in video && result > video.results) ctx.report('error', 'result', `node ${video.nodeId} makes ${video.results} result${video.results === 1 ? '' : 's'}: there is no result ${result}`);
    const { input, needs } = stepInput(video, result - 1);
    const label = `${describePick(pick)} of node ${video.nodeId}${'task' in video ? `, result ${result}` : ''}`;
    const id = ctx.emitStep({ kind: 'frame', video: input, pick, needs: needs ? [needs] : [], label });
    const fields = { image: { $step: id, label }, ...(ctx.params.frame !== undefined && { frame: ctx.params.frame }) };
    return { frames: [...(ctx.inputs.frames ?? []), { nodeId: ctx.nodeId, fields }] };
  },
});
