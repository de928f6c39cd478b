import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, type JsonValue } from '../../app/core/support/json';
import { serializeGraph } from '../../app/core/save';
import { prepareRun } from '../../app/host/service/run-graph';
import { Editor } from '../../app/renderer/editor/editor';
import { curlCommand, payloadJson } from '../../app/renderer/ui/inspector-panel';
import { startSandbox, type SandboxServer } from '../../app/sandbox/server';
import { registry } from '../../nodes';
import { counterUuid, loadFile, turboSweep } from '../helpers';
import { openRunner } from '../host/runner-helpers';

// What the artist sees is what is sent: the Payload tab's JSON and its curl command are, taskUUID
// aside, exactly the task the runner puts on the wire for the same graph.

let sandbox: SandboxServer;
let recorder: Server;
let recorderUrl: string;
/** Every videoInference task that reached the endpoint, as sent. */
const received: Array<Record<string, JsonValue>> = [];

beforeAll(async () => {
  // generation never finishes: the test only looks at what was submitted
  sandbox = await startSandbox({ generationMs: 3_600_000, ffmpegPath: 'ffmpeg' });
  recorder = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const tasks = parseJson(body);
      if (Array.isArray(tasks)) for (const t of tasks) if (t && typeof t === 'object' && !Array.isArray(t) && t.taskType === 'videoInference') received.push(t);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const h of ['authorization', 'x-runware-dry-run']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
      void fetch(sandbox.url, { method: 'POST', headers, body }).then(async (answer) => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(await answer.text());
      });
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => recorder.close(resolve));
  await sandbox.close();
});

const withoutUuid = (task: JsonValue) => {
  const { taskUUID: _id, ...rest } = task as Record<string, JsonValue>;
  return rest;
};

describe('the Payload tab shows what the runner sends', () => {
  const examples = ['aurora-ice-caravan-crossing', 'wind-carved-canyon-pilgrims', 'turbo-glacier-sunrise-first-last-frame', 'turbo-lantern-market-text-to-video'];

  const sweep = 'turbo-lantern-market with a seed × CFG sweep (9 tasks)';
  it.each([...examples, sweep])('%s', async (name) => {
    const doc = name === sweep ? turboSweep({ seed: '1 ×3', CFGScale: '1..2 step 0.5' }) : loadFile(`graphs/${name}.wgraph.json`);
    const editor = new Editor(registry, counterUuid());
    editor.load(doc, undefined);
    expect(editor.compiled.ok).toBe(true);
    const shown = editor.compiled.tasks.map((t) => parseJson(payloadJson(t.task)));
    const curled = editor.compiled.tasks.map((t) => {
      const body = /-d '([\s\S]*)'$/.exec(curlCommand(t.task))![1]!.replace(/'\\''/g, "'");
      return (parseJson(body) as JsonValue[])[0]!;
    });

    // the editor's Run: the graph's text, compiled on the host, run by the runner
    const prepared = prepareRun(serializeGraph(editor.doc), undefined, undefined);
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.diagnostics));
    const r = await openRunner(recorderUrl, { concurrency: 9 }); // every task submitted at once (generation never ends)
    const ids: string[] = [];
    try {
      for (const input of prepared.inputs) ids.push((await r.runner.enqueue(input)).id);
      // submitted and acknowledged; generation never ends here
      while (!ids.every((id) => r.runner.get(id)!.state === 'processing')) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await r.close();
    }
    const sent = ids.map((id) => received.find((t) => t.taskUUID === id)!);
    expect(sent.map(withoutUuid)).toEqual(shown.map(withoutUuid));
    expect(sent).toHaveLength(name === sweep ? 9 : 1);
    expect(curled).toEqual(shown);
  });
});
