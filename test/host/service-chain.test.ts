import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { PlanView } from '../../app/core/contract';
import { isStepOver } from '../../app/core/job-states';
import { serializeGraph } from '../../app/core/save';
import { probeVideo } from '../../app/host/media/probe';
import { chainGraph } from './runner-helpers';
import { harnesses } from './service-helpers';

// Chains from the editor: jobs.run starts the plan (on disk before anything is sent), its steps
// come as events in the order they can run, the joined clip lands in the library with its graph,
// and cancelling a step cancels every step that needs it.

const open = harnesses();

const over = (p: PlanView) => p.steps.every((s) => isStepOver(s.state));
const states = (p: PlanView) => p.steps.map((s) => [s.kind, s.state]);

describe('a chain run from the editor', () => {
  it('runs every step in order and joins the shots into one clip, kept with its graph', async () => {
    const h = await open();
    const { doc, vis } = chainGraph(2, { crossfade: 2 });
    const run = await h.call('jobs.run', { text: serializeGraph(doc), docId: 'tab-1' });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    expect(run.jobs).toEqual([]);
    const started = run.plan!;
    expect(started).toMatchObject({ graphName: 'chain test', docId: 'tab-1', sandbox: true });
    // the order they can run in, each saying what it waits for
    expect(started.steps.map((s) => [s.kind, s.nodeId])).toEqual([
      ['task', vis[0]],
      ['frame', expect.any(Number)],
      ['task', vis[1]],
      ['join', expect.any(Number)],
    ]);
    expect(started.steps[2]!.waitsFor).toEqual([started.steps[1]!.label]);

    const done = await h.waitForPlan(started.id, over);
    expect(states(done)).toEqual([
      ['task', 'done'],
      ['frame', 'done'],
      ['task', 'done'],
      ['join', 'done'],
    ]);
    const film = done.steps[3]!.output!;
    const probed = await probeVideo(h.service.opts.ffmpegPath!, film);
    expect(probed.frames).toBeGreaterThan(16);
    // restoring the clip's graph gives the chain
    const restored = await h.call('video.graph', { path: film });
    expect(JSON.parse(restored.text)).toMatchObject({ name: 'chain test' });
    expect(await h.service.isMediaAllowed(film)).toBe(true);
    // the shots are jobs of the tab, each sent once
    const { jobs, plans } = await h.call('jobs.list', {});
    expect(plans.map((p) => p.id)).toEqual([started.id]);
    expect(jobs.map((j) => [j.nodeId, j.docId, j.state]).sort()).toEqual(vis.map((v) => [v, 'tab-1', 'done']).sort());
    for (const j of jobs) expect(h.sandboxes[0]!.service.submissions.get(j.id)).toBe(1);
    expect((await stat(film)).size).toBeGreaterThan(1000);
    expect(JSON.parse(await readFile(film.replace(/\.mp4$/, '.json'), 'utf8'))).toMatchObject({ format: 'wan-graph-sequence', plan: started.id });
  }, 90_000);

  it('run again after the second shot’s prompt changed, sends only the second shot: the first is reused, not paid again', async () => {
    const h = await open();
    const { doc } = chainGraph(2);
    const first = await h.call('jobs.run', { text: serializeGraph(doc) });
    if (!first.ok) throw new Error(JSON.stringify(first.diagnostics));
    const before = await h.waitForPlan(first.plan!.id, over);
    const sent = () => [...h.sandboxes[0]!.service.submissions.values()].reduce((a, b) => a + b, 0);
    expect(sent()).toBe(2);

    // the second shot's prompt is the second Prompt node
    const prompts = doc.nodes.filter((n) => n.type === 'Prompt');
    prompts[1]!.params.text = 'shot 2: the boat reaches the storm drain';
    const again = await h.call('jobs.run', { text: serializeGraph(doc) });
    if (!again.ok) throw new Error(JSON.stringify(again.diagnostics));
    const done = await h.waitForPlan(again.plan!.id, over);
    expect(states(done)).toEqual([
      ['task', 'done'],
      ['frame', 'done'],
      ['task', 'done'],
      ['join', 'done'],
    ]);
    expect(sent()).toBe(3);
    const { jobs } = await h.call('jobs.list', {});
    const firstShot = jobs.find((j) => j.id === done.steps[0]!.jobId)!;
    expect(firstShot.reusedFrom).toBe(before.steps[0]!.jobId);
    expect(done.steps[3]!.output).not.toBe(undefined);
  }, 90_000);

  it('with Each result, makes one film per result of the first shot, each from that result on', async () => {
    const h = await open();
    const { doc, vis } = chainGraph(2);
    doc.nodes.find((n) => n.id === vis[0])!.params.numberResults = 2;
    doc.nodes.find((n) => n.type === 'FrameFromVideo')!.params.eachResult = true;
    const run = await h.call('jobs.run', { text: serializeGraph(doc) });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    const done = await h.waitForPlan(run.plan!.id, over);
    expect(states(done)).toEqual([
      ['task', 'done'],
      ['frame', 'done'],
      ['frame', 'done'],
      ['task', 'done'],
      ['task', 'done'],
      ['join', 'done'],
      ['join', 'done'],
    ]);
    const { jobs } = await h.call('jobs.list', {});
    const first = jobs.find((j) => j.nodeId === vis[0])!;
    // each film starts with its own result of the first shot
    const films = done.steps.filter((s) => s.kind === 'join').map((s) => JSON.parse(readFileSync(s.output!.replace(/\.mp4$/, '.json'), 'utf8')) as { parts: string[] });
    expect(films.map((f) => f.parts[0])).toEqual(first.results.map((r) => r.file));
    for (const j of jobs) expect(h.sandboxes[0]!.service.submissions.get(j.id)).toBe(1);
  }, 90_000);

  it('fits a part of another size and frame rate to the first, and says so', async () => {
    const h = await open();
    const opening = join(h.dataDir, 'opening.mp4');
    execFileSync(h.service.opts.ffmpegPath!, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=24:duration=1', '-pix_fmt', 'yuv420p', opening]);
    const { doc } = chainGraph(1, { first: opening });
    const run = await h.call('jobs.run', { text: serializeGraph(doc) });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    const done = await h.waitForPlan(run.plan!.id, over);
    expect(done.steps.find((s) => s.kind === 'join')).toMatchObject({ state: 'done', note: 'fitted to the first part (320×240, 24 fps): part 2 was 128×64, 16 fps' });
  }, 60_000);

  it('cancelling a shot cancels the frames, shots and join that need it, and sends none of them', async () => {
    const h = await open();
    const { doc } = chainGraph(3, { size: [832, 480] });
    const run = await h.call('jobs.run', { text: serializeGraph(doc) });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    const id = run.plan!.id;
    const running = await h.waitForPlan(id, (p) => p.steps[0]!.state === 'running' && p.steps[0]!.jobId !== undefined);
    await h.waitFor(running.steps[0]!.jobId!, ['processing']);
    await h.call('plans.cancel', { id, step: running.steps[0]!.id });
    const ended = await h.waitForPlan(id, over);
    expect(ended.steps.map((s) => s.state)).toEqual(Array(6).fill('cancelled'));
    expect(ended.steps[1]!.reason).toBe(`cancelled with node ${ended.steps[0]!.nodeId}`);
    await h.waitFor(running.steps[0]!.jobId!, ['cancelled']);
    // only the first shot ever reached the service
    expect([...h.sandboxes[0]!.service.submissions.keys()]).toEqual([running.steps[0]!.jobId]);
    expect(await h.failure('plans.cancel', { id: 'no-such-chain' })).toMatchObject({ code: 'not-found' });
  }, 90_000);

  it('prices a chain before it runs: each shot by its shape, the frame it waits for stood in', async () => {
    const h = await open();
    const { doc } = chainGraph(3);
    const estimate = await h.call('jobs.estimate', { text: serializeGraph(doc) });
    if (!estimate.ok) throw new Error(JSON.stringify(estimate.diagnostics));
    expect(estimate.estimate.tasks).toBe(3);
    // shot 1 has no frame, shots 2 and 3 one each: two shapes, both priced
    expect(estimate.estimate.shapes.map((s) => s.tasks)).toEqual([1, 2]);
    expect(estimate.estimate.total).toBeGreaterThan(0);
    expect(h.sandboxes[0]!.service.submissions.size).toBe(0);
  }, 60_000);
});
