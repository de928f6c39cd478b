import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringifyJson } from '../../app/core/support/json';
import { ECHO_KEY, echoGraph, leakForms, leaksInFiles, startEchoServer, tinyVideo, type EchoServer } from '../runware/echo-server';
import { compileOk, openRunner } from './runner-helpers';

// A service that echoes the API key in every field it answers with: after a whole run, the key is
// in no file of the data folder (journal, ledger, library, provenance, upload cache) and in no event.

let server: EchoServer;
beforeAll(async () => void (server = await startEchoServer(await tinyVideo())));
afterAll(() => server.close());

describe('a service that echoes the API key', () => {
  it('never gets it into the data folder or the job events', async () => {
    const doc = echoGraph();
    const r = await openRunner(server.url, { apiKey: ECHO_KEY });
    try {
      const jobs = [];
      for (const compiled of compileOk(doc)) jobs.push(await r.runner.enqueue({ compiled, graph: doc, graphName: 'echo' }));
      await r.runner.idle();
      const [ok, invalid, forbidden] = jobs.map((j) => r.runner.get(j.id)!);
      // every path was taken: a result downloaded, a failed result, a task and a request refused
      expect(ok!.error?.message ?? ok!.state).toBe('done');
      expect(ok!.results.filter((x) => x.file)).toHaveLength(1);
      expect(ok!.results.find((x) => x.error)!.error!.message).toContain('[api key]');
      expect(invalid).toMatchObject({ state: 'failed', error: { parameter: '[api key]' } });
      expect(forbidden).toMatchObject({ state: 'failed', error: { code: 'invalidKey[api key]' } });
    } finally {
      await r.close();
    }
    const events = stringifyJson(r.events, 0);
    expect(events).toContain('[api key]');
    expect(leakForms(ECHO_KEY).filter((form) => events.includes(form))).toEqual([]);
    const files = await leaksInFiles(r.dataDir, ECHO_KEY);
    expect(files.searched).toBeGreaterThanOrEqual(4); // journal, ledger, index, video, provenance
    expect(files.leaks).toEqual([]);
  });
});
