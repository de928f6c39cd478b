// The API key must never travel on in anything the service (or a proxy, or a library) sends back.
// Besides the key itself, its obvious encodings are cut too: percent-encoded, wholly or in part
// and in either case (a key echoed in a URL's query), and base64 / base64url (an echoed Authorization header, a token). For base64 the
// part that depends only on the key is matched at each of the three byte alignments, so the key
// is found inside a longer base64 text as well. Other transformations (hashes, reversed text) are
// not attempted: they are not the key, and guessing at them would mangle honest answers.

const REDACTED = '[api key]';

/** Keys shorter than this are not searched for: they would match honest text. */
const MIN_KEY_LENGTH = 4;
/** A base64 form shorter than this could match by chance inside unrelated base64 data. */
const MIN_BASE64_LENGTH = 12;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The base64 characters that encode only bytes of the key, with `offset` bytes before it. */
function base64Core(key: Buffer, offset: number): string {
  const text = Buffer.concat([Buffer.alloc(offset), key]).toString('base64');
  return text.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + key.length) * 8) / 6));
}

/** A key character as written raw or percent-encoded, in either case of hex digits. */
function charPattern(c: string): string {
  const encoded = encodeURIComponent(c);
  if (encoded === c) return escapeRegExp(c);
  const percent = encoded.replace(/%([0-9A-F])([0-9A-F])/g, (_, a: string, b: string) => `%[${a}${a.toLowerCase()}][${b}${b.toLowerCase()}]`);
  return `(?:${escapeRegExp(c)}|${percent})`;
}

/** Patterns (regular expression sources) for every form of a key that is cut out of text. */
function keyPatterns(key: string): string[] {
  const patterns = [[...key].map(charPattern).join('')];
  const bytes = Buffer.from(key, 'utf8');
  for (const offset of [0, 1, 2]) {
    const core = base64Core(bytes, offset);
    if (core.length < MIN_BASE64_LENGTH) continue;
    patterns.push(escapeRegExp(core), escapeRegExp(core.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  return patterns;
}

/** A function that cuts every form of the given keys out of a text; the identity when there are none. */
export function keyScrubber(keys: Iterable<string | undefined>): (text: string) => string {
  const patterns = [...keys].filter((k): k is string => !!k && k.length >= MIN_KEY_LENGTH).flatMap(keyPatterns);
  if (!patterns.length) return (text) => text;
  const pattern = new RegExp([...new Set(patterns)].join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

/** A copy of a parsed JSON value with every string in it (object keys too) scrubbed. */
export function scrubStrings<T>(value: T, scrub: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrub(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
