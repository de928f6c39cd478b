import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, MAX_JSON_DEPTH, parseJson, stringifyJson } from '../../../app/core/support/json';

describe('parseJson', () => {
  it('reads what JSON.parse reads', () => {
    const text = '{"a":[1,-2.5,3e2,true,false,null,"x\\n\\u00e9\\ud83d\\ude00"],"b":{"c":""}}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it('keeps integers beyond 2^53 exact as bigints, and small ones as numbers', () => {
    const v = parseJson('{"seed":9223372036854775807,"small":9007199254740991,"neg":-9007199254740993}') as Record<string, unknown>;
    expect(v.seed).toBe(9223372036854775807n);
    expect(v.small).toBe(9007199254740991);
    expect(v.neg).toBe(-9007199254740993n);
  });

  it('stores __proto__ as an ordinary key and never touches Object.prototype', () => {
    const v = parseJson('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['', 'unexpected end of file', 1, 1],
    ['{"a":1,}', 'expected a property name', 1, 8],
    ['{"a":1}\n x', "unexpected 'x' after the end", 2, 2],
    ['[1e400]', 'too large', 1, 2],
    ['[NaN]', 'NaN and Infinity', 1, 2],
    ['[01]', 'leading zero', 1, 2],
    ['{"a":1,"a":2}', 'duplicate key "a"', 1, 8],
    ['"abc', 'unterminated string', 1, 5],
    ['"a\tb"', 'control character', 1, 3],
  ])('refuses %j with "%s" at line %i, column %i', (text, message, line, column) => {
    let err: unknown;
    try {
      parseJson(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonSyntaxError);
    expect((err as Error).message).toContain(message);
    expect(err).toMatchObject({ line, column });
  });

  it(`bounds nesting at ${MAX_JSON_DEPTH} levels instead of exhausting the stack`, () => {
    expect(() => parseJson('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => parseJson('['.repeat(200_000))).toThrow(/nesting deeper than/);
  });

  it('skips a byte order mark', () => {
    expect(parseJson('\ufeff{"a":1}')).toEqual({ a: 1 });
  });
});

describe('stringifyJson', () => {
  it('writes bigints as their digits and round-trips through parseJson', () => {
    const value = { seed: 9223372036854775807n, list: [1, 'two', null, { deep: true }], empty: {}, none: [] };
    const text = stringifyJson(value);
    expect(text).toContain('"seed": 9223372036854775807');
    expect(parseJson(text)).toEqual(value);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('matches JSON.stringify for plain data', () => {
    const value = { a: [1, 2.5, 'é', { b: null }], c: 'q"uote' };
    expect(stringifyJson(value, 2)).toBe(JSON.stringify(value, null, 2) + '\n');
    expect(stringifyJson(value, 0)).toBe(JSON.stringify(value));
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => stringifyJson({ a: NaN })).toThrow(/NaN/);
    expect(() => stringifyJson({ a: () => 1 })).toThrow(/function/);
  });
});
