import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import { readImageFile, resolveFrameImages, UploadCache } from '../../app/host/jobs/frame-images';
import { HostFailure } from '../../app/core/contract';
import { importImage } from '../../app/host/service/images';
import { RunwareClient } from '../../app/runware/client';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { registry } from '../../nodes';
import { GraphBuilder } from '../helpers';
import { inlineCases, pngBytes } from '../core/inline-image-cases';
import { compileOk, openRunner } from './runner-helpers';

// Frame images are read in four places — the image import, the compiler's task rules, the
// runner, the sandbox — and each must take exactly what the others take, with the same words.

let sandbox: SandboxServer;
beforeAll(async () => {
  sandbox = await startSandbox({ generationMs: 100, ffmpegPath: 'ffmpeg' });
});
afterAll(() => sandbox.close());

const withFrame = (image: string) => {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@8' });
  const p = g.node('Prompt', { text: 'a kite over dunes' });
  const f = g.node('FrameImage', { image });
  const vi = g.node('VideoInference', { width: 128, height: 64, duration: 1, fps: 16 });
  g.link(m, 'model', vi, 'model');
  g.link(p, 'text', vi, 'positive');
  g.link(f, 'frames', vi, 'frames');
  return g.doc;
};

const importFailure = async (name: string, base64: string, dataDir: string): Promise<string | undefined> => {
  try {
    await importImage(dataDir, name, base64);
    return undefined;
  } catch (e) {
    if (e instanceof HostFailure) return e.message;
    throw e;
  }
};

describe('frame images: one rule at import, compile, run and in the sandbox', () => {
  it('refuses a 30 MB image at import with the words a run gives', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-big-'));
    const big = Buffer.alloc(30 * 1024 * 1024);
    pngBytes.copy(big);
    const file = join(dir, 'big.png');
    await writeFile(file, big);

    const r = await openRunner(sandbox.url);
    let runMessage: string;
    try {
      const doc = withFrame(file);
      const job = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      await r.runner.idle();
      const failed = r.runner.get(job.id)!;
      expect(failed).toMatchObject({ state: 'failed', error: { code: 'invalidFrameImage', field: 'frames' } });
      expect(sandbox.service.submissions.get(job.id)).toBeUndefined();
      runMessage = failed.error!.message;
    } finally {
      await r.close();
    }
    expect(runMessage).toBe(`frame image ${JSON.stringify(file)}: the image is 30.0 MB; frame images are limited to 20 MB`);

    const importMessage = await importFailure('big.png', big.toString('base64'), dir);
    expect(importMessage).toBe(runMessage.replace(JSON.stringify(file), JSON.stringify('big.png')));
    expect(await importFailure('big.png', `data:image/png;base64,${big.toString('base64')}`, dir)).toBe(importMessage);
  });

  it('takes the same inline data everywhere', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wan-inline-'));
    const client = new RunwareClient({ baseUrl: sandbox.url, timeoutMs: 5000 });
    try {
      const verdicts: Array<{ name: string; expected: boolean; imported: boolean; uploaded: boolean; run: boolean }> = [];
      for (const { name, value, accepted } of inlineCases) {
        const imported = (await importFailure('frame.png', value, dataDir)) === undefined;
        const uploaded = await client.uploadImage(value, crypto.randomUUID()).then(
          () => true,
          () => false,
        );
        // a run: the compiler's rules, then the runner's own reading of the frame images
        const compiled = compileGraph(withFrame(value), registry, { uuid: () => crypto.randomUUID() });
        const run =
          compiled.ok &&
          (await resolveFrameImages(compiled.tasks[0]!.task, { client, cache: new UploadCache(join(dataDir, 'uploads.json')), baseDir: dataDir }).then(
            () => true,
            () => false,
          ));
        verdicts.push({ name, expected: accepted, imported, uploaded, run });
      }
      expect(verdicts).toEqual(inlineCases.map((c) => ({ name: c.name, expected: c.accepted, imported: c.accepted, uploaded: c.accepted, run: c.accepted })));
    } finally {
      await client.close();
    }
  });

  it('reads only regular files: a pipe or a device is refused at once, never waited on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wan-fifo-'));
    const fifo = join(dir, 'frame.png');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero', dir]) await expect(readImageFile(path)).rejects.toThrow(/it is not a regular file/);
  });
});
