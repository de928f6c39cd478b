import { describe, expect, it } from 'vitest';
import { acceptsValue, param, paramProblem, paramSchema, SEED_MAX, type ParamSpec } from '../../app/core/params';
import { ACCELERATOR_FIELDS, FRAME_IMAGE_FIELDS, LORA_FIELDS, SAFETY_FIELDS, TASK_FIELDS } from '../../app/core/wan-spec';
import { registry } from '../../nodes';
import { astral, describeValue, values } from './param-values';

// acceptsValue is the fast path of validation and paramSchema (zod) words the refusals: the two
// must draw the same line, or a value would pass here and be refused there (or pass unexplained).
// Every parameter of the app, and a few made-up ones for the corners, meets a broad table of values.

const table = (prefix: string, fields: Record<string, ParamSpec>) => Object.entries(fields).map(([k, spec]): [string, ParamSpec] => [`${prefix}.${k}`, spec]);
const specs: [string, ParamSpec][] = [
  ...table('task', TASK_FIELDS),
  ...table('safety', SAFETY_FIELDS),
  ...table('acceleratorOptions', ACCELERATOR_FIELDS),
  ...table('lora', LORA_FIELDS),
  ...table('frameImages', FRAME_IMAGE_FIELDS),
  ...registry.all().flatMap((def) => table(def.type, def.params)),
  ['int, no bounds', param.int({ label: 'n' })],
  ['int, at most 10', param.int({ label: 'n', max: 10 })],
  ['int, -5 to 5', param.int({ label: 'n', min: -5, max: 5 })],
  ['float, step 0.5', param.float({ label: 'x', min: -10, max: 10, step: 0.5 })],
  ['float, step 0.001', param.float({ label: 'x', min: 0, max: 1, step: 0.001 })],
  ['enum of numbers', param.enum({ label: 'e', values: [0, 1, 2.5, -1] })],
  ['string, 1 to 3 characters', param.string({ label: 's', minLength: 1, maxLength: 3 })],
  ['string, at least 4 characters', param.string({ label: 's', minLength: 4 })],
  ['string, any', param.string({ label: 's' })],
  ['URL, at most 30 characters', param.string({ label: 'u', format: 'uri', maxLength: 30 })],
];

describe('acceptsValue and paramSchema', () => {
  it.each(specs)('agree on every value for %s', (_name, spec) => {
    const schema = paramSchema(spec);
    const disagreements = values
      .filter((v) => acceptsValue(spec, v) !== schema.safeParse(v).success)
      .map((v) => `${describeValue(v)}: acceptsValue says ${acceptsValue(spec, v)}`);
    expect(disagreements).toEqual([]);
    // and the table is broad enough that both answers occur for every parameter
    expect(values.some((v) => acceptsValue(spec, v))).toBe(true);
    expect(values.some((v) => !acceptsValue(spec, v))).toBe(true);
  });

  it('draw the lines where the specs say', () => {
    const prompt = TASK_FIELDS.positivePrompt; // 2–3000 characters
    expect(acceptsValue(prompt, astral.repeat(3000))).toBe(true); // 6000 UTF-16 units, 3000 characters
    expect(acceptsValue(prompt, astral.repeat(3001))).toBe(false);
    expect(acceptsValue(prompt, astral)).toBe(false); // two units, one character
    expect(acceptsValue(TASK_FIELDS.ttl, 1e300)).toBe(false); // whole, but not an exact integer
    expect(acceptsValue(TASK_FIELDS.seed, SEED_MAX)).toBe(true);
    expect(acceptsValue(TASK_FIELDS.seed, 2 ** 53)).toBe(false); // as a number it may be off by one; files give bigints
    expect(acceptsValue(TASK_FIELDS.CFGScale, 6.5)).toBe(true);
    expect(acceptsValue(TASK_FIELDS.CFGScale, 6.505)).toBe(false);
    expect(acceptsValue(FRAME_IMAGE_FIELDS.frame, -1)).toBe(true);
    expect(acceptsValue(FRAME_IMAGE_FIELDS.frame, '-1')).toBe(false);
    expect(acceptsValue(TASK_FIELDS.webhookURL, 'ftp://example.com')).toBe(false);
  });
});

describe('paramProblem', () => {
  it.each(specs)('is undefined exactly for the values %s accepts, and words every refusal', (_name, spec) => {
    for (const v of values) {
      const problem = paramProblem(spec, v);
      if (acceptsValue(spec, v)) expect(problem).toBeUndefined();
      else expect(problem).toMatch(/\(allowed: .+\)$/);
    }
  });

  it('quotes a refused bigint by its digits', () => {
    expect(paramProblem(TASK_FIELDS.scheduler, 12345678901234567890n)).toMatch(/^12345678901234567890 is not allowed/);
    expect(paramProblem(TASK_FIELDS.resolution, { size: 10n ** 20n })).toMatch(/^\{"size":"100000000000000000000"\} is not allowed/);
  });
});
