import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import { parseJson } from '../../app/core/support/json';
import { showPlaceholders } from '../../app/core/plan';
import { runPart } from '../../app/core/run-plan';
import { registry } from '../../nodes';
import { compile, counterUuid, GraphBuilder, loadFile } from '../helpers';

// A chain compiles to a plan: tasks, local steps (frames taken from videos, videos joined) and
// what each waits for, with a typed placeholder where a task takes a frame not yet taken.

/** Shots in a row, each after the last frame of the one before, joined by a chain of Sequence nodes. */
function chain(shots: number, opts: { results?: number; sweepFirst?: string } = {}) {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@8' });
  const vis: number[] = [];
  const frames: number[] = [];
  let seq: number | undefined;
  for (let k = 0; k < shots; k++) {
    const p = g.node('Prompt', { text: `shot ${k + 1}: the keeper climbs the stairs` });
    const vi = g.node('VideoInference', { width: 832, height: 480, duration: 5, fps: 16, steps: 8, seed: 100 + k, numberResults: opts.results ?? 1 });
    g.link(m, 'model', vi, 'model');
    g.link(p, 'text', vi, 'positive');
    if (k === 0 && opts.sweepFirst) g.link(g.node('Values', { values: opts.sweepFirst }), 'values', vi, 'seed');
    if (k > 0) {
      const f = g.node('FrameFromVideo', { take: 'last', frame: 'first' });
      g.link(vis[k - 1]!, 'video', f, 'video');
      g.link(f, 'frames', vi, 'frames');
      frames.push(f);
    }
    const s = g.node('Sequence', { crossfade: 4 });
    if (seq !== undefined) g.link(seq, 'parts', s, 'parts');
    g.link(vi, 'video', s, 'video');
    seq = s;
    vis.push(vi);
  }
  return { g, vis, frames, film: seq! };
}

describe('a chain', () => {
  it('compiles to tasks, the frames between them and one join at its end, each with what it waits for', () => {
    const { g, vis, frames, film } = chain(3);
    const r = compile(g.doc);
    expect(r.diagnostics).toEqual([]);
    expect(r.tasks.map((t) => [t.step, t.needs])).toEqual([
      [`task:${vis[0]}`, []],
      [`task:${vis[1]}`, [`frame:${frames[0]}`]],
      [`task:${vis[2]}`, [`frame:${frames[1]}`]],
    ]);
    // the middle Sequence nodes only carry the parts along: one join, at the chain's end
    expect(r.steps.map((s) => [s.id, s.needs])).toEqual([
      [`join:${film}`, vis.map((v) => `task:${v}`)],
      [`frame:${frames[0]}`, [`task:${vis[0]}`]],
      [`frame:${frames[1]}`, [`task:${vis[1]}`]],
    ]);
    expect(r.steps[0]).toMatchObject({ kind: 'join', crossfadeFrames: 4, parts: vis.map((v) => ({ step: `task:${v}`, result: 0 })) });
    expect(r.steps[1]).toMatchObject({ kind: 'frame', video: { step: `task:${vis[0]}`, result: 0 }, pick: { at: 'last' }, label: `last frame of node ${vis[0]}, result 1` });
    // shot 2 starts on a typed placeholder, shown as where it comes from
    const second = r.tasks[1]!.task as { inputs: { frameImages: unknown[] } };
    expect(second.inputs.frameImages).toEqual([{ image: { $step: `frame:${frames[0]}`, label: `last frame of node ${vis[0]}, result 1` }, frame: 'first' }]);
    expect(showPlaceholders(second.inputs.frameImages)).toEqual([{ image: `← last frame of node ${vis[0]}, result 1`, frame: 'first' }]);
    expect(r.tasks[1]!.origins.get('inputs.frameImages.0')).toEqual({ nodeId: frames[0], field: 'image' });
  });

  it('with a sweep on its first shot, runs the whole chain once per item, each link to its own', () => {
    const { g, vis, frames, film } = chain(2, { sweepFirst: '1 ×3' });
    const r = compile(g.doc);
    expect(r.diagnostics).toEqual([]);
    expect(r.tasks.map((t) => [t.step, t.needs, t.task.seed])).toEqual([
      ...[0, 1, 2].map((k) => [`task:${vis[0]}@${k}`, [], k + 1]),
      ...[0, 1, 2].map((k) => [`task:${vis[1]}@${k}`, [`frame:${frames[0]}@${k}`], 101]),
    ]);
    expect(r.steps.filter((s) => s.kind === 'join').map((s) => [s.id, s.needs])).toEqual([0, 1, 2].map((k) => [`join:${film}@${k}`, [`task:${vis[0]}@${k}`, `task:${vis[1]}@${k}`]]));
    // the same graph gives the same plan
    expect(compile(g.doc).steps).toEqual(r.steps);
  });

  it('takes a frame of the result asked for, and says so when the task makes fewer', () => {
    const { g, frames } = chain(2, { results: 2 });
    g.doc.nodes.find((n) => n.id === frames[0])!.params.result = 2;
    expect(compile(g.doc).steps.find((s) => s.kind === 'frame')).toMatchObject({ video: { result: 1 }, label: expect.stringContaining('result 2') });
    g.doc.nodes.find((n) => n.id === frames[0])!.params.result = 3;
    const r = compile(g.doc);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([expect.objectContaining({ nodeId: frames[0], field: 'result', message: expect.stringMatching(/makes 2 results: there is no result 3/) })]);
  });

  it('with Each result, runs what follows once per result, each branch on its own result to the end', () => {
    const { g, vis, frames, film } = chain(3, { results: 2 });
    g.doc.nodes.find((n) => n.id === frames[0])!.params.eachResult = true;
    const r = compile(g.doc);
    expect(r.diagnostics).toEqual([]);
    // shot 1 once; shots 2 and 3 once per result of shot 1
    expect(r.tasks.map((t) => t.step)).toEqual([`task:${vis[0]}`, `task:${vis[1]}@0`, `task:${vis[1]}@1`, `task:${vis[2]}@0`, `task:${vis[2]}@1`]);
    expect(r.tasks[2]!.coordinates).toEqual([{ nodeId: frames[0], title: expect.any(String), index: 1, label: 'result 2' }]);
    const step = (id: string) => r.steps.find((s) => s.id === id)!;
    expect(step(`frame:${frames[0]}@1`)).toMatchObject({ video: { step: `task:${vis[0]}`, result: 1 }, label: `last frame of node ${vis[0]}, result 2` });
    // each branch's film starts with its own result of shot 1, then its own shots
    for (const k of [0, 1]) expect(step(`join:${film}@${k}`)).toMatchObject({ parts: [{ step: `task:${vis[0]}`, result: k }, { step: `task:${vis[1]}@${k}`, result: 0 }, { step: `task:${vis[2]}@${k}`, result: 0 }] });
    // a count that a link drives cannot be swept over: said on the node
    g.link(g.node('Primitive', { value: '2' }), 'value', vis[0]!, 'numberResults');
    expect(compile(g.doc).diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'invalidSweep', nodeId: frames[0], field: 'eachResult' })]));
  });

  it('leaves out, and says, what waits for a task the run does not make (over the task limit)', () => {
    const { g, vis } = chain(2, { sweepFirst: '1 ×3' });
    const r = compileGraph(g.doc, registry, { uuid: counterUuid(), maxTasks: 4 });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.nodeId])).toEqual(expect.arrayContaining([['tooManyTasks', vis[1]]]));
    expect(r.tasks.map((t) => t.nodeId)).toEqual([vis[0], vis[0], vis[0]]);
    // the join needs the second shot's tasks: it is no part of the plan, and says why
    expect(r.steps.some((s) => s.kind === 'join')).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toContain('missingStep');
  });

  it('starts from a video on disk: a frame of it, and the file joined with a shot', () => {
    const g = new GraphBuilder();
    const load = g.node('LoadVideo', { file: 'clips/opening.mp4' });
    const f = g.node('FrameFromVideo', { take: 'time', seconds: 1.5 });
    const { vi } = (() => {
      const m = g.node('Model', { model: 'runware:200@8' });
      const p = g.node('Prompt', { text: 'the boat reaches the harbour' });
      const v = g.node('VideoInference', { seed: 7 });
      g.link(m, 'model', v, 'model');
      g.link(p, 'text', v, 'positive');
      return { vi: v };
    })();
    g.link(load, 'video', f, 'video');
    g.link(f, 'frames', vi, 'frames');
    const a = g.node('Sequence', {});
    const b = g.node('Sequence', {});
    g.link(load, 'video', a, 'video');
    g.link(a, 'parts', b, 'parts');
    g.link(vi, 'video', b, 'video');
    const r = compile(g.doc);
    expect(r.diagnostics).toEqual([]);
    expect(r.steps).toEqual([
      { id: `join:${b}`, nodeId: b, kind: 'join', parts: [{ file: 'clips/opening.mp4' }, { step: `task:${vi}`, result: 0 }], crossfadeFrames: 0, needs: [`task:${vi}`], label: `2 parts joined by node ${b}` },
      { id: `frame:${f}`, nodeId: f, kind: 'frame', video: { file: 'clips/opening.mp4' }, pick: { at: 'time', seconds: 1.5 }, needs: [], label: `frame at 1.5 s of node ${load}` },
    ]);
  });
});

describe('the chain example graphs', () => {
  // Pinned by hand-checked files: each task without its UUID, with its step and what it waits for, and the local steps.
  for (const name of ['chain-a14b-three-shot-journey', 'chain-turbo-three-shot-journey']) {
    it(`${name} compiles to its pinned plan`, () => {
      const r = compile(loadFile(`graphs/${name}.wgraph.json`));
      expect(r.diagnostics).toEqual([]);
      const planned = { tasks: r.tasks.map(({ step, needs, task: { taskUUID: _uuid, ...task } }) => ({ step, needs, task })), steps: r.steps };
      expect(planned).toStrictEqual(parseJson(readFileSync(`test/fixtures/chains/${name}.plan.json`, 'utf8')));
    });
  }
});

describe('a run of a chain', () => {
  it('joins a list from a sweep into one clip, its items in order, where the list comes in the chain', () => {
    const { g, vis, film } = chain(2, { sweepFirst: '7\n8\n9' });
    g.doc.nodes.find((n) => n.id === film)!.params.joinList = true;
    const r = compile(g.doc);
    expect(r.diagnostics).toEqual([]);
    // shot 1 three times, shot 2 (after the last frame of each) three times: and one film
    expect(r.tasks.map((t) => t.step)).toEqual([0, 1, 2].map((k) => `task:${vis[0]}@${k}`).concat([0, 1, 2].map((k) => `task:${vis[1]}@${k}`)));
    const joins = r.steps.filter((s) => s.kind === 'join');
    expect(joins).toHaveLength(1);
    expect(joins[0]).toMatchObject({ id: `join:${film}`, label: `6 parts joined by node ${film}`, crossfadeFrames: 4 });
    // the first place of the chain takes shot 1 of each seed, the second shot 2 of each
    expect(joins[0]!.kind === 'join' && joins[0]!.parts).toEqual([...[0, 1, 2].map((k) => ({ step: `task:${vis[0]}@${k}`, result: 0 })), ...[0, 1, 2].map((k) => ({ step: `task:${vis[1]}@${k}`, result: 0 }))]);
    expect(new Set(joins[0]!.needs)).toEqual(new Set(r.tasks.map((t) => t.step)));
  });

  it('runs what the chosen shots need: the shots and frames before them, and the joins only for the whole graph', () => {
    const { g, vis, frames, film } = chain(3);
    const r = compile(g.doc);
    const ids = (p: ReturnType<typeof runPart>) => [p.tasks.map((t) => t.nodeId), p.steps.map((s) => s.nodeId)];
    const whole = runPart(r, r.tasks, true);
    expect(whole.tasks).toHaveLength(3);
    expect(whole.steps.map((s) => [s.kind, s.nodeId])).toEqual([['join', film], ...frames.map((f) => ['frame', f])]);
    // shot 3 alone brings shots 1 and 2 and the frames between them, not the join
    const third = runPart(r, r.tasks.filter((t) => t.nodeId === vis[2]), false);
    expect(ids(third)[0]).toEqual(vis);
    expect(third.steps.map((s) => s.kind)).toEqual(['frame', 'frame']);
    // the first shot waits for nothing: a plain run
    expect(ids(runPart(r, r.tasks.filter((t) => t.nodeId === vis[0]), false))).toEqual([[vis[0]], []]);
  });
});
