import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GraphDocument } from '../../app/core/document';
import { GraphBuilder } from '../helpers';

// A scripted Runware-like server on loopback that echoes the API key it is sent (raw, URL-encoded
// and base64) in every string field it answers with: data items, error items, HTTP error bodies,
// unknown fields, even object keys. One graph run against it takes every path a service string can
// take into the journal, the library, events and the output:
//   seed 1   → accepted; the first poll answers HTTP 500, then one success (its videoURL carries
//              the key in its query) and one failed result (error item inside data)
//   seed 400 → HTTP 400 with an error item for the task (a validation answer)
//   seed 403 → HTTP 403 with an error body for the whole request

export const ECHO_KEY = 'rw-ECHO/key+8f3a9c1d2e4b6a7f';
export const SEEDS = { ok: 1, invalid: 400, forbidden: 403 } as const;

/** The forms of a key a leak would show up as: raw, URL-encoded, base64, base64url. */
export function leakForms(key: string): string[] {
  const b64 = Buffer.from(key).toString('base64').replace(/=+$/, '');
  return [key, encodeURIComponent(key), b64, b64.replace(/\+/g, '-').replace(/\//g, '_')];
}

/** Every way the service could echo the key in one string. */
const echo = (key: string) => {
  const [raw, url, b64] = leakForms(key) as [string, string, string];
  return { raw, url, b64, text: `key ${raw} / ${url} / Basic ${b64}` };
};

function echoFields(key: string): Record<string, unknown> {
  const e = echo(key);
  return { note: e.text, [e.raw]: e.raw, [`x-${e.b64}`]: e.url, nested: { deep: [e.raw, { auth: `Bearer ${e.raw}`, header: e.b64 }] } };
}

function errorItem(key: string, taskUUID?: string): Record<string, unknown> {
  const e = echo(key);
  return {
    code: `invalidKey${e.raw}`,
    message: `request failed for ${e.text}`,
    parameter: e.raw,
    documentation: `https://docs.example/errors?key=${e.url}`,
    type: e.b64,
    taskType: `videoInference ${e.raw}`,
    allowedValues: [e.raw, e.url, e.b64],
    responseContent: { echoed: e.text },
    ...(taskUUID && { taskUUID }),
    ...echoFields(key),
  };
}

export interface EchoServer {
  url: string;
  close(): Promise<void>;
}

export async function startEchoServer(video: Uint8Array): Promise<EchoServer> {
  let polls = 0;
  const accepted = new Set<string>();
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': video.byteLength });
      return void res.end(video);
    }
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const tasks = JSON.parse(Buffer.concat(chunks).toString() || '[]') as Array<{ taskType: string; taskUUID: string; seed?: number }>;
    const e = echo(key);
    const data: unknown[] = [];
    // an error item about another task rides along in every answer to a poll
    const errors: unknown[] = tasks.some((t) => t.taskType === 'getResponse') ? [errorItem(key, 'another-task')] : [];
    for (const t of tasks) {
      if (t.taskType === 'getResponse') {
        if (polls++ === 0) return reply(res, 500, { errors: [errorItem(key)], ...echoFields(key) });
        if (!accepted.has(t.taskUUID)) continue;
        const base = { taskType: 'videoInference', taskUUID: t.taskUUID, ...echoFields(key) };
        data.push(
          { ...base, status: 'success', videoUUID: `video-${e.raw}`, videoURL: `${url}/result.mp4?sig=${e.url}&auth=${e.b64}`, imageURL: e.text, mediaURL: e.text, connectionSessionUUID: e.raw, seed: 1, cost: 0.01 },
          { ...base, status: 'error', videoUUID: `failed-${e.raw}`, error: { code: `failed${e.raw}`, message: `could not render: ${e.text}`, parameter: e.raw, documentation: e.url, ...echoFields(key) } },
        );
      } else if (t.seed === SEEDS.forbidden) return reply(res, 403, { errors: [errorItem(key)], ...echoFields(key) });
      else if (t.seed === SEEDS.invalid) return reply(res, 400, { errors: [errorItem(key, t.taskUUID)], ...echoFields(key) });
      else {
        accepted.add(t.taskUUID);
        data.push({ taskType: t.taskType, taskUUID: t.taskUUID, status: 'processing', ...echoFields(key) });
      }
    }
    reply(res, 200, { data, errors });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: `${url}/v1`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** One graph with a task for each path above. */
export function echoGraph(): GraphDocument {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@8' });
  const p = g.node('Prompt', { text: 'a paper boat drifting down a rain gutter' });
  for (const [seed, numberResults] of [[SEEDS.ok, 2], [SEEDS.invalid, 1], [SEEDS.forbidden, 1]] as const) {
    const vi = g.node('VideoInference', { width: 128, height: 64, duration: 1, fps: 16, steps: 8, seed, numberResults });
    g.link(m, 'model', vi, 'model');
    g.link(p, 'text', vi, 'positive');
  }
  g.doc.name = 'echo';
  return g.doc;
}

/** A real, tiny MP4 (so the library embeds its metadata as it would for a real result). */
export async function tinyVideo(): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'wan-echo-'));
  const file = join(dir, 'tiny.mp4');
  await promisify(execFile)('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=32x32:r=8:d=0.25', '-pix_fmt', 'yuv420p', file]);
  const bytes = await readFile(file);
  await rm(dir, { recursive: true, force: true });
  return bytes;
}

/** Every form of the key found in the files under a folder, by file name. */
export async function leaksInFiles(dir: string, key: string): Promise<{ searched: number; leaks: string[] }> {
  const leaks: string[] = [];
  let searched = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    searched++;
    const bytes = await readFile(join(entry.parentPath, entry.name));
    for (const form of leakForms(key)) if (bytes.includes(form)) leaks.push(`${entry.name}: ${form}`);
  }
  return { searched, leaks };
}
