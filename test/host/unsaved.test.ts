import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../app/host/jobs/library';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { compileOk, openRunner, smallGraph } from './runner-helpers';

// A paid result that cannot be written (a full disk, a path that is not a folder) is never
// marked failed for good: it waits as "paid, not yet saved" with its reason, the spend is in the
// ledger at once, and a retry (or the next start) saves it once the cause is gone.

/** Can this process mount a small tmpfs (root, or a kernel that lets it)? */
function canMount(): boolean {
  const dir = join(tmpdir(), `wan-mount-probe-${process.pid}`);
  try {
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    execFileSync('rm', ['-rf', dir]);
  }
}
const mountable = canMount();

/** Small graphs whose tasks ask for their cost. */
const withCost = (n: number, vi: Record<string, unknown> = {}) => smallGraph(n, vi, undefined, { includeCost: true }).doc;

let sandbox: SandboxServer;
beforeAll(async () => {
  sandbox = await startSandbox({ generationMs: 100, ffmpegPath: 'ffmpeg' });
});
afterAll(() => sandbox.close());

describe('paid results that cannot be saved', () => {
  it('a library path through a file: reported at once, kept as unsaved with the spend in the ledger, saved by a retry once fixed', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-unsaved-'));
    const blocker = join(home, 'videos');
    await writeFile(blocker, 'a file where the library folder should be');
    const doc = withCost(1, { numberResults: 2, seed: 4321 });
    const r = await openRunner(sandbox.url, { dataDir: join(home, 'data'), library: new Library(join(blocker, 'library'), 'ffmpeg') });
    try {
      const mediaBefore = sandbox.stats.mediaRequests;
      const job = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc, graphName: 'blocked' });
      await r.runner.idle();
      const unsaved = r.runner.get(job.id)!;
      expect(unsaved.state).toBe('unsaved');
      expect(unsaved.error).toMatchObject({ code: 'notSaved', message: expect.stringMatching(/^paid, not yet saved: a part of the path is not a folder \(ENOTDIR, .*videos.*\)\. Choose another library folder, then retry/) });
      // not retried blindly: at most one request per result
      expect(sandbox.stats.mediaRequests - mediaBefore).toBeLessThanOrEqual(2);
      const paid = unsaved.results.reduce((s, x) => s + x.cost!, 0);
      expect(paid).toBeGreaterThan(0);
      expect((await r.runner.ledger.totals()).total).toBeCloseTo(paid, 6);

      // running the same payload again joins the waiting job: nothing is sent twice
      const again = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc, graphName: 'blocked' });
      expect(again.id).toBe(job.id);
      await r.runner.idle();
      expect(sandbox.service.submissions.get(job.id)).toBe(1);

      await rm(blocker);
      await mkdir(blocker);
      r.runner.retry(job.id);
      await r.runner.idle();
      const saved = r.runner.get(job.id)!;
      expect(saved.state).toBe('done');
      for (const x of saved.results) expect((await stat(x.file!)).size).toBeGreaterThan(1000);
      expect(sandbox.service.submissions.get(job.id)).toBe(1);
      // the ledger counts each paid result once, however often it was written
      expect((await r.runner.ledger.totals()).total).toBeCloseTo(paid, 6);
    } finally {
      await r.close();
    }
  });

  it.skipIf(!mountable)('a full disk (a 256 KiB tmpfs; needs mount, so root): unsaved, then saved by the next start once there is room', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-full-'));
    const lib = join(home, 'library');
    await mkdir(lib);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', lib]);
    try {
      // fill it to the last byte
      await writeFile(join(lib, 'filler'), Buffer.alloc(512 * 1024)).catch((e: NodeJS.ErrnoException) => expect(e.code).toBe('ENOSPC'));
      const filled = (await stat(join(lib, 'filler'))).size;
      const doc = withCost(2, { duration: 2 });
      const first = await openRunner(sandbox.url, { dataDir: join(home, 'data'), library: new Library(lib, 'ffmpeg') });
      const jobs = await first.runner.enqueueAll(compileOk(doc).map((compiled) => ({ compiled, graph: doc })));
      await first.runner.idle();
      for (const j of jobs) expect(first.runner.get(j.id)).toMatchObject({ state: 'unsaved', error: { message: expect.stringContaining('no space left on the device (ENOSPC') } });
      const paid = jobs.flatMap((j) => first.runner.get(j.id)!.results).reduce((s, x) => s + x.cost!, 0);
      expect((await first.runner.ledger.totals()).total).toBeCloseTo(paid, 6);
      await first.close();
      // no partial download is left behind
      expect((await readdir(lib, { recursive: true })).filter((f) => f.includes('.download'))).toEqual([]);
      expect((await stat(join(lib, 'filler'))).size).toBe(filled);

      await rm(join(lib, 'filler'));
      execFileSync('mount', ['-o', 'remount,size=64m', lib]);
      const second = await openRunner(sandbox.url, { dataDir: join(home, 'data'), library: new Library(lib, 'ffmpeg') });
      try {
        expect((await second.runner.resume()).map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
        await second.runner.idle();
        for (const j of jobs) {
          expect(second.runner.get(j.id)!.state).toBe('done');
          expect(sandbox.service.submissions.get(j.id)).toBe(1);
        }
      } finally {
        await second.close();
      }
    } finally {
      execFileSync('umount', [lib]);
    }
  });

  it('a run that chose its folder (wan-graph run --out) is saved there by a later start that did not choose it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-out-'));
    const out = join(home, 'renders');
    await writeFile(out, 'a file where the chosen folder should be');
    const doc = withCost(1, { seed: 777 });
    const first = await openRunner(sandbox.url, { dataDir: join(home, 'data') });
    const job = await first.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc, graphName: 'chosen', libraryDir: out });
    await first.runner.idle();
    expect(first.runner.get(job.id)).toMatchObject({ state: 'unsaved', error: { message: expect.stringContaining('renders') } });
    await first.close();

    await rm(out);
    await mkdir(out);
    // the next start opens its own library, as `jobs --resume` and the editor do
    const second = await openRunner(sandbox.url, { dataDir: join(home, 'data') });
    try {
      await second.runner.resume();
      await second.runner.idle();
      const saved = second.runner.get(job.id)!;
      expect(saved.state).toBe('done');
      expect(saved.results[0]!.file!.startsWith(out + '/')).toBe(true);
      expect((await stat(saved.results[0]!.file!)).size).toBeGreaterThan(1000);
      expect(await readdir(join(home, 'data', 'library')).catch(() => [])).toEqual([]);
      expect(sandbox.service.submissions.get(job.id)).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('partial downloads of ended processes are removed when a runner starts; those of live ones stay', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-partial-'));
    const day = join(home, 'library', '2026-01-01');
    await mkdir(day, { recursive: true });
    const dead = join(day, 'a-1.mp4.download-999999999.part');
    const legacy = join(day, 'b-1.mp4.download.part');
    const live = join(day, `c-1.mp4.download-${process.pid}.part`);
    for (const f of [dead, legacy, live]) await writeFile(f, 'partial');
    const r = await openRunner(sandbox.url, { dataDir: home });
    await r.close();
    expect(await Promise.all([dead, legacy, live].map((f) => stat(f).then(() => true, () => false)))).toEqual([false, false, true]);
  });
});

describe('a journal that cannot be written', () => {
  it('stops the job where the journal last had it (nothing sent without it), says why, and the next start resumes it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-journal-'));
    const doc = withCost(1);
    const first = await openRunner(sandbox.url, { dataDir: home });
    const append = first.runner.journal.append.bind(first.runner.journal);
    let writes = 0;
    // the disk fills up right after the job is recorded
    first.runner.journal.append = (...entries) => (++writes > 1 ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) : append(...entries));
    const job = await first.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
    await first.runner.idle();
    expect(first.runner.get(job.id)!.error).toMatchObject({ code: 'journalUnwritable', message: expect.stringMatching(/^cannot write the job journal ".*journal\.jsonl": no space left on the device\. Nothing more is sent/) });
    expect(sandbox.service.submissions.get(job.id)).toBeUndefined();
    await first.close();

    const second = await openRunner(sandbox.url, { dataDir: home });
    try {
      expect((await second.runner.resume()).map((j) => j.id)).toEqual([job.id]);
      await second.runner.idle();
      expect(second.runner.get(job.id)!.state).toBe('done');
      expect(sandbox.service.submissions.get(job.id)).toBe(1);
    } finally {
      await second.close();
    }
  });
});
