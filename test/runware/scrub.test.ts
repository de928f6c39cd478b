import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringifyJson } from '../../app/core/support/json';
import { RunwareClient } from '../../app/runware/client';
import { keyScrubber } from '../../app/runware/scrub';
import { ECHO_KEY, leakForms, SEEDS, startEchoServer, type EchoServer } from './echo-server';

// The key is cut out of everything the service answers, in the client, before anyone sees it.

const leaks = (value: unknown) => {
  const text = typeof value === 'string' ? value : stringifyJson(value, 0);
  return leakForms(ECHO_KEY).filter((form) => text.includes(form));
};

describe('keyScrubber', () => {
  const scrub = keyScrubber([ECHO_KEY]);

  it('cuts the key, its URL encoding and its base64 at any alignment inside longer base64', () => {
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      for (const alphabet of ['base64', 'base64url'] as const) {
        const blob = Buffer.from(`${prefix}Authorization: Bearer ${ECHO_KEY}; more`).toString(alphabet);
        const scrubbed = scrub(blob);
        expect(scrubbed, `${alphabet} after ${prefix.length} bytes`).toContain('[api key]');
        expect(scrubbed.length).toBeLessThan(blob.length);
      }
    }
    expect(scrub(`x?k=${encodeURIComponent(ECHO_KEY)}&l=${encodeURIComponent(ECHO_KEY).replace(/%2F/g, '%2f')}`)).toBe('x?k=[api key]&l=[api key]');
    expect(scrub(`say ${ECHO_KEY}!`)).toBe('say [api key]!');
  });

  it('leaves text alone when there is no key, or one too short to search for', () => {
    expect(keyScrubber([undefined])('a b c')).toBe('a b c');
    expect(keyScrubber(['abc'])('abc abc')).toBe('abc abc');
  });
});

describe('the client', () => {
  let server: EchoServer;
  beforeAll(async () => void (server = await startEchoServer(new Uint8Array(8))));
  afterAll(() => server.close());
  const client = () => new RunwareClient({ baseUrl: server.url, apiKey: ECHO_KEY, backoffBaseMs: 1, backoffMaxMs: 5 });

  it('cuts the key out of every string of every answer: data and error items, unknown fields, error bodies', async () => {
    const c = client();
    const accepted = await c.post([{ taskType: 'videoInference', taskUUID: 't1', seed: SEEDS.ok }]);
    // the first poll is an HTTP 500 with the key in its body; the retry brings the results
    const polled = await c.getResponses(['t1']);
    const invalid = await c.submit({ taskUUID: 't2', seed: SEEDS.invalid } as { taskUUID: string }).catch((e: Error) => e);
    const forbidden = await c.submit({ taskUUID: 't3', seed: SEEDS.forbidden } as { taskUUID: string }).catch((e: Error) => e);
    await c.close();
    expect(polled.data.map((d) => d.status)).toEqual(['success', 'error']);
    expect(invalid).toMatchObject({ status: 400, code: 'invalidKey[api key]', parameter: '[api key]' });
    expect(forbidden).toMatchObject({ status: 403, code: 'invalidKey[api key]' });
    for (const answer of [accepted, polled, invalid, forbidden, (invalid as Error).message, (forbidden as Error).message]) {
      expect(leaks(answer)).toEqual([]);
      expect(stringifyJson(answer, 0)).toContain('[api key]');
    }
  });
});
