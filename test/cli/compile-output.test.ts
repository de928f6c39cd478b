import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../app/core/support/json';

// `wan-graph compile` as a child process: stdout is exactly the request, anything else goes to stderr.

const examples: { name: string; request: Record<string, unknown> }[] = JSON.parse(readFileSync('test/fixtures/seed-examples.json', 'utf8'));
const fileOf = (name: string) => `graphs/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.wgraph.json`;
const withoutUuid = ({ taskUUID: _u, ...rest }: Record<string, unknown>) => rest;

describe('wan-graph compile', () => {
  it('wan-graph compile prints the same request, with a fresh UUID v4 each time', () => {
    const example = examples[1]!;
    const run = () => execFileSync('node', ['app/cli/wan-graph.mjs', 'compile', fileOf(example.name)], { encoding: 'utf8' });
    const [first, second] = [run(), run()].map((out) => parseJson(out) as Record<string, unknown>[]);
    expect(first).toHaveLength(1);
    expect(withoutUuid(first![0]!)).toStrictEqual(withoutUuid(example.request));
    expect(first![0]!.taskUUID).not.toEqual(second![0]!.taskUUID);
  });

  it('wan-graph compile prints the tasks on stdout and each one\'s swept values on stderr', () => {
    const run = spawnSync('node', ['app/cli/wan-graph.mjs', 'compile', 'graphs/sweep-turbo-night-market-seed-cfg.wgraph.json'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect((parseJson(run.stdout) as unknown[]).length).toBe(9);
    expect(run.stderr.trim().split('\n')).toEqual([1001, 1002, 1003].flatMap((s) => [1, 1.5, 2].map((c) => `(node 5): Seeds = ${s} · CFG scale = ${c}`)).map((l, i) => `task ${i + 1} ${l}`));
  });
});
