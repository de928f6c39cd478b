import { z } from 'zod';

// A node parameter is described once, as data: the zod schema that validates it, the editor's
// widget and the `wan-graph nodes` listing are all derived from this description.

interface Common {
  label: string;
  description: string;
  /** Optional parameters may be left unset; unset means absent from the payload. */
  optional: boolean;
  /** The service's default (optional parameters) or the value a new node starts with (required ones). */
  default?: ParamValue;
  /**
   * Numbers: how far one arrow click (or one notch of a drag) moves the value, when the value's
   * own grid is finer than an artist wants to step by (CFG 0.1 on a grid of 0.01). Whole numbers
   * and seeds step by 1 without it, decimals by their `step`. It never changes what is valid.
   */
  nudge?: number;
  /** False for a parameter only the editor or the compiler reads (seed control, how lists combine): no link may drive it. */
  linkable?: false;
}

export type ParamValue = string | number | bigint | boolean;

export type IntSpec = Common & { kind: 'int'; min?: number; max?: number; default?: number };
export type FloatSpec = Common & { kind: 'float'; min: number; max: number; step: number; default?: number };
export type SeedSpec = Common & { kind: 'seed'; min: bigint; max: bigint };
export type EnumSpec = Common & { kind: 'enum'; values: readonly (string | number)[]; default?: string | number };
export type BoolSpec = Common & { kind: 'bool'; default?: boolean };
export type StringSpec = Common & {
  kind: 'string';
  minLength?: number;
  maxLength?: number;
  multiline?: boolean;
  format?: 'uri' | 'model';
  /** Offered in the editor; any other value may still be typed in. */
  suggestions?: readonly { value: string; label: string }[];
  default?: string;
};
export type ParamSpec = IntSpec | FloatSpec | SeedSpec | EnumSpec | BoolSpec | StringSpec;

type Options<T extends ParamSpec> = Omit<T, 'kind' | 'optional' | 'description'> & { description?: string; optional?: boolean };

export const SEED_MAX = 9223372036854775807n;

export const param = {
  int: (o: Options<IntSpec>): IntSpec => ({ kind: 'int', description: '', optional: true, ...o }),
  float: (o: Options<FloatSpec>): FloatSpec => ({ kind: 'float', description: '', optional: true, ...o }),
  seed: (o: Omit<Options<SeedSpec>, 'min' | 'max'>): SeedSpec => ({ kind: 'seed', description: '', optional: true, min: 0n, max: SEED_MAX, ...o }),
  enum: (o: Options<EnumSpec>): EnumSpec => ({ kind: 'enum', description: '', optional: true, ...o }),
  bool: (o: Options<BoolSpec>): BoolSpec => ({ kind: 'bool', description: '', optional: true, ...o }),
  string: (o: Options<StringSpec>): StringSpec => ({ kind: 'string', description: '', optional: true, ...o }),
};

/** "1–15", "≥ 60", "one of a, b": what a parameter allows, for error messages and listings. */
export function describeAllowed(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const range = spec.min !== undefined && spec.max !== undefined ? `${spec.min}–${spec.max}` : spec.min !== undefined ? `≥ ${spec.min}` : spec.max !== undefined ? `≤ ${spec.max}` : 'any';
      const kind = spec.kind === 'int' ? 'whole number' : 'number';
      return `${kind} ${range}${spec.kind === 'float' ? ` in steps of ${spec.step}` : ''}`;
    }
    case 'seed':
      return `whole number ${spec.min}–${spec.max}`;
    case 'enum':
      return spec.values.length > 8 ? `one of ${spec.values.length} names (see 'wan-graph nodes')` : `one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'bool':
      return 'true or false';
    case 'string': {
      const lo = spec.minLength ?? 0;
      const len = spec.maxLength !== undefined ? `${lo}–${spec.maxLength} characters` : lo > 1 ? `at least ${lo} characters` : lo === 1 ? 'not empty' : 'text';
      return spec.format === 'uri' ? `an http(s) URL, ${len}` : len;
    }
  }
}

/** Characters as an artist counts them: code points, not UTF-16 units. */
export const textLength = (s: string): number => {
  let count = 0;
  for (const _ of s) count++;
  return count;
};

/** A refused value as a message quotes it: its JSON, cut short. JSON.stringify throws on bigints (seeds and huge numbers in files), so they are written as their digits. */
const quote = (v: unknown): string | undefined =>
  (typeof v === 'bigint' ? `${v}` : JSON.stringify(v, (_key, x: unknown) => (typeof x === 'bigint' ? `${x}` : x)))?.slice(0, 60);

const onStep = (value: number, step: number) => Math.abs(value / step - Math.round(value / step)) < 1e-7;

/** The zod schema of one parameter's value. Messages say what is allowed, not zod's internals. */
export function paramSchema(spec: ParamSpec): z.ZodType<ParamValue> {
  const allowed = describeAllowed(spec);
  const msg = (what: string) => ({ error: `${what} (allowed: ${allowed})` });
  switch (spec.kind) {
    case 'int': {
      let s = z.number(msg('must be a number')).int(msg('must be a whole number'));
      if (spec.min !== undefined) s = s.min(spec.min, msg(`must be at least ${spec.min}`));
      if (spec.max !== undefined) s = s.max(spec.max, msg(`must be at most ${spec.max}`));
      return s;
    }
    case 'float':
      return z
        .number(msg('must be a number'))
        .min(spec.min, msg(`must be at least ${spec.min}`))
        .max(spec.max, msg(`must be at most ${spec.max}`))
        .refine((v) => onStep(v, spec.step), msg(`must be a multiple of ${spec.step}`));
    case 'seed':
      return z
        .union([z.number().int(msg('must be a whole number')), z.bigint()], msg('must be a whole number'))
        .refine((v) => BigInt(v) >= spec.min, msg(`must be at least ${spec.min}`))
        .refine((v) => BigInt(v) <= spec.max, msg(`must be at most ${spec.max}`));
    case 'enum':
      return z.custom<string | number>((v) => spec.values.includes(v as string | number), {
        error: (iss) => `${quote(iss.input) ?? 'this value'} is not allowed (allowed: ${allowed})`,
      });
    case 'bool':
      return z.boolean(msg('must be true or false'));
    case 'string': {
      let s: z.ZodType<string> = z.string(msg('must be text'));
      if (spec.minLength !== undefined || spec.maxLength !== undefined) {
        const lo = spec.minLength ?? 0;
        const hi = spec.maxLength ?? Infinity;
        s = s.refine((v) => textLength(v) >= lo, msg(`is too short`)).refine((v) => textLength(v) <= hi, msg(`is too long`));
      }
      if (spec.format === 'uri') s = s.refine(isHttpUrl, msg('must be an http or https URL'));
      return s;
    }
  }
}

/**
 * Whether a value passes a parameter's schema, by a plain predicate that mirrors paramSchema
 * exactly (test/core/params.test.ts holds the two together). It is the fast path: valid values,
 * the common case, never build a zod error.
 */
export function acceptsValue(spec: ParamSpec, v: unknown): boolean {
  switch (spec.kind) {
    // zod's .int() takes safe integers only: a number like 1e300 is whole but not exact
    case 'int':
      return typeof v === 'number' && Number.isSafeInteger(v) && (spec.min === undefined || v >= spec.min) && (spec.max === undefined || v <= spec.max);
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) && v >= spec.min && v <= spec.max && onStep(v, spec.step);
    case 'seed':
      // a safe integer compares exactly with the bounds as numbers: no BigInt made per value
      if (typeof v === 'number') return Number.isSafeInteger(v) && v >= Number(spec.min) && v <= Number(spec.max);
      return typeof v === 'bigint' && v >= spec.min && v <= spec.max;
    case 'enum':
      return spec.values.includes(v as string | number);
    case 'bool':
      return typeof v === 'boolean';
    case 'string': {
      if (typeof v !== 'string') return false;
      const lo = spec.minLength ?? 0;
      const hi = spec.maxLength ?? Infinity;
      // code points lie between length/2 and length: count only when that range straddles a bound
      const fits = v.length >= lo * 2 && v.length <= hi ? true : textLength(v) >= lo && textLength(v) <= hi;
      return fits && (spec.format !== 'uri' || isHttpUrl(v));
    }
  }
}

const schemas = new WeakMap<ParamSpec, z.ZodType<ParamValue>>();

/**
 * Why a value does not fit its parameter, in zod's worded reason; undefined when it fits. Values
 * that fit (nearly all of them) take acceptsValue alone and allocate nothing; the schema is built
 * and run only to word a refusal.
 */
export function paramProblem(spec: ParamSpec, value: unknown): string | undefined {
  if (acceptsValue(spec, value)) return undefined;
  let schema = schemas.get(spec);
  if (!schema) schemas.set(spec, (schema = paramSchema(spec)));
  const r = schema.safeParse(value);
  return r.success ? undefined : (r.error.issues[0]?.message ?? 'is invalid');
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/**
 * A value from a Values or Primitive node (text as the artist wrote it, or a number) as the
 * parameter it is linked to takes it, checked against that parameter's spec.
 */
export function coerceParam(spec: ParamSpec, raw: string | number | boolean): { value: ParamValue } | { problem: string } {
  let value: unknown = raw;
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (spec.kind) {
    case 'int':
    case 'float':
      if (text !== undefined) value = text === '' ? NaN : Number(text);
      break;
    case 'seed':
      if (text !== undefined && /^\d+$/.test(text)) value = Number.isSafeInteger(Number(text)) ? Number(text) : BigInt(text);
      else if (text !== undefined) value = NaN;
      break;
    case 'enum':
      if (text !== undefined && !spec.values.includes(text) && text !== '' && spec.values.includes(Number(text))) value = Number(text);
      else if (text !== undefined) value = text;
      break;
    case 'bool':
      if (text !== undefined) value = TRUE.has(text.toLowerCase()) ? true : FALSE.has(text.toLowerCase()) ? false : text;
      break;
    case 'string':
      value = typeof raw === 'string' ? raw : String(raw);
      break;
  }
  const problem = paramProblem(spec, value);
  return problem === undefined ? { value: value as ParamValue } : { problem: `${spec.label} ${problem}` };
}
