import { defineNode, port, VALUE_PORT, type SweepItems } from '../app/core/node-def';
import { param } from '../app/core/params';

// A list of values swept over: each task that depends on it runs once per value. The values are
// text until they reach a parameter, which reads them as its own kind (numbers, names, seeds).

const MAX_ITEMS = 10_000;
const RANGE = /^(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)(?:\s+step\s+(\d+(?:\.\d+)?))?$/i;
const COUNT = /^(\d+)\s*[×x]\s*(\d+)$/i;
const RANDOM = /^random\s*[×x]\s*(\d+)$/i;
const NUMBER = /^-?\d+(?:\.\d+)?(?:e-?\d+)?$/i;

type Parsed = { items: string[] } | { problem: string };

const decimals = (s: string) => (s.includes('.') ? s.length - s.indexOf('.') - 1 : 0);

/**
 * One value per line; `a..b step s` (a range, step 1 when left out), `n ×count` (count
 * consecutive seeds from n) and `0.5, 1, 1.5` (numbers on one line) expand; `#` starts a comment.
 */
export function parseValues(text: string): Parsed {
  const items: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const at = `line ${i + 1}`;
    if (!line || line.startsWith('#')) continue;
    if (RANDOM.test(line)) return { problem: `${at}: "${line}" is drawn when it is typed in the editor; write the seeds out, or retype it there` };
    const range = RANGE.exec(line);
    const count = COUNT.exec(line);
    if (range) {
      const a = range[1]!;
      const b = range[2]!;
      const s = range[3] ?? '1';
      const step = Number(s);
      if (!(step > 0)) return { problem: `${at}: the step of "${line}" must be more than 0` };
      const places = Math.max(decimals(a), decimals(b), decimals(s));
      const n = Math.floor(Math.abs(Number(b) - Number(a)) / step + 1e-9) + 1;
      if (items.length + n > MAX_ITEMS) return { problem: `${at}: "${line}" makes ${n} values; a list holds at most ${MAX_ITEMS}` };
      const dir = Number(b) >= Number(a) ? 1 : -1;
      for (let k = 0; k < n; k++) items.push(String(Number((Number(a) + dir * k * step).toFixed(places))));
    } else if (count) {
      const start = BigInt(count[1]!);
      const n = Number(count[2]);
      if (n < 1 || items.length + n > MAX_ITEMS) return { problem: `${at}: "${line}" must make 1–${MAX_ITEMS} values` };
      for (let k = 0; k < n; k++) items.push(String(start + BigInt(k)));
    } else if (line.includes(',') && line.split(',').every((p) => NUMBER.test(p.trim()))) {
      for (const p of line.split(',')) items.push(p.trim());
    } else items.push(line);
    if (items.length > MAX_ITEMS) return { problem: `${at}: a list holds at most ${MAX_ITEMS} values` };
  }
  if (!items.length) return { problem: 'no values yet: write one per line, or a range such as 1..5 or 0.5..1.5 step 0.25' };
  return { items };
}

// evaluate runs once per item: lists already read are kept (a few; a sweep has few lists)
const read = new Map<string, Parsed>();
function parsedOf(text: string): Parsed {
  let parsed = read.get(text);
  if (!parsed) {
    if (read.size >= 32) read.clear();
    read.set(text, (parsed = parseValues(text)));
  }
  return parsed;
}

export default defineNode({
  type: 'Values',
  version: 1,
  title: 'Values',
  category: 'Sweep',
  description: 'A list of values for any parameter: one per line, a range (1..5, 0.5..1.5 step 0.25), seeds (42 ×5, random ×5). Tasks run once per value.',
  params: {
    values: param.string({ label: 'Values', multiline: true, optional: false, default: '', maxLength: 100_000, description: 'One value per line; a..b step s; n ×count; random ×count; # comment.' }),
  },
  inputs: {},
  outputs: { values: port.output(VALUE_PORT, 'Values') },
  migrations: [],
  sweep(params): SweepItems {
    const parsed = parsedOf(params.values ?? '');
    if ('problem' in parsed) return { problem: parsed.problem, field: 'values' };
    const { items } = parsed;
    return { count: items.length, label: (i) => items[i]!, summary: `${items.length} value${items.length === 1 ? '' : 's'}` };
  },
  evaluate(ctx) {
    const parsed = parsedOf(ctx.params.values ?? '');
    const raw = 'items' in parsed ? (parsed.items[ctx.pick] ?? '') : '';
    return { values: { raw, nodeId: ctx.nodeId, field: 'values', item: ctx.pick + 1 } };
  },
  normalize(name, value, random) {
    if (name !== 'values' || typeof value !== 'string') return undefined;
    let drew = false;
    const lines = value.split(/\r?\n/).flatMap((line) => {
      const n = Number(RANDOM.exec(line.trim())?.[1] ?? NaN);
      if (!(n >= 1 && n <= 1000)) return [line];
      drew = true;
      // drawn once and kept in the file: the same graph makes the same videos again
      return [`# ${line.trim()}`, ...Array.from({ length: n }, () => String(Math.floor(random() * 2 ** 32)))];
    });
    return drew ? lines.join('\n') : undefined;
  },
});
