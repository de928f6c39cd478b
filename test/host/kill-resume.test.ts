import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeGraph } from '../../app/core/save';
import { Ledger } from '../../app/host/jobs/ledger';
import { startSandbox } from '../../app/sandbox/server';
import { journalJobs, sleep, startCli } from './cli-process';
import { smallGraph } from './runner-helpers';

// The runner is killed (SIGKILL) at random moments of a 20-job run, five times over; each start
// after a kill resumes from the journal. In the end all 20 videos are on disk and the service saw
// each taskUUID exactly once: nothing lost, nothing paid twice.

describe('crash and resume', () => {
  it('SIGKILL at random moments, five times: all 20 videos end on disk, none paid twice', async () => {
    const sandbox = await startSandbox({ generationMs: 1200, personalize: false });
    const home = await mkdtemp(join(tmpdir(), 'wan-kill-'));
    const graphFile = join(home, 'twenty.wgraph.json');
    await writeFile(graphFile, serializeGraph(smallGraph(20, { includeCost: undefined }).doc));
    const endpoint = ['--endpoint', sandbox.url, '--concurrency', '4'];
    let random = 7;
    const nextDelay = () => ((random = (random * 48271) % 2147483647), 300 + (random % 2200));
    try {
      let proc = startCli(['run', graphFile, ...endpoint], home);
      for (let i = 0; i < 200 && (await journalJobs(home)).size < 20; i++) await sleep(50);
      expect((await journalJobs(home)).size).toBe(20);
      const unfinishedAtKill: number[] = [];
      for (let kill = 0; kill < 5; kill++) {
        await Promise.race([sleep(nextDelay()), proc.exited]);
        proc.child.kill('SIGKILL');
        await proc.exited;
        unfinishedAtKill.push([...(await journalJobs(home)).values()].filter((j) => j.state !== 'done').length);
        proc = startCli(['jobs', '--resume', ...endpoint], home);
      }
      // the kills did land in the middle of the work
      expect(unfinishedAtKill.filter((n) => n > 0).length, String(unfinishedAtKill)).toBeGreaterThanOrEqual(3);
      const code = await Promise.race([proc.exited, sleep(90_000).then(() => 'timeout')]);
      expect(code, proc.output()).toBe(0);

      const jobs = [...(await journalJobs(home)).values()];
      expect(jobs).toHaveLength(20);
      for (const job of jobs) {
        expect(job.state, `${job.id}: ${JSON.stringify(job.error)}`).toBe('done');
        expect(job.results).toHaveLength(1);
        await access(job.results[0]!.file!);
        expect(sandbox.service.submissions.get(job.id)).toBe(1);
      }
      const totals = await new Ledger(join(home, 'ledger.jsonl')).totals();
      const paid = jobs.reduce((s, j) => s + (j.results[0]!.cost ?? 0), 0);
      expect(totals.total).toBeCloseTo(paid, 6);
    } finally {
      await sandbox.close();
    }
  }, 180_000);
});
