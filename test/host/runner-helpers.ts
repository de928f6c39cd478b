import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGraph, type CompiledTask } from '../../app/core/compile';
import type { GraphDocument } from '../../app/core/document';
import type { JsonValue } from '../../app/core/support/json';
import { Library } from '../../app/host/jobs/library';
import { JobRunner, type RunnerOptions } from '../../app/host/jobs/runner';
import type { JobEvent } from '../../app/host/jobs/types';
import { RunwareClient } from '../../app/runware/client';
import { registry } from '../../nodes';
import { GraphBuilder } from '../helpers';

/** A graph of n small Video Inference tasks sharing a model, a prompt and, if given, an Output node. */
export function smallGraph(n: number, vi: Record<string, unknown> = {}, model = 'runware:200@8', output?: Record<string, JsonValue>): { doc: GraphDocument; vis: number[] } {
  const g = new GraphBuilder();
  const m = g.node('Model', { model });
  const p = g.node('Prompt', { text: 'a paper boat drifting down a rain gutter' });
  const o = output && g.node('Output', output);
  const vis: number[] = [];
  for (let k = 0; k < n; k++) {
    const id = g.node('VideoInference', { width: 128, height: 64, duration: 1, fps: 16, steps: 8, ...vi });
    g.link(m, 'model', id, 'model');
    g.link(p, 'text', id, 'positive');
    if (o) g.link(o, 'output', id, 'output');
    vis.push(id);
  }
  g.doc.name = 'small test graph';
  return { doc: g.doc, vis };
}

/** A graph of one small task per entry: its own prompt, the Video Inference parameters given, optionally an Output node's. */
export function tasksGraph(tasks: Array<{ prompt: string; vi?: Record<string, JsonValue> }>, output?: Record<string, JsonValue>): GraphDocument {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@8' });
  const o = output && g.node('Output', output);
  for (const t of tasks) {
    const p = g.node('Prompt', { text: t.prompt });
    const vi = g.node('VideoInference', { width: 128, height: 64, duration: 1, fps: 16, steps: 8, ...t.vi });
    g.link(m, 'model', vi, 'model');
    g.link(p, 'text', vi, 'positive');
    if (o) g.link(o, 'output', vi, 'output');
  }
  g.doc.name = 'tasks test graph';
  return g.doc;
}

export function compileOk(doc: GraphDocument): CompiledTask[] {
  const r = compileGraph(doc, registry, { uuid: () => crypto.randomUUID() });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.tasks;
}

export async function openRunner(baseUrl: string, opts: Partial<RunnerOptions> & { apiKey?: string; dataDir?: string } = {}) {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'wan-runner-')));
  const client = new RunwareClient({ baseUrl, ...(opts.apiKey && { apiKey: opts.apiKey }), backoffBaseMs: 20, backoffMaxMs: 200, timeoutMs: 2000 });
  const events: JobEvent[] = [];
  const runner = await JobRunner.open({
    client,
    dataDir,
    library: new Library(join(dataDir, 'library'), 'ffmpeg'),
    concurrency: 4,
    firstPollMs: 100,
    pollCapMs: 500,
    onEvent: (e) => events.push({ ...e, job: structuredClone(e.job) }),
    ...opts,
  });
  return {
    runner,
    client,
    dataDir,
    events,
    close: async () => {
      await runner.close();
      await client.close();
    },
  };
}

/** Small shots in a row, each after the last frame of the one before, joined (with a cross-fade if given); `first` puts a video file before shot 1. */
export function chainGraph(shots: number, opts: { crossfade?: number; first?: string; seed?: number; size?: [number, number] } = {}) {
  const g = new GraphBuilder();
  g.doc.name = 'chain test';
  const m = g.node('Model', { model: 'runware:200@8' });
  const vis: number[] = [];
  let previous: number | undefined;
  let seq: number | undefined;
  if (opts.first) {
    previous = g.node('LoadVideo', { file: opts.first });
    seq = g.node('Sequence', {});
    g.link(previous, 'video', seq, 'video');
  }
  for (let k = 0; k < shots; k++) {
    const p = g.node('Prompt', { text: `shot ${k + 1}: a paper boat drifts down a gutter` });
    const vi = g.node('VideoInference', { width: opts.size?.[0] ?? 128, height: opts.size?.[1] ?? 64, duration: 1, fps: 16, steps: 8, seed: (opts.seed ?? 500) + k });
    g.link(m, 'model', vi, 'model');
    g.link(p, 'text', vi, 'positive');
    if (previous !== undefined) {
      const f = g.node('FrameFromVideo', { take: 'last', frame: 'first' });
      g.link(previous, 'video', f, 'video');
      g.link(f, 'frames', vi, 'frames');
    }
    const s = g.node('Sequence', { crossfade: opts.crossfade ?? 0 });
    if (seq !== undefined) g.link(seq, 'parts', s, 'parts');
    g.link(vi, 'video', s, 'video');
    seq = s;
    previous = vi;
    vis.push(vi);
  }
  const r = compileGraph(g.doc, registry, { uuid: () => crypto.randomUUID() });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return { doc: g.doc, compiled: r, vis };
}
