// JSON that keeps integers beyond 2^53 exact (seeds reach 2^63-1), refuses what JSON.parse
// would silently accept or mangle (duplicate keys, numbers that overflow to Infinity), stores
// `__proto__` as an ordinary own key, and bounds nesting so hostile files cannot exhaust the stack.

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

export const MAX_JSON_DEPTH = 64;

const WS = new Uint8Array(128);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

export function parseJson(text: string): JsonValue {
  let i = 0;
  const n = text.length;

  const fail = (message: string, at = i): never => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < at && k < n; k++) {
      if (text.charCodeAt(k) === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    throw new JsonSyntaxError(message, line, at - lineStart + 1);
  };

  const skipWs = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128 && WS[c]) i++;
      else break;
    }
  };

  const describe = (at: number) => (at >= n ? 'end of file' : `'${text[at]}'`);

  const parseString = (): string => {
    // caller has checked the opening quote
    const start = ++i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return text.slice(start, i++);
      if (c === 0x5c) break;
      if (c < 0x20) fail('control character in a string');
      i++;
    }
    let out = text.slice(start, i);
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in a string');
      if (c !== 0x5c) {
        out += text[i++];
        continue;
      }
      const e = text[i + 1];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          fail('bad escape in a string');
      }
      i += 2;
    }
    return fail('unterminated string');
  };

  const parseNumber = (): number | bigint => {
    const start = i;
    if (text.charCodeAt(i) === 0x2d) i++;
    const intStart = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    const intDigits = i - intStart;
    if (intDigits === 0) fail(text.startsWith('Infinity', i) ? 'NaN and Infinity are not valid JSON numbers' : 'expected a digit');
    if (intDigits > 1 && text.charCodeAt(intStart) === 0x30) fail('leading zero in a number', intStart);
    let isInt = true;
    if (text.charCodeAt(i) === 0x2e) {
      isInt = false;
      i++;
      const f = i;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      if (i === f) fail('expected a digit after the decimal point');
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      isInt = false;
      i++;
      const s = text.charCodeAt(i);
      if (s === 0x2b || s === 0x2d) i++;
      const f = i;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      if (i === f) fail('expected a digit in the exponent');
    }
    const raw = text.slice(start, i);
    const value = Number(raw);
    if (!Number.isFinite(value)) fail(`number ${raw.length > 24 ? raw.slice(0, 24) + '…' : raw} is too large`, start);
    if (isInt && !Number.isSafeInteger(value)) return BigInt(raw);
    return value;
  };

  const parseValue = (depth: number): JsonValue => {
    skipWs();
    if (i >= n) return fail('unexpected end of file');
    const c = text.charCodeAt(i);
    if (c === 0x22) return parseString();
    if (c === 0x7b) {
      if (depth >= MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
      i++;
      const obj: { [key: string]: JsonValue } = {};
      skipWs();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return obj;
      }
      for (;;) {
        skipWs();
        if (text.charCodeAt(i) !== 0x22) fail(`expected a property name in double quotes, found ${describe(i)}`);
        const keyAt = i;
        const key = parseString();
        if (Object.hasOwn(obj, key)) fail(`duplicate key "${key.slice(0, 40)}"`, keyAt);
        skipWs();
        if (text.charCodeAt(i) !== 0x3a) fail(`expected ':' after a property name, found ${describe(i)}`);
        i++;
        const value = parseValue(depth + 1);
        // A "__proto__" key becomes data, never the object's prototype; other keys assign as data
        // (Object.prototype has no setter but __proto__), which is much faster than defineProperty.
        if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        else obj[key] = value;
        skipWs();
        const d = text.charCodeAt(i);
        if (d === 0x2c) {
          i++;
          continue;
        }
        if (d === 0x7d) {
          i++;
          return obj;
        }
        fail(`expected ',' or '}' in an object, found ${describe(i)}`);
      }
    }
    if (c === 0x5b) {
      if (depth >= MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
      i++;
      const arr: JsonValue[] = [];
      skipWs();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        skipWs();
        const d = text.charCodeAt(i);
        if (d === 0x2c) {
          i++;
          continue;
        }
        if (d === 0x5d) {
          i++;
          return arr;
        }
        fail(`expected ',' or ']' in an array, found ${describe(i)}`);
      }
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    if (text.startsWith('NaN', i) || text.startsWith('Infinity', i)) fail('NaN and Infinity are not valid JSON numbers');
    return fail(`unexpected ${describe(i)}`);
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const value = parseValue(0);
  skipWs();
  if (i < n) fail(`unexpected ${describe(i)} after the end of the document`);
  return value;
}

/**
 * Deterministic JSON: keys in insertion order, bigints as their exact digits, two-space indent
 * (or compact with indent 0), and a trailing newline when indented so files diff cleanly.
 */
export function stringifyJson(value: unknown, indent = 2): string {
  const out: string[] = [];
  write(value, '', out, indent);
  if (indent > 0) out.push('\n');
  return out.join('');
}

function write(value: unknown, pad: string, out: string[], indent: number): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(value.toString());
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as JSON`);
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`cannot write a ${typeof value} as JSON`);
  }
  const inner = indent > 0 ? pad + ' '.repeat(indent) : '';
  const nl = indent > 0 ? '\n' : '';
  const colon = indent > 0 ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[', nl);
    value.forEach((item, k) => {
      out.push(inner);
      write(item === undefined ? null : item, inner, out, indent);
      out.push(k < value.length - 1 ? ',' : '', nl);
    });
    out.push(pad, ']');
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{', nl);
  entries.forEach(([k, v], idx) => {
    out.push(inner, JSON.stringify(k), colon);
    write(v, inner, out, indent);
    out.push(idx < entries.length - 1 ? ',' : '', nl);
  });
  out.push(pad, '}');
}
