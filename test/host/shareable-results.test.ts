import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeGraph } from '../../app/core/save';
import { jobView } from '../../app/host/service/job-view';
import { describeJob } from '../../app/cli/progress';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { GraphBuilder } from '../helpers';
import { compileOk, openRunner } from './runner-helpers';

// Sharing a result video (or its provenance file) must not share credentials: presigned frame
// image URLs, user-info, webhook tokens and presigned upload endpoints are kept out of what is
// written beside and inside the video, and out of the job as the editor and the CLI show it.

const FRAME = 'https://user:pass@bucket.s3.amazonaws.com/frames/first.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=frame-SECRET-5f1e#frag-SECRET';
const WEBHOOK = 'https://hooks.example.com/wan/results?token=hook-SECRET-9c2d';
const UPLOAD = 'https://bucket.s3.amazonaws.com/out/video.mp4?X-Amz-Credential=AKIA%2Fup&X-Amz-Signature=up-SECRET-77aa';
const SECRETS = ['user:pass', 'X-Amz', 'frame-SECRET', 'frag-SECRET', 'hook-SECRET', 'up-SECRET', 'token='];
const secretsIn = (text: string) => SECRETS.filter((s) => text.includes(s));

let sandbox: SandboxServer;
beforeAll(async () => void (sandbox = await startSandbox({ generationMs: 150, ffmpegPath: 'ffmpeg' })));
afterAll(() => sandbox.close());

function presignedGraph() {
  const { g, vi } = GraphBuilder.minimal('runware:200@8', { width: 128, height: 64, duration: 1, fps: 16, steps: 8 });
  const frame = g.node('FrameImage', { image: FRAME, frame: 'first' });
  const delivery = g.node('Delivery', { webhookURL: WEBHOOK, uploadEndpoint: UPLOAD });
  g.link(frame, 'frames', vi, 'frames');
  g.link(delivery, 'delivery', vi, 'delivery');
  g.doc.name = 'presigned';
  return g.doc;
}

describe('results shared with others', () => {
  it('carry no query, fragment or user-info of any URL in their provenance, metadata or job view; the graph file keeps them', async () => {
    const doc = presignedGraph();
    const dir = await mkdtemp(join(tmpdir(), 'wan-share-'));
    const graphFile = join(dir, 'presigned.wgraph.json');
    const typed = serializeGraph(doc);
    await writeFile(graphFile, typed);
    const r = await openRunner(sandbox.url, { dataDir: join(dir, 'data') });
    let job;
    try {
      const [compiled] = compileOk(doc);
      expect(compiled!.task).toMatchObject({ webhookURL: WEBHOOK, uploadEndpoint: UPLOAD });
      const queued = await r.runner.enqueue({ compiled: compiled!, graph: doc, graphFile, graphName: 'presigned' });
      await r.runner.idle();
      job = r.runner.get(queued.id)!;
    } finally {
      await r.close();
    }
    expect(job.state).toBe('done');
    // the service got, and the journal keeps, the exact payload (it may have to be sent again)
    expect(job.payload).toMatchObject({ webhookURL: WEBHOOK, uploadEndpoint: UPLOAD, inputs: { frameImages: [{ image: FRAME }] } });
    const video = job.results[0]!.file!;
    const provenance = await readFile(video.replace(/\.mp4$/, '.json'), 'utf8');
    const probe = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', video]);
    const tags = probe.stdout;
    for (const text of [provenance, tags]) {
      expect(secretsIn(text)).toEqual([]);
      // what is left of each URL is still there, so the result says where its inputs came from
      expect(text).toContain('https://bucket.s3.amazonaws.com/frames/first.png');
      expect(text).toContain('https://hooks.example.com/wan/results');
    }
    expect(JSON.parse(provenance)).toMatchObject({ embedded: true, payload: { webhookURL: 'https://hooks.example.com/wan/results', uploadEndpoint: 'https://bucket.s3.amazonaws.com/out/video.mp4' } });
    expect(secretsIn(JSON.stringify(jobView(job, true)))).toEqual([]);
    expect(secretsIn(describeJob(job))).toEqual([]);
    // messages that quote a URL (a frame image the service could not fetch) are shown shareable too
    const failed = { ...job, state: 'failed' as const, error: { code: 'invalidFrameImage', message: `could not fetch ${FRAME}` } };
    expect(jobView(failed, true).error!.message).toBe('could not fetch https://bucket.s3.amazonaws.com/frames/first.png');
    expect(secretsIn(describeJob(failed))).toEqual([]);
    expect(await readFile(graphFile, 'utf8')).toBe(typed);
  });
});
