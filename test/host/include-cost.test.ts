import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { compileOk, openRunner, smallGraph } from './runner-helpers';

// The runner sends the compiled task as it is: a task that did not ask for its cost has results
// of unknown cost (not $0), and whether the cost was asked never makes a result be paid again.

let sandbox: SandboxServer;
beforeAll(async () => {
  sandbox = await startSandbox({ generationMs: 100, ffmpegPath: 'ffmpeg' });
});
afterAll(() => sandbox.close());

describe('includeCost is what the graph says', () => {
  it('sends no includeCost the graph did not ask for, and keeps the cost unknown', async () => {
    const { doc } = smallGraph(1);
    const compiled = compileOk(doc)[0]!;
    expect(compiled.task).not.toHaveProperty('includeCost');
    const r = await openRunner(sandbox.url);
    try {
      const job = await r.runner.enqueue({ compiled, graph: doc });
      await r.runner.idle();
      const done = r.runner.get(job.id)!;
      expect(done.state).toBe('done');
      expect(done.payload).toEqual(compiled.task);
      expect(done.results[0]).not.toHaveProperty('cost');
    } finally {
      await r.close();
    }
  });

  it('reuses a result whether or not the cost was asked for', async () => {
    const r = await openRunner(sandbox.url);
    try {
      const asked = smallGraph(1, { seed: 4242 }, undefined, { includeCost: true }).doc;
      const first = await r.runner.enqueue({ compiled: compileOk(asked)[0]!, graph: asked });
      await r.runner.idle();
      expect(r.runner.get(first.id)!.results[0]!.cost).toBeGreaterThan(0);
      const silent = smallGraph(1, { seed: 4242 }).doc;
      const again = await r.runner.enqueue({ compiled: compileOk(silent)[0]!, graph: silent });
      expect(again).toMatchObject({ state: 'done', reusedFrom: first.id });
      expect(sandbox.service.submissions.get(again.id)).toBeUndefined();
    } finally {
      await r.close();
    }
  });
});
