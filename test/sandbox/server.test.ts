import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Runware } from '@runware/sdk-js';
import { RunwareClient } from '../../app/runware/client';
import { RunwareError } from '../../app/runware/errors';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';

const uuid = () => crypto.randomUUID();
// the sandbox serves from this very process: tools that read its URLs must not block the event loop
const run = async (cmd: string, args: string[]) => (await promisify(execFile)(cmd, args, { encoding: 'buffer', maxBuffer: 1 << 26 })).stdout as Buffer;
const task = (extra: Record<string, unknown> = {}) => ({
  taskType: 'videoInference',
  taskUUID: uuid(),
  model: 'runware:200@8',
  positivePrompt: 'a red fox running through fresh snow',
  width: 320,
  height: 192,
  duration: 1,
  fps: 16,
  ...extra,
});

let sandbox: SandboxServer;
let client: RunwareClient;
beforeAll(async () => {
  sandbox = await startSandbox({ generationMs: 300 });
  client = new RunwareClient({ baseUrl: sandbox.url, apiKey: 'test-key', backoffBaseMs: 5, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))) });
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
});

async function settle(taskUUID: string, expected = 1) {
  for (let i = 0; i < 100; i++) {
    const env = await client.getResponses([taskUUID]);
    if (env.data.length >= expected && env.data.every((d) => d.status === 'success' || d.status === 'error')) return env;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('did not settle');
}

describe('sandbox: validation as the specification says', () => {
  it('answers 400 with code, message, parameter and allowedValues', async () => {
    const bad = task({ numberResults: 5, outputFormat: 'AVI' });
    const res = await client.submit(bad).catch((e) => e);
    expect(res).toBeInstanceOf(RunwareError);
    expect(res).toMatchObject({ status: 400, retryable: false, taskUUID: bad.taskUUID });
    const raw = await fetch(sandbox.url, { method: 'POST', body: JSON.stringify([bad]) });
    expect(raw.status).toBe(400);
    const body = (await raw.json()) as { errors: Record<string, unknown>[] };
    expect(body.errors).toEqual([
      expect.objectContaining({ code: 'invalidOutputFormat', parameter: 'outputFormat', allowedValues: ['MP4', 'WEBM', 'MOV'], taskUUID: bad.taskUUID, taskType: 'videoInference' }),
      expect.objectContaining({ code: 'invalidNumberResults', parameter: 'numberResults', message: expect.stringContaining('at most 4 for Wan2.2 A14B Turbo') }),
    ]);
  });

  it('refuses plain-string frame images for A14B but takes them for Turbo', async () => {
    const inputs = { frameImages: ['aac49721-1964-481a-ae78-8a4e29b91402'] };
    await expect(client.submit(task({ model: 'runware:200@6', inputs }))).rejects.toMatchObject({ parameter: 'inputs.frameImages.0', status: 400 });
    const ok = await client.post([task({ inputs })]);
    expect(ok.status).toBe(200);
  });

  it('refuses a task with inherited property names without crashing', async () => {
    const raw = await fetch(sandbox.url, { method: 'POST', body: JSON.stringify([{ ...task(), constructor: 1, toString: 'x' }]) });
    expect(raw.status).toBe(400);
    expect(JSON.stringify(await raw.json())).toContain('unknown parameter');
  });
});

describe('sandbox: the asynchronous flow', () => {
  it('acknowledges at once, reports processing with progress, then every result with its own seed', async () => {
    const t = task({ numberResults: 3, seed: 9223372036854775805n, includeCost: true });
    const ack = await client.submit(t);
    expect(ack.items).toEqual([{ taskType: 'videoInference', taskUUID: t.taskUUID }]);
    const early = await client.getResponses([t.taskUUID]);
    expect(early.data).toHaveLength(3);
    expect(early.data.every((d) => d.status === 'processing')).toBe(true);
    const done = await settle(t.taskUUID, 3);
    expect(done.data.map((d) => d.seed)).toEqual([9223372036854775805n, 9223372036854775806n, 9223372036854775807n]);
    for (const d of done.data) {
      expect(d).toMatchObject({ status: 'success', videoURL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/media\/.+\.mp4$/), cost: expect.any(Number) });
      const probe = JSON.parse((await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height,avg_frame_rate,nb_frames', '-of', 'json', d.videoURL!])).toString());
      expect(probe.streams[0]).toMatchObject({ width: 320, height: 192, avg_frame_rate: '16/1', nb_frames: '16' });
    }
  });

  it('leaves cost out without includeCost, and makes WEBM and MOV as asked', async () => {
    for (const outputFormat of ['WEBM', 'MOV']) {
      const t = task({ outputFormat });
      await client.submit(t);
      const [item] = (await settle(t.taskUUID)).data;
      expect(item).not.toHaveProperty('cost');
      expect(item!.videoURL).toMatch(outputFormat === 'WEBM' ? /\.webm$/ : /\.mov$/);
      const codec = (await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', item!.videoURL!])).toString().trim();
      expect(codec).toBe(outputFormat === 'WEBM' ? 'vp9' : 'h264');
    }
  });

  it('takes a repeated taskUUID as the same task, not a second one', async () => {
    const t = task();
    await client.submit(t);
    await client.submit(t);
    expect(sandbox.service.submissions.get(t.taskUUID)).toBe(2);
    expect((await client.getResponses([t.taskUUID])).data).toHaveLength(1);
  });

  it('answers a taskUUID sent again with another payload with a conflict, not the first task', async () => {
    const t = task();
    await client.submit(t);
    const changed = { ...t, positivePrompt: 'a blue whale in deep water' };
    await expect(client.submit(changed)).rejects.toMatchObject({ code: 'conflictTaskUUID', status: 409, parameter: 'taskUUID', retryable: false });
    expect(sandbox.service.submissions.get(t.taskUUID)).toBe(1);
    // the same payload again, in another key order, is the same task
    const reordered = { ...Object.fromEntries(Object.entries(t).reverse()), taskUUID: t.taskUUID };
    await client.submit(reordered);
    expect(sandbox.service.submissions.get(t.taskUUID)).toBe(2);
    expect((await settle(t.taskUUID)).data[0]).toMatchObject({ status: 'success' });
  });

  it('answers taskNotFound for a taskUUID it never saw, which the client reads as unknown', async () => {
    const id = uuid();
    const env = await client.getResponses([id]);
    expect(env.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID: id })]);
    expect(await client.lookup(id)).toBeUndefined();
  });

  it('expires result URLs after ttl', async () => {
    let now = Date.now();
    const timed = await startSandbox({ generationMs: 50, now: () => now });
    try {
      const c = new RunwareClient({ baseUrl: timed.url });
      const t = task({ ttl: 60 });
      await c.submit(t);
      let url: string | undefined;
      for (let i = 0; i < 100 && !url; i++) {
        await new Promise((r) => setTimeout(r, 50));
        url = (await c.getResponses([t.taskUUID])).data.find((d) => d.status === 'success')?.videoURL;
      }
      expect((await fetch(url!)).status).toBe(200);
      now += 61_000;
      expect((await fetch(url!)).status).toBe(410);
      await c.close();
    } finally {
      await timed.close();
    }
  });

  it('POSTs each finished result to webhookURL and PUTs the video to uploadEndpoint (loopback only)', async () => {
    const got: Array<{ method: string; type: string; body: Buffer }> = [];
    const receiver = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      got.push({ method: req.method!, type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      res.end('ok');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    try {
      const t = task({ webhookURL: `${base}/hook`, uploadEndpoint: `${base}/put/video.mp4` });
      await client.submit(t);
      await settle(t.taskUUID);
      for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      const hook = got.find((g) => g.method === 'POST')!;
      expect(JSON.parse(hook.body.toString())).toMatchObject({ taskType: 'videoInference', taskUUID: t.taskUUID, status: 'success', videoURL: expect.any(String) });
      const put = got.find((g) => g.method === 'PUT')!;
      expect(put.type).toBe('video/mp4');
      expect(put.body.subarray(4, 8).toString()).toBe('ftyp');
    } finally {
      receiver.close();
    }
  });

  it('a delivery still under way when the sandbox closes ends quietly: no video is read from the folder it removed', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let posted!: () => void;
    const hookCalled = new Promise<void>((r) => (posted = r));
    const receiver = createServer(async (req: IncomingMessage, res) => {
      for await (const _ of req);
      posted();
      await held; // answered only once the sandbox has closed
      res.end('ok');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    const own = await startSandbox({ generationMs: 50 });
    const c = new RunwareClient({ baseUrl: own.url });
    try {
      await c.submit(task({ webhookURL: `${base}/hook`, uploadEndpoint: `${base}/put/video.mp4` }));
      await hookCalled;
      await own.close();
      release();
      // the upload would read the video now; give it the time to try
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      release();
      await c.close();
      receiver.close();
    }
  });
});

describe('sandbox: media downloads', () => {
  const video = async () => {
    const t = task();
    await client.submit(t);
    const url = (await settle(t.taskUUID)).data[0]!.videoURL as string;
    const whole = Buffer.from(await (await fetch(url)).arrayBuffer());
    return { url, whole };
  };

  it('answers a suffix range longer than the file with the whole file (RFC 9110)', async () => {
    const { url, whole } = await video();
    const size = whole.length;
    const res = await fetch(url, { headers: { range: `bytes=-${size + 1000}` } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-${size - 1}/${size}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(whole)).toBe(true);
    const tail = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(size - 10))).toBe(true);
    for (const range of ['bytes=-0', `bytes=${size}-`]) {
      const refused = await fetch(url, { headers: { range } });
      expect(refused.status, range).toBe(416);
      expect(refused.headers.get('content-range')).toBe(`bytes */${size}`);
    }
  });

  it('answers a malformed percent-encoding in a media path with 400', async () => {
    const res = await fetch(`${sandbox.url.replace(/\/v1$/, '')}/media/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ code: 'invalidRequest' }] });
  });
});

describe('sandbox: image uploads', () => {
  const png = () => execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-']);

  it('stores an image by its bytes and renders it as a frame image', async () => {
    const id = await client.uploadImage(`data:image/png;base64,${png().toString('base64')}`, uuid());
    expect(id.imageUUID).toMatch(/^[0-9a-f-]{36}$/);
    const t = task({ inputs: { frameImages: [id.imageUUID] } });
    await client.submit(t);
    const [item] = (await settle(t.taskUUID)).data;
    const rgb = await run('ffmpeg', ['-v', 'error', '-i', item!.videoURL!, '-vf', 'crop=20:20:150:86', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    expect(rgb[0]).toBeGreaterThan(150);
    expect(rgb[2]).toBeLessThan(100);
  });

  it('refuses bytes that are not an image', async () => {
    await expect(client.uploadImage(`data:image/png;base64,${Buffer.from('#!/bin/sh\necho not an image\n').toString('base64')}`, uuid())).rejects.toMatchObject({ code: 'invalidImage' });
  });

  it('refuses an upload without a taskUUID, naming the parameter', async () => {
    const res = await fetch(sandbox.url, { method: 'POST', body: JSON.stringify([{ taskType: 'imageUpload', image: `data:image/png;base64,${png().toString('base64')}` }]) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ code: 'invalidTaskUUID', parameter: 'taskUUID', taskType: 'imageUpload' })]);
  });
});

describe('sandbox: WebSocket', () => {
  const open = async () => {
    const ws = new WebSocket(sandbox.wsUrl);
    const messages: unknown[] = [];
    ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
    await new Promise((r) => ws.once('open', r));
    const next = async () => {
      for (let i = 0; i < 100 && !messages.length; i++) await new Promise((r) => setTimeout(r, 20));
      return messages.shift() as { data?: Record<string, unknown>[]; errors?: unknown[] };
    };
    return { ws, next };
  };

  it('authenticates, answers ping with pong, and resumes a session with its answers', async () => {
    const a = await open();
    a.ws.send(JSON.stringify([{ taskType: 'authentication', apiKey: 'k' }]));
    const session = (await a.next()).data![0]!.connectionSessionUUID as string;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    a.ws.send(JSON.stringify([{ taskType: 'ping', ping: true }]));
    expect(await a.next()).toEqual({ data: [{ taskType: 'ping', pong: true }] });
    a.ws.close();
    const b = await open();
    b.ws.send(JSON.stringify([{ taskType: 'authentication', apiKey: 'k', connectionSessionUUID: session }]));
    expect((await b.next()).data![0]!.connectionSessionUUID).toBe(session);
    b.ws.close();
  });

  it('refuses tasks before authentication', async () => {
    const a = await open();
    a.ws.send(JSON.stringify([{ taskType: 'ping', ping: true }]));
    expect((await a.next()).errors).toEqual([expect.objectContaining({ code: 'notAuthenticated' })]);
    a.ws.close();
  });

  it('works with the official @runware/sdk-js', async () => {
    const runware = new Runware({ apiKey: 'sdk-key', url: sandbox.wsUrl, shouldReconnect: false } as ConstructorParameters<typeof Runware>[0]);
    try {
      const results = (await runware.videoInference({ model: 'runware:200@8', positivePrompt: 'a lighthouse in a storm', width: 320, height: 192, duration: 1, fps: 16, numberResults: 2 } as never)) as unknown as Array<Record<string, unknown>>;
      expect(results).toHaveLength(2);
      for (const r of results) expect(r).toMatchObject({ status: 'success', videoURL: expect.stringContaining('/media/') });
    } finally {
      await runware.disconnect();
    }
  }, 40_000);
});

describe('sandbox: faults', () => {
  it('injects 429, 5xx, drops and lost acknowledgements, and the client still gets through', async () => {
    const faulty = await startSandbox({ generationMs: 50, faults: { rate429: 0.2, rate5xx: 0.2, dropRate: 0.1, lostAckRate: 0.1 }, faultSeed: 42 });
    const c = new RunwareClient({ baseUrl: faulty.url, retries: 12, sleep: () => Promise.resolve() });
    try {
      for (let k = 0; k < 20; k++) {
        const t = task();
        await c.submit(t);
        expect(faulty.service.submissions.get(t.taskUUID)).toBe(1);
      }
      const { injected } = faulty.stats;
      expect(injected['429'] + injected['5xx'] + injected.drop + injected.lostAck).toBeGreaterThan(5);
    } finally {
      await c.close();
      await faulty.close();
    }
  });
});
