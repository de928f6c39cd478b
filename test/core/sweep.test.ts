import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import { registry } from '../../nodes';
import { parseValues } from '../../nodes/values';
import { expandAlternatives, parsePrompts } from '../../nodes/prompt-list';
import { compile, counterUuid, GraphBuilder } from '../helpers';

// Parameters fed by links, value nodes and the fan-out of a task over the lists it depends on.

const errorsOf = (r: ReturnType<typeof compile>) => r.diagnostics.filter((d) => d.severity === 'error');

describe('Values', () => {
  it('reads one value per line, ranges, seed counts, numbers on one line, and comments', () => {
    expect(parseValues('4\n# a comment\n\n 6 ')).toEqual({ items: ['4', '6'] });
    expect(parseValues('1..4')).toEqual({ items: ['1', '2', '3', '4'] });
    expect(parseValues('0.5..1.5 step 0.25')).toEqual({ items: ['0.5', '0.75', '1', '1.25', '1.5'] });
    expect(parseValues('0.1..0.3 step 0.1')).toEqual({ items: ['0.1', '0.2', '0.3'] }); // no float noise
    expect(parseValues('5..1 step 2')).toEqual({ items: ['5', '3', '1'] });
    expect(parseValues('42 ×3')).toEqual({ items: ['42', '43', '44'] });
    expect(parseValues('9223372036854775805 x 3')).toEqual({ items: ['9223372036854775805', '9223372036854775806', '9223372036854775807'] });
    expect(parseValues('0.5, 1, 1.5')).toEqual({ items: ['0.5', '1', '1.5'] });
    expect(parseValues('a red fox, at dusk')).toEqual({ items: ['a red fox, at dusk'] }); // text keeps its commas
  });

  it('refuses what it cannot read, saying where', () => {
    expect(parseValues('')).toEqual({ problem: expect.stringContaining('no values yet') });
    expect(parseValues('1\n1..5 step 0')).toEqual({ problem: 'line 2: the step of "1..5 step 0" must be more than 0' });
    expect(parseValues('0..1000000')).toEqual({ problem: expect.stringContaining('a list holds at most 10000') });
    expect(parseValues('random ×3')).toEqual({ problem: expect.stringContaining('drawn when it is typed in the editor') });
  });

  it('draws "random ×N" once into seeds kept in the text', () => {
    const values = registry.get('Values')!;
    let n = 0;
    const drawn = values.normalize!('values', '1\nrandom ×3', () => [0.5, 0.25, 0][n++]!);
    expect(drawn).toBe(`1\n# random ×3\n${2 ** 31}\n${2 ** 30}\n0`);
    expect(parseValues(drawn as string)).toEqual({ items: ['1', String(2 ** 31), String(2 ** 30), '0'] });
    expect(values.normalize!('values', '1\n2', Math.random)).toBeUndefined();
  });
});

describe('Prompt List', () => {
  it('expands {a|b} alternatives, several groups multiplying', () => {
    expect(expandAlternatives('a {red|blue} car in {rain|snow}')).toEqual(['a red car in rain', 'a red car in snow', 'a blue car in rain', 'a blue car in snow']);
    expect(parsePrompts('first prompt\nsecond {one|two}', 'lines')).toEqual({ prompts: ['first prompt', 'second one', 'second two'] });
    expect(parsePrompts('a long\nparagraph\n\nanother one', 'paragraphs')).toEqual({ prompts: ['a long paragraph', 'another one'] });
  });

  it('says how many prompts it makes and how many written ones expanded', () => {
    const list = registry.get('PromptList')!;
    const summary = (prompts: string, split: 'lines' | 'paragraphs' = 'lines') => (list.sweep!({ prompts, split }) as { summary?: string }).summary;
    expect(summary('a {red|blue} car at dusk\na quiet harbour\n{fox|hare} in {rain|snow}')).toBe('7 prompts (2 lines expanded)');
    expect(summary('a quiet harbour at dusk')).toBe('1 prompt');
    expect(summary('a {red|blue} car\nat dusk\n\na quiet harbour', 'paragraphs')).toBe('3 prompts (1 paragraph expanded)');
    expect((registry.get('Values')!.sweep!({ values: '1..2 step 0.5' }) as { summary?: string }).summary).toBe('3 values');
    expect((registry.get('Values')!.sweep!({ values: '7' }) as { summary?: string }).summary).toBe('1 value');
  });

  it('checks every prompt against the prompt field', () => {
    expect(parsePrompts('fine\nx', 'lines')).toEqual({ problem: expect.stringMatching(/^prompt 2 \("x"\) is too short/) });
  });
});

/** Model → Video Inference with a Prompt List on the positive input and Values on `params`. */
function sweep(opts: { prompts?: string; values?: Record<string, string>; vi?: Record<string, unknown> } = {}) {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@8' });
  const p = opts.prompts !== undefined ? g.node('PromptList', { prompts: opts.prompts }) : g.node('Prompt', { text: 'a calm lake at dawn' });
  const vi = g.node('VideoInference', { ...(opts.vi ?? {}) } as Record<string, never>);
  g.link(m, 'model', vi, 'model');
  g.link(p, opts.prompts !== undefined ? 'prompt' : 'text', vi, 'positive');
  const lists: Record<string, number> = {};
  for (const [param, text] of Object.entries(opts.values ?? {})) {
    lists[param] = g.node('Values', { values: text });
    g.link(lists[param], 'values', vi, param);
  }
  return { g, vi, lists };
}

describe('fan-out', () => {
  it('runs a task once per combination, the later list varying fastest, with its coordinates', () => {
    const { g, lists } = sweep({ values: { seed: '1 ×3', CFGScale: '1..2 step 0.5' } });
    const r = compile(g.doc);
    expect(errorsOf(r)).toEqual([]);
    expect(r.tasks.map((t) => [t.task.seed, t.task.CFGScale])).toEqual([
      [1, 1], [1, 1.5], [1, 2], [2, 1], [2, 1.5], [2, 2], [3, 1], [3, 1.5], [3, 2],
    ]);
    expect(new Set(r.tasks.map((t) => t.task.taskUUID)).size).toBe(9);
    expect(r.tasks[5]!.coordinates).toEqual([
      { nodeId: lists.seed, title: `Values ${lists.seed}`, index: 1, label: '2' },
      { nodeId: lists.CFGScale, title: `Values ${lists.CFGScale}`, index: 2, label: '2' },
    ]);
    // a linked value's origin is the list it came from
    expect(r.tasks[0]!.origins.get('seed')).toEqual({ nodeId: lists.seed, field: 'values' });
  });

  it('zip pairs the lists item by item, and says so when their lengths differ', () => {
    const ok = compile(sweep({ values: { seed: '1 ×3', steps: '10\n20\n30' }, vi: { sweep: 'zip' } }).g.doc);
    expect(ok.tasks.map((t) => [t.task.seed, t.task.steps])).toEqual([[1, 10], [2, 20], [3, 30]]);
    const { g, vi } = sweep({ values: { seed: '1 ×3', steps: '10\n20' }, vi: { sweep: 'zip' } });
    const bad = compile(g.doc);
    expect(bad.tasks).toEqual([]);
    expect(errorsOf(bad)).toEqual([expect.objectContaining({ code: 'sweepLengths', nodeId: vi, field: 'sweep', message: expect.stringContaining('they have 3 (node 4), 2 (node 5) items') })]);
  });

  it('nests three lists, prompts included', () => {
    const r = compile(sweep({ prompts: 'a {fox|hare} in snow', values: { seed: '7\n8', steps: '4..6' } }).g.doc);
    expect(r.tasks).toHaveLength(12);
    expect(r.tasks.map((t) => t.coordinates.map((c) => c.label).join(' / ')).slice(0, 4)).toEqual(['a fox in snow / 7 / 4', 'a fox in snow / 7 / 5', 'a fox in snow / 7 / 6', 'a fox in snow / 8 / 4']);
    expect(r.tasks[11]!.task).toMatchObject({ positivePrompt: 'a hare in snow', seed: 8, steps: 6 });
  });

  it('shares one list by every parameter it feeds: one axis, not two', () => {
    const { g, vi, lists } = sweep({ values: { width: '512\n768' } });
    g.link(lists.width!, 'values', vi, 'height');
    const r = compile(g.doc);
    expect(r.tasks.map((t) => [t.task.width, t.task.height])).toEqual([[512, 512], [768, 768]]);
    expect(r.tasks[0]!.coordinates).toHaveLength(1);
  });

  it('is deterministic', () => {
    const { g } = sweep({ prompts: 'one\ntwo', values: { seed: '1 ×4' } });
    const a = compileGraph(g.doc, registry, { uuid: counterUuid() });
    const b = compileGraph(g.doc, registry, { uuid: counterUuid() });
    expect(a.tasks.map((t) => [t.task, t.coordinates])).toEqual(b.tasks.map((t) => [t.task, t.coordinates]));
  });

  it('stops a sweep over the task limit before building it, on the task node', () => {
    const { g, vi } = sweep({ prompts: 'a {a|b|c|d|e|f|g|h|i|j|k|l|m|n|o} lake', values: { seed: '1 ×15' } });
    const r = compile(g.doc);
    expect(r.tasks).toEqual([]);
    expect(errorsOf(r)).toEqual([expect.objectContaining({ code: 'tooManyTasks', nodeId: vi, field: 'sweep', message: 'this sweep makes 225 tasks (15 × 15); a run sends at most 200 (Settings › Max tasks per run)' })]);
    expect(compileGraph(g.doc, registry, { uuid: counterUuid(), maxTasks: 225 }).tasks).toHaveLength(225);
  });

  it('pins a value that does not fit its parameter to the list and item it came from', () => {
    const { g, lists } = sweep({ values: { CFGScale: '1\n1.005\n50' } });
    const r = compile(g.doc);
    expect(r.ok).toBe(false);
    expect(r.tasks.map((t) => t.task.CFGScale)).toEqual([1]);
    expect(errorsOf(r)).toEqual([
      expect.objectContaining({ code: 'invalidLinkedValue', nodeId: lists.CFGScale, field: 'values', message: expect.stringMatching(/^item 2 \("1.005"\) for node 3: CFG scale must be a multiple of 0.01/) }),
      expect.objectContaining({ code: 'invalidLinkedValue', nodeId: lists.CFGScale, field: 'values', message: expect.stringMatching(/^item 3 \("50"\) for node 3: CFG scale must be at most/) }),
    ]);
  });

  it('reads each value as the kind of its parameter: names, seeds beyond 2^53, true and false', () => {
    const { g } = sweep({ values: { scheduler: 'Euler a', seed: '9223372036854775807' } });
    const r = compile(g.doc);
    expect(errorsOf(r)).toEqual([]);
    expect(r.tasks[0]!.task).toMatchObject({ scheduler: 'Euler a', seed: 9223372036854775807n });
  });

  it('a Primitive gives one value to every parameter it feeds, and fans nothing out', () => {
    const g = new GraphBuilder();
    const m = g.node('Model', { model: 'runware:200@8' });
    const p = g.node('Prompt', { text: 'a calm lake at dawn' });
    const seed = g.node('Primitive', { value: '1234' });
    const tasks = [g.node('VideoInference'), g.node('VideoInference')];
    for (const vi of tasks) {
      g.link(m, 'model', vi, 'model');
      g.link(p, 'text', vi, 'positive');
      g.link(seed, 'value', vi, 'seed');
    }
    const r = compile(g.doc);
    expect(r.tasks.map((t) => [t.task.seed, t.coordinates])).toEqual([[1234, []], [1234, []]]);
  });

  it('a linked parameter ignores its hidden widget value; muting the list brings the widget value back', () => {
    const { g, lists } = sweep({ values: { steps: '4\n6' }, vi: { steps: 9999 } });
    expect(errorsOf(compile(g.doc))).toEqual([]);
    g.doc.nodes.find((n) => n.id === lists.steps)!.mode = 'muted';
    g.doc.nodes.find((n) => n.type === 'VideoInference')!.params.steps = 12;
    const r = compile(g.doc);
    expect(errorsOf(r)).toEqual([]);
    expect(r.tasks.map((t) => t.task.steps)).toEqual([12]);
  });

  it('refuses a link to a parameter from anything but a value node', () => {
    const { g, vi } = sweep();
    const m = g.doc.nodes.find((n) => n.type === 'Model')!.id;
    g.link(m, 'model', vi, 'seed');
    expect(errorsOf(compile(g.doc))).toEqual([expect.objectContaining({ code: 'incompatibleLink', nodeId: vi, field: 'seed', message: expect.stringContaining('Seed takes a link from a Values or Primitive node') })]);
  });

  it('refuses a link into a parameter only the editor or the compiler reads (seed control, how lists combine)', () => {
    const { g, vi } = sweep({ values: { seed: '1 ×3', steps: '4\n6\n8' } });
    const zip = g.node('Primitive', { value: 'zip' });
    const control = g.node('Primitive', { value: 'randomize' });
    g.link(zip, 'value', vi, 'sweep');
    g.link(control, 'value', vi, 'seedControl');
    const r = compile(g.doc);
    expect(r.tasks).toEqual([]);
    expect(errorsOf(r)).toEqual([
      expect.objectContaining({ code: 'incompatibleLink', nodeId: vi, field: 'sweep', message: 'Sweep is set on its node only: it takes no link' }),
      expect.objectContaining({ code: 'incompatibleLink', nodeId: vi, field: 'seedControl', message: 'Seed control is set on its node only: it takes no link' }),
    ]);
  });

  it('an empty list is an error on the list', () => {
    const { g, lists } = sweep({ values: { seed: '# nothing yet' } });
    expect(errorsOf(compile(g.doc))).toEqual([expect.objectContaining({ code: 'invalidSweep', nodeId: lists.seed, field: 'values' })]);
  });
});
