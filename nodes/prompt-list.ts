import { defineNode, port, type SweepItems } from '../app/core/node-def';
import { param, paramProblem } from '../app/core/params';
import { TASK_FIELDS } from '../app/core/wan-spec';
import { PROMPT } from './ports';

// Prompts swept over: one per line (or per paragraph), `{a|b|c}` expanding into one prompt per
// alternative. Linked to a prompt input, each task that depends on it runs once per prompt.

const MAX_PROMPTS = 10_000;
const CHOICE = /\{([^{}]*\|[^{}]*)\}/;

/** "a {red|blue} car" → "a red car", "a blue car"; several groups multiply. */
export function expandAlternatives(prompt: string, limit = MAX_PROMPTS): string[] {
  const m = CHOICE.exec(prompt);
  if (!m) return [prompt];
  const out: string[] = [];
  for (const alt of m[1]!.split('|')) {
    for (const rest of expandAlternatives(prompt.slice(0, m.index) + alt.trim() + prompt.slice(m.index + m[0].length), limit - out.length)) {
      out.push(rest);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

type Parsed = { prompts: string[] } | { problem: string };

/** The prompts as written, before {a|b} expands: one per line (or paragraph), empty ones left out. */
const promptParts = (text: string, split: 'lines' | 'paragraphs'): string[] =>
  (split === 'paragraphs' ? text.split(/\r?\n\s*\r?\n/) : text.split(/\r?\n/)).map((p) => p.trim().replace(/\s*\r?\n\s*/g, ' ')).filter(Boolean);

/** "12 prompts (4 lines expanded)": the count, and how many of the written ones hold {a|b} alternatives. */
function summary(text: string, split: 'lines' | 'paragraphs', count: number): string {
  const expanded = promptParts(text, split).filter((p) => CHOICE.test(p)).length;
  const unit = split === 'paragraphs' ? 'paragraph' : 'line';
  return `${count} prompt${count === 1 ? '' : 's'}${expanded ? ` (${expanded} ${unit}${expanded === 1 ? '' : 's'} expanded)` : ''}`;
}

export function parsePrompts(text: string, split: 'lines' | 'paragraphs'): Parsed {
  const parts = promptParts(text, split);
  if (!parts.length) return { problem: `no prompts yet: write one per ${split === 'paragraphs' ? 'paragraph' : 'line'}` };
  const prompts: string[] = [];
  for (const part of parts) {
    prompts.push(...expandAlternatives(part, MAX_PROMPTS + 1 - prompts.length));
    if (prompts.length > MAX_PROMPTS) return { problem: `the list expands to more than ${MAX_PROMPTS} prompts` };
  }
  for (let i = 0; i < prompts.length; i++) {
    const problem = paramProblem(TASK_FIELDS.positivePrompt, prompts[i]);
    if (problem) return { problem: `prompt ${i + 1} ("${shorten(prompts[i]!)}") ${problem}` };
  }
  return { prompts };
}

const shorten = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

// evaluate runs once per item: lists already read are kept (a few; a sweep has few lists)
const read = { lines: new Map<string, Parsed>(), paragraphs: new Map<string, Parsed>() };
function parsedOf(text: string, split: 'lines' | 'paragraphs'): Parsed {
  const kept = read[split];
  let parsed = kept.get(text);
  if (!parsed) {
    if (kept.size >= 32) kept.clear();
    kept.set(text, (parsed = parsePrompts(text, split)));
  }
  return parsed;
}

export default defineNode({
  type: 'PromptList',
  version: 1,
  title: 'Prompt List',
  category: 'Sweep',
  description: 'Prompts to sweep: one per line (or paragraph); {a|b|c} expands into one prompt per alternative. Tasks run once per prompt.',
  params: {
    prompts: param.string({ label: 'Prompts', multiline: true, optional: false, default: '', maxLength: 300_000, description: 'One prompt per line (or per paragraph); {a|b} gives one prompt per alternative.' }),
    split: param.enum({ label: 'One prompt per', values: ['lines', 'paragraphs'], default: 'lines', description: 'Lines, or paragraphs separated by a blank line.' }),
  },
  inputs: {},
  outputs: { prompt: port.output(PROMPT, 'Prompts') },
  migrations: [],
  sweep(params): SweepItems {
    const split = params.split === 'paragraphs' ? 'paragraphs' : 'lines';
    const parsed = parsedOf(params.prompts ?? '', split);
    if ('problem' in parsed) return { problem: parsed.problem, field: 'prompts' };
    // each prompt in full: views shorten it where they must
    const { prompts } = parsed;
    return { count: prompts.length, label: (i) => prompts[i]!, summary: summary(params.prompts ?? '', split, prompts.length) };
  },
  evaluate(ctx) {
    const parsed = parsedOf(ctx.params.prompts ?? '', ctx.params.split === 'paragraphs' ? 'paragraphs' : 'lines');
    const value = 'prompts' in parsed ? (parsed.prompts[ctx.pick] ?? '') : '';
    return { prompt: { value, origin: { nodeId: ctx.nodeId, field: 'prompts' } } };
  },
});
