import { defineNode, port, portType } from '../app/core/node-def';
import { param } from '../app/core/params';
import { joinLabel, stepInput, type VideoSource } from '../app/core/plan';
import { VIDEO } from './ports';

/** The videos of a chain of Sequence nodes so far, in order. */
const PARTS = portType<readonly VideoSource[]>('PARTS', '#ba68c8');

export default defineNode({
  type: 'Sequence',
  version: 1,
  title: 'Sequence',
  category: 'Video',
  description: 'Joins videos in order into one clip: chain Sequence nodes, one per part, and the last one joins them all; a video swept over a list (seeds, prompts) makes one clip per item, or, with Join a swept list, one part per item in one clip (parts of another size or frame rate are fitted to the first).',
  params: {
    crossfade: param.int({ label: 'Cross-fade (frames)', min: 0, max: 120, default: 0, description: 'Frames over which each part fades into the next; 0 cuts.' }),
    joinList: param.bool({ label: 'Join a swept list', default: false, description: 'With a video swept over a list (seeds, prompts): off, one clip per item; on, the items joined in order into one clip.' }),
  },
  inputs: { parts: port.optional(PARTS, 'Parts before'), video: port.input(VIDEO, 'Video') },
  outputs: { parts: port.output(PARTS, 'Parts'), video: port.output(VIDEO, 'Joined video') },
  migrations: [],
  producesStep: true,
  gathers: (params) => params.joinList === true,
  evaluate(ctx) {
    const parts = [...(ctx.inputs.parts ?? []), ctx.inputs.video];
    // of a task with several results, its first
    const inputs = parts.map((p) => stepInput(p));
    const needs = [...new Set(inputs.flatMap((i) => (i.needs ? [i.needs] : [])))];
    const id = ctx.emitStep({ kind: 'join', parts: inputs.map((i) => i.input), crossfadeFrames: ctx.params.crossfade ?? 0, needs, label: joinLabel(parts.length, ctx.nodeId) });
    return { parts, video: { nodeId: ctx.nodeId, join: id } };
  },
});
