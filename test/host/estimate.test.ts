import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../app/core/document';
import { estimateRun, shapeKey } from '../../app/host/jobs/estimate';
import type { EnqueueInput } from '../../app/host/jobs/runner';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { compileOk, openRunner, tasksGraph } from './runner-helpers';

// Pricing a run before paying for it (host/jobs/estimate.ts), against the real sandbox: one dry
// run per payload shape, reused results free, "unknown" where the endpoint ignores dry runs.

const inputsOf = (doc: GraphDocument): EnqueueInput[] => compileOk(doc).map((compiled) => ({ compiled, graph: doc, graphName: 'tasks test graph' }));

let sandbox: SandboxServer;
beforeAll(async () => {
  sandbox = await startSandbox({ generationMs: 100, ffmpegPath: 'ffmpeg' });
});
afterAll(() => sandbox.close());

describe('payload shapes', () => {
  it('leave out only the fields that do not change the price', () => {
    const base = { taskType: 'videoInference', taskUUID: 'a', model: 'runware:200@8', width: 128, height: 64, steps: 8, seed: 1, positivePrompt: 'x', negativePrompt: 'y' };
    expect(shapeKey({ ...base, taskUUID: 'b', seed: 2, positivePrompt: 'other', negativePrompt: 'other' })).toBe(shapeKey(base));
    for (const change of [{ steps: 9 }, { width: 256 }, { numberResults: 2 }, { model: 'runware:200@6' }, { duration: 2 }]) expect(shapeKey({ ...base, ...change })).not.toBe(shapeKey(base));
  });
});

describe('estimating a run', () => {
  it('labels shapes that differ beyond size, length and steps by what differs, down to nested values', async () => {
    const doc = tasksGraph([{ prompt: 'a heron', vi: { CFGScale: 1 } }, { prompt: 'a crane', vi: { CFGScale: 1.5 } }]);
    const r = await openRunner(sandbox.url);
    try {
      const e = await estimateRun(r.runner, inputsOf(doc));
      expect(e.shapes.map((s) => s.label.split(', ').at(-1))).toEqual(['CFGScale 1', 'CFGScale 1.5']);
    } finally {
      await r.close();
    }
  });

  it('dry-runs one task per payload shape and multiplies: 5 tasks of 2 shapes are 2 requests', async () => {
    // sizes the sandbox prices apart (dry runs render nothing)
    const size = { width: 832, height: 480 };
    const doc = tasksGraph([
      { prompt: 'a heron', vi: size },
      { prompt: 'a crane', vi: { ...size, seed: 5 } },
      { prompt: 'a stork', vi: { ...size, seed: 6 } },
      { prompt: 'a long heron', vi: { ...size, steps: 30 } },
      { prompt: 'a long crane', vi: { ...size, steps: 30, seed: 9 } },
    ]);
    const r = await openRunner(sandbox.url);
    try {
      const before = sandbox.stats.requests;
      const e = await estimateRun(r.runner, inputsOf(doc));
      expect(sandbox.stats.requests - before).toBe(2);
      expect(e).toMatchObject({ tasks: 5, reused: 0, ranForReal: [] });
      expect(e.shapes.map((s) => s.tasks)).toEqual([3, 2]);
      const [short, long] = e.shapes;
      expect(short!.unitCost).toBeGreaterThan(0);
      expect(long!.unitCost).toBeGreaterThan(short!.unitCost!);
      expect(short!.label).toBe('runware:200@8, 832×480, 1 s, 16 fps, 8 steps');
      expect(e.total).toBeCloseTo(3 * short!.unitCost! + 2 * long!.unitCost!, 6);
      expect(e.known).toBe(e.total);
      // nothing of the run was sent: the dry runs were copies under new taskUUIDs
      for (const input of inputsOf(doc)) expect(sandbox.service.submissions.get(input.compiled.task.taskUUID as string)).toBeUndefined();
      expect(sandbox.service.submissions.size).toBe(0);
    } finally {
      await r.close();
    }
  });

  it('counts results that would be reused as free: the same payload with an explicit seed, done before or earlier in the run', async () => {
    const doc = tasksGraph([{ prompt: 'a kingfisher', vi: { seed: 777 } }]);
    const r = await openRunner(sandbox.url);
    try {
      await r.runner.enqueueAll(inputsOf(doc));
      await r.runner.idle();
      const again = tasksGraph([{ prompt: 'a kingfisher', vi: { seed: 777 } }, { prompt: 'a kingfisher', vi: { seed: 778 } }, { prompt: 'a kingfisher', vi: { seed: 778 } }]);
      const e = await estimateRun(r.runner, inputsOf(again));
      // 777 is in the library; the second 778 joins the first
      expect(e).toMatchObject({ tasks: 3, reused: 2 });
      expect(e.shapes).toHaveLength(1);
      expect(e.shapes[0]!.tasks).toBe(1);
      expect(e.total).toBe(e.shapes[0]!.unitCost);
      // the runner agrees: one new task is sent
      const jobs = await r.runner.enqueueAll(inputsOf(again));
      expect(new Set(jobs.filter((j) => !j.reusedFrom).map((j) => j.id)).size).toBe(1);
      await r.runner.idle();
    } finally {
      await r.close();
    }
  });

  it('a run whose every task is reused costs $0 and asks nothing', async () => {
    const doc = tasksGraph([{ prompt: 'an egret', vi: { seed: 31 } }]);
    const r = await openRunner(sandbox.url);
    try {
      await r.runner.enqueueAll(inputsOf(doc));
      await r.runner.idle();
      const before = sandbox.stats.requests;
      const e = await estimateRun(r.runner, inputsOf(doc));
      expect(sandbox.stats.requests).toBe(before);
      expect(e).toMatchObject({ tasks: 1, reused: 1, shapes: [], known: 0, total: 0 });
    } finally {
      await r.close();
    }
  });

  it("tells today's spend from the ledger", async () => {
    const doc = tasksGraph([{ prompt: 'a pelican', vi: { seed: 41 } }], { includeCost: true });
    const r = await openRunner(sandbox.url);
    try {
      const [job] = await r.runner.enqueueAll(inputsOf(doc));
      await r.runner.idle();
      const paid = r.runner.get(job!.id)!.results[0]!.cost!;
      expect(paid).toBeGreaterThan(0);
      const e = await estimateRun(r.runner, inputsOf(tasksGraph([{ prompt: 'a pelican', vi: { seed: 42 } }])));
      expect(e.today).toEqual({ day: (await r.runner.ledger.entries())[0]!.day, spent: paid, unreported: 0 });
    } finally {
      await r.close();
    }
  });
});

describe('an endpoint that ignores dry runs', () => {
  it('gives "unknown": the one task it ran is kept, no other shape is asked (now or later), and the cost it did not report is not $0', async () => {
    const ignoring = await startSandbox({ generationMs: 100, faults: { ignoreDryRun: true } });
    const doc = tasksGraph([{ prompt: 'a swan' }, { prompt: 'a goose' }, { prompt: 'a long swan', vi: { steps: 12 } }]);
    const r = await openRunner(ignoring.url);
    try {
      const e = await estimateRun(r.runner, inputsOf(doc));
      expect(ignoring.service.submissions.size).toBe(1);
      expect(e.total).toBeUndefined();
      expect(e.known).toBe(0);
      expect(e.shapes.map((s) => [s.tasks, s.unitCost])).toEqual([
        [2, undefined],
        [1, undefined],
      ]);
      expect(e.shapes[0]!.note).toMatch(/ignored the dry run and ran one task \(its result is kept\); its cost was not reported/);
      expect(e.shapes[1]!.note).toMatch(/ignores dry runs/);
      expect(e.ranForReal).toHaveLength(1);
      expect(r.runner.get(e.ranForReal[0]!.id)).toMatchObject({ state: 'done', dryRun: true });
      // the journal remembers: a later estimate sends nothing
      const again = await estimateRun(r.runner, inputsOf(doc));
      expect(ignoring.service.submissions.size).toBe(1);
      expect(again.total).toBeUndefined();
    } finally {
      await r.close();
      await ignoring.close();
    }
  });

  it('prices the shape from the cost its result reported, and the run reuses that result when the seed is explicit', async () => {
    const ignoring = await startSandbox({ generationMs: 100, faults: { ignoreDryRun: true } });
    const doc = tasksGraph([{ prompt: 'a puffin', vi: { seed: 3 } }, { prompt: 'a tern', vi: { seed: 4 } }], { includeCost: true });
    const r = await openRunner(ignoring.url);
    try {
      const e = await estimateRun(r.runner, inputsOf(doc));
      const ran = r.runner.get(e.ranForReal[0]!.id)!;
      expect(ran.state).toBe('done');
      expect(e.shapes[0]!.unitCost).toBe(ran.results[0]!.cost);
      expect(e.shapes[0]!.note).toMatch(/priced from its reported cost/);
      // the puffin ran for real: reused, so one task is left to pay for
      expect(e).toMatchObject({ tasks: 2, reused: 1 });
      expect(e.total).toBe(ran.results[0]!.cost);
    } finally {
      await r.close();
      await ignoring.close();
    }
  });
});
