import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeGraph } from '../../app/core/save';
import { startSandbox } from '../../app/sandbox/server';
import { journalJobs, sleep, startCli } from './cli-process';
import { smallGraph } from './runner-helpers';

// Crashes at the edges of a run: in its first moment, and with the built-in sandbox, whose
// journal lives apart. Every graph of the run is known to the journal from the start, and every
// journal is listed and resumed.

/** Six graph files of one task each; the first two with an explicit seed. */
async function sixGraphs(home: string): Promise<string[]> {
  return Promise.all(
    Array.from({ length: 6 }, async (_, k) => {
      const file = join(home, `graph-${k + 1}.wgraph.json`);
      await writeFile(file, serializeGraph(smallGraph(1, k < 2 ? { seed: 1000 + k } : {}).doc));
      return file;
    }),
  );
}

describe('crashes at the edges of a run', () => {
  it('SIGKILL the moment the first job is on disk: all six graphs are recorded, and a resume runs each once', async () => {
    const sandbox = await startSandbox({ generationMs: 300, personalize: false });
    const home = await mkdtemp(join(tmpdir(), 'wan-early-'));
    try {
      const files = await sixGraphs(home);
      const run = startCli(['run', ...files, '--endpoint', sandbox.url, '--concurrency', '6'], home);
      for (let i = 0; i < 4000 && (await journalJobs(home)).size === 0; i++) await sleep(2);
      run.child.kill('SIGKILL');
      await run.exited;
      expect((await journalJobs(home)).size, run.output()).toBe(6);

      const resume = startCli(['jobs', '--resume'], home);
      expect(await resume.exited, resume.output()).toBe(0);
      expect(resume.output()).toContain('6 of 6 jobs done');
      for (const job of (await journalJobs(home)).values()) {
        expect(job.state).toBe('done');
        await access(job.results[0]!.file!);
        expect(sandbox.service.submissions.get(job.id)).toBe(1);
      }
    } finally {
      await sandbox.close();
    }
  }, 120_000);

  it('jobs of the built-in sandbox cut short by a crash are listed and resumed on a new sandbox', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-sandboxed-'));
    const files = await sixGraphs(home);
    const run = startCli(['run', ...files, '--endpoint', 'sandbox', '--concurrency', '2'], home);
    const sandboxJournal = join(home, 'sandbox');
    for (let i = 0; i < 1000 && ![...(await journalJobs(sandboxJournal)).values()].some((j) => j.state === 'processing'); i++) await sleep(10);
    run.child.kill('SIGKILL');
    await run.exited;
    const cut = [...(await journalJobs(sandboxJournal)).values()];
    expect(cut).toHaveLength(6);
    expect(cut.filter((j) => j.state !== 'done').length, run.output()).toBeGreaterThan(0);

    const list = startCli(['jobs'], home);
    expect(await list.exited).toBe(0);
    expect(list.output().split('\n').filter((l) => l.startsWith('[sandbox] '))).toHaveLength(6);

    const resume = startCli(['jobs', '--resume'], home);
    expect(await resume.exited, resume.output()).toBe(0);
    expect(resume.output()).toMatch(/(\d) of \1 jobs? done/);
    for (const job of (await journalJobs(sandboxJournal)).values()) {
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      await access(job.results[0]!.file!);
    }
  }, 120_000);
});
