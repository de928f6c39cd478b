import { afterEach, describe, expect, it } from 'vitest';
import { replyJson, scriptedServer, type ScriptedServer } from '../scripted-server';
import { compileOk, openRunner, smallGraph } from './runner-helpers';

// How the runner reads the ends of tasks the service reports in unusual ways.

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Task = { taskType: string; taskUUID: string };

/** Acknowledges every submission; answers each poll with what `poll` makes of the taskUUID. */
const serve = (poll: (taskUUID: string) => { data?: unknown[]; errors?: unknown[] }) =>
  scriptedServer((body, _req, res) => {
    const tasks = body as Task[];
    if (tasks[0]!.taskType === 'videoInference') return replyJson(res, 200, { data: [{ taskType: 'videoInference', taskUUID: tasks[0]!.taskUUID }] });
    const answers = tasks.map((t) => poll(t.taskUUID));
    replyJson(res, 200, { data: answers.flatMap((a) => a.data ?? []), errors: answers.flatMap((a) => a.errors ?? []) });
  });

describe('task-level failures', () => {
  it('an error item for a 2-result task ends the task at once, failed with its message', async () => {
    server = await serve((taskUUID) => ({ errors: [{ taskUUID, taskType: 'videoInference', status: 'error', code: 'providerFailure', message: 'the provider failed' }] }));
    const { doc } = smallGraph(1, { numberResults: 2 });
    // a long overall limit: waiting for it would be the bug
    const r = await openRunner(server.url, { overallTimeoutMs: 60 * 60_000 });
    try {
      const job = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      await r.runner.idle();
      expect(r.runner.get(job.id)).toMatchObject({ state: 'failed', error: { code: 'providerFailure', message: 'the provider failed' } });
      expect(r.runner.get(job.id)!.results).toHaveLength(2);
    } finally {
      await r.close();
    }
  });

  it('results already delivered are kept when the task then fails as a whole', async () => {
    let video = '';
    server = await scriptedServer((body, req, res) => {
      if (req.method === 'GET') return void (res.writeHead(200, { 'content-type': 'video/mp4' }), res.end(Buffer.alloc(2048, 1)));
      const tasks = body as Task[];
      const id = tasks[0]!.taskUUID;
      if (tasks[0]!.taskType === 'videoInference') return replyJson(res, 200, { data: [{ taskType: 'videoInference', taskUUID: id }] });
      video = server!.url.replace(/\/v1$/, `/media/${id}.mp4`);
      replyJson(res, 200, {
        data: [{ taskType: 'videoInference', taskUUID: id, status: 'success', videoUUID: 'v-1', videoURL: video, seed: 5, cost: 0.25 }],
        errors: [{ taskUUID: id, taskType: 'videoInference', status: 'error', code: 'providerFailure', message: 'the second result failed' }],
      });
    });
    const { doc } = smallGraph(1, { numberResults: 2 });
    const r = await openRunner(server.url, { overallTimeoutMs: 60 * 60_000 });
    try {
      const job = await r.runner.enqueue({ compiled: compileOk(doc)[0]!, graph: doc });
      await r.runner.idle();
      const done = r.runner.get(job.id)!;
      expect(done.state).toBe('done');
      expect(done.results.map((x) => [x.videoUUID, x.error?.message])).toEqual([
        ['v-1', undefined],
        ['', 'the second result failed'],
      ]);
      expect(done.results[0]!.file).toBeTruthy();
    } finally {
      await r.close();
    }
  });
});
