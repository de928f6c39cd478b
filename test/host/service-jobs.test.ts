import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeGraph } from '../../app/core/save';
import { smallGraph } from './runner-helpers';
import { harnesses } from './service-helpers';

// The editor's host and jobs that wait: paid results not yet saved (retried from the queue), and
// sandbox jobs cut short by an earlier session (run again when the app starts).

const open = harnesses();

describe('jobs that wait for the artist, in the editor', () => {
  it('a result that cannot be written waits as unsaved with its reason; Retry saves it once the cause is gone', async () => {
    const h = await open();
    const library = join(h.dataDir, 'sandbox', 'library');
    await mkdir(join(h.dataDir, 'sandbox'), { recursive: true });
    await writeFile(library, 'a file where the library folder should be');
    const run = await h.call('jobs.run', { text: serializeGraph(smallGraph(1).doc) });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    const id = run.jobs[0]!.id;
    const unsaved = (await h.waitFor(id, ['unsaved', 'failed', 'done'])).job;
    expect(unsaved).toMatchObject({ state: 'unsaved', error: { code: 'notSaved', message: expect.stringContaining('paid, not yet saved') } });

    await rm(library);
    await h.call('jobs.retry', { id });
    const done = (await h.waitFor(id, ['done', 'failed'])).job;
    expect(done.state).toBe('done');
    expect((await stat(done.results[0]!.file!)).size).toBeGreaterThan(1000);
    expect(h.sandboxes[0]!.service.submissions.get(id)).toBe(1);
    expect(await h.failure('jobs.retry', { id: 'no-such-job' })).toMatchObject({ code: 'not-found' });
  }, 60_000);

  it('sandbox jobs cut short by the last session are run again when the app starts', async () => {
    const first = await open();
    const run = await first.call('jobs.run', { text: serializeGraph(smallGraph(2, { duration: 5 }).doc) });
    if (!run.ok) throw new Error(JSON.stringify(run.diagnostics));
    await first.waitFor(run.jobs[0]!.id, ['processing']);
    await first.close();

    const second = await open({ dataDir: first.dataDir });
    for (const { id } of run.jobs) expect((await second.waitFor(id, ['done', 'failed', 'lost'])).job.state).toBe('done');
    expect(second.sandboxes).toHaveLength(1);
  }, 60_000);
});
