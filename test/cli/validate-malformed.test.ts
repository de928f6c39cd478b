import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = 'test/fixtures/malformed';

describe('the wan-graph CLI on malformed files', () => {
  // The real command in a child process, once for all the files: exit code 1, and each problem on
  // stderr names the file, the node (id and title) and the field.
  const cases = [
    ['steps-51', 4, 'Video Inference', 'steps', 'Steps must be at most 50'],
    ['lora-weight-5', 5, 'Style LoRA', 'weight', 'Weight must be at most 4'],
    ['unknown-parameter', 4, 'Video Inference', 'motionStrength', 'unknown parameter "motionStrength"'],
    ['positive-prompt-muted', 4, 'Video Inference', 'positive', 'comes from node 2, which is muted'],
    ['cache-end-above-steps', 5, 'Accelerator', 'cacheEndStep', 'cacheEndStep (25) must be at most steps (20)'],
    ['constructor-in-params', 4, 'Video Inference', 'constructor', 'parameter name "constructor" is reserved'],
  ] as const;
  const fileOf = (name: string) => `${FIXTURES}/${name}.wgraph.json`;
  let outcome: { code: number | undefined; stdout: string; stderr: string };
  beforeAll(async () => {
    outcome = await promisify(execFile)(process.execPath, ['app/cli/wan-graph.mjs', 'validate', ...cases.map(([name]) => fileOf(name))], { cwd: ROOT }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
    );
  }, 60_000);

  it('exits 1 and prints nothing on stdout', () => {
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(outcome.stdout).toBe('');
  });

  it.each(cases)('validate %s', (name, nodeId, title, field, reason) => {
    const line = outcome.stderr.split('\n').find((l) => l.includes(reason));
    expect(line, outcome.stderr).toBeDefined();
    expect(line!.startsWith(`${fileOf(name)}: node ${nodeId} "${title}" › ${field}: `), line).toBe(true);
  });
});
