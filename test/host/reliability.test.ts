import { access } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../app/sandbox/server';
import { compileOk, openRunner, smallGraph } from './runner-helpers';

// 100 tasks through the runner while 30% of the API requests fail one way or another: every job
// must end done (or failed, saying why), no taskUUID may reach the service as two submissions,
// and no result may be lost.

describe('reliability under injected faults', () => {
  it('100 tasks, 30% faults: every job ends, none submitted twice, no result lost', async () => {
    const sandbox = await startSandbox({
      generationMs: 200,
      personalize: false,
      faults: { rate429: 0.08, rate5xx: 0.08, dropRate: 0.05, timeoutRate: 0.03, lostAckRate: 0.06, download422: 1, download502Rate: 0.1 },
      faultSeed: 20261121,
    });
    const { doc } = smallGraph(100, { numberResults: 1 });
    const r = await openRunner(sandbox.url, { concurrency: 16 });
    try {
      const jobs = [];
      for (const compiled of compileOk(doc)) jobs.push(await r.runner.enqueue({ compiled, graph: doc }));
      await r.runner.idle();
      const ended = jobs.map((j) => r.runner.get(j.id)!);
      for (const job of ended) {
        expect(['done', 'failed']).toContain(job.state);
        if (job.state === 'failed') expect(job.error?.message).toBeTruthy();
        else for (const result of job.results) await access(result.file!);
        expect(sandbox.service.submissions.get(job.id)).toBe(1);
      }
      expect(new Set(ended.map((j) => j.id)).size).toBe(100);
      const { injected, requests } = sandbox.stats;
      const faults = injected['429'] + injected['5xx'] + injected.drop + injected.timeout + injected.lostAck;
      expect(faults / requests).toBeGreaterThan(0.2);
      // with retries and look-ups before re-submitting, the faults above cost nothing in the end
      expect(ended.filter((j) => j.state === 'done').length).toBeGreaterThanOrEqual(98);
    } finally {
      await r.close();
      await sandbox.close();
    }
  }, 120_000);
});
