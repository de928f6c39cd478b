import { SEED_MAX } from '../../app/core/params';

// A broad table of values, shared by the tests that compare what parameter specs accept.

export const astral = '😀'; // one character, two UTF-16 units
/** Values for parameters to accept or refuse: every kind, around every bound the specs use. */
export const values: unknown[] = [
  // whole numbers, near every bound the specs use, and past what a double holds exactly
  0, -0, 1, -1, 2, 3, 4, 5, 6, -5, -6, 10, 11, 15, 16, 20, 21, 50, 51, 59, 60, 64, 99, 100, 4096, 4097, 2 ** 31, 2 ** 32,
  Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, -Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER - 1, 2 ** 60, 2 ** 63, 1e300, -1e300, Number.MAX_VALUE,
  // fractions on and off the steps (0.01, 0.5, 0.001), and float noise
  0.5, 1.5, 2.5, -2.5, 0.1, 0.25, 0.255, 0.3, 0.1 + 0.2, 0.7 * 3, 6.5, 29.99, 30, 30.01, 30.000000001, 0.099, -4, -4.01, 4.001, 3.999, 0.0005, 0.001, 1e-9, Number.MIN_VALUE, Number.EPSILON,
  // not numbers at all, to JSON
  NaN, Infinity, -Infinity,
  // bigints, as the JSON parser gives integers beyond 2^53
  0n, 1n, -1n, 20n, 60n, 2n ** 53n, SEED_MAX, SEED_MAX + 1n, -(2n ** 63n),
  // strings, including enum values, numbers as text, and lengths in characters versus UTF-16 units
  '', ' ', 'a', 'ab', 'abc', 'abcd', '0', '1', '-1', '2.5', 'first', 'last', 'FIRST', 'URL', 'MP4', 'mp4', 'none', 'high', 'low', 'both', 'full', 'async', 'fixed', 'randomize', 'grid', 'zip', 'lines', 'paragraphs',
  'DPM++ 2M Karras', 'Euler a', '480p', '720p', 'runware:200@6', 'runware:200@8', 'civitai:1@1', 'true', 'null',
  'x'.repeat(2999), 'x'.repeat(3000), 'x'.repeat(3001), astral, astral.repeat(2), astral.repeat(3), astral.repeat(4), 'a' + astral, 'ab' + astral,
  astral.repeat(1499), astral.repeat(1500), astral.repeat(1501), astral.repeat(2999), astral.repeat(3000), astral.repeat(3001),
  'x'.repeat(2999) + astral, 'x'.repeat(3000) + astral, 'x'.repeat(2998) + astral + astral, '\ud800', '\ud800\udc00', '\udc00\ud800', 'x'.repeat(2999) + '\ud800',
  // URLs, good and bad
  'https://example.com/a.png', 'http://x', 'HTTPS://EXAMPLE.COM/', 'https://例え.jp/😀', 'https://example.com/' + 'p'.repeat(10), 'https://example.com/' + 'p'.repeat(11),
  'ftp://example.com/a', 'https://', 'example.com/a.png', '//example.com', 'javascript:alert(1)', 'data:image/png;base64,AAAA', 'https://exa mple.com', 'http://[::1]:8080/x',
  // everything else JSON (or a careless caller) can hand over
  true, false, null, undefined, {}, [], [1], ['first'], { value: 1 }, { valueOf: () => 1 }, { toString: () => 'first' }, new Number(1), new String('first'), new Boolean(true),
  Symbol('s'), () => 1, new Date(0),
];

/** A value, short and unambiguous, for a failure message. */
export const describeValue = (v: unknown) => {
  if (typeof v === 'string') return v.length > 24 ? `string(${v.length} units) ${JSON.stringify(v.slice(0, 12))}…` : JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return `${Object.prototype.toString.call(v)} ${JSON.stringify(v)}`;
};
