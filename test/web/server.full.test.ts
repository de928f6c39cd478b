import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostEvent } from '../../app/core/contract';
import { serializeGraph } from '../../app/core/save';
import { smallGraph } from '../host/runner-helpers';
import { api, cookie, outside, serveEachTest, web } from './server-harness';

// The browser-mode server's tests that belong to the full lane: a body over the limit is 41 MB
// sent over loopback, and a job streamed as events runs on the sandbox, which renders with ffmpeg.

serveEachTest();

describe('the contract over HTTP', () => {
  it('refuses a body over the limit', async () => {
    const r = await api('file.write', { path: join(outside, 'big.wgraph.json'), text: 'x'.repeat(41 * 1024 * 1024) });
    expect(r.status).toBe(413);
  });

  it('streams job events (Server-Sent Events)', async () => {
    const events: HostEvent[] = [];
    let done!: () => void;
    const got = new Promise<void>((resolve) => (done = resolve));
    const req = httpRequest({ host: '127.0.0.1', port: web.port, path: '/api/events', headers: { host: `127.0.0.1:${web.port}`, ...cookie() } }, (res) => {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      res.on('data', (c: Buffer) => {
        buffer += c.toString();
        for (let i; (i = buffer.indexOf('\n\n')) >= 0; ) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          for (const line of block.split('\n')) if (line.startsWith('data: ')) events.push(HostEvent.parse(JSON.parse(line.slice(6))));
          if (events.some((e) => e.type === 'job' && e.job.state === 'done')) done();
        }
      });
    });
    req.end();
    await new Promise((r) => setTimeout(r, 100));
    const run = JSON.parse((await api('jobs.run', { text: serializeGraph(smallGraph(1).doc) })).text);
    expect(run.ok).toBe(true);
    await got;
    req.destroy();
    expect(events.filter((e) => e.type === 'job').map((e) => e.type === 'job' && e.job.state)).toContain('queued');
    expect(events.some((e) => e.type === 'job' && e.job.id === run.jobs[0].id && e.job.sandbox)).toBe(true);
  }, 60_000);
});
