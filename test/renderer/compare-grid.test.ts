import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import type { JobView } from '../../app/core/contract';
import { serializeGraph } from '../../app/core/save';
import { useSweptValues } from '../../app/renderer/editor/commands';
import { Editor } from '../../app/renderer/editor/editor';
import { axisName, gridModel, latestRun, shortLabel, sliceOf } from '../../app/renderer/ui/grid-model';
import { registry } from '../../nodes';
import { counterUuid, GraphBuilder } from '../helpers';

// A Compare Grid without a view: the latest run of its task laid out by coordinates, the axes'
// names, and "use these values" written back into the graph as one command that undo takes back.

/** Model → Video Inference with a Prompt List on the positive input, Values on seed and CFG scale, a Compare Grid. */
function sweepGraph() {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@8' });
  const prompts = g.node('PromptList', { prompts: 'a red fox in deep snow at dawn\na hare' }, { title: 'Prompt List' });
  const vi = g.node('VideoInference', { width: 512, height: 512 });
  const seed = g.node('Values', { values: '1\n2' }, { title: 'Values' });
  const cfg = g.node('Values', { values: '4\n6.5' }, { title: 'Values' });
  const grid = g.node('CompareGrid');
  g.link(m, 'model', vi, 'model');
  g.link(prompts, 'prompt', vi, 'positive');
  g.link(seed, 'values', vi, 'seed');
  g.link(cfg, 'values', vi, 'CFGScale');
  g.link(vi, 'video', grid, 'video');
  return { g, doc: g.doc, prompts, vi, seed, cfg, grid };
}

/** The jobs a run of the graph makes, as the host would show them. */
function jobsOf(doc: ReturnType<typeof sweepGraph>['doc'], batch: string, createdAt: number): JobView[] {
  const r = compileGraph(doc, registry, { uuid: counterUuid() });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.tasks.map((t, k) => ({ id: `${batch}-${k}`, nodeId: t.nodeId, batch, coordinates: [...t.coordinates], state: 'done', sandbox: true, createdAt: createdAt + k, results: [], payload: '{}' }));
}

describe('the grid of a run', () => {
  it('takes the latest run of the task, the first sweep along the columns and the second down the rows; a third is a slice', () => {
    const { doc, prompts, seed, cfg } = sweepGraph();
    const older = jobsOf(doc, 'a', 1000);
    const newer = jobsOf(doc, 'b', 2000);
    const run = latestRun([...older, ...newer]);
    expect(run).toHaveLength(8);
    expect(new Set(run.map((j) => j.batch))).toEqual(new Set(['b']));
    const model = gridModel(run);
    expect(model.axes.map((a) => [a.nodeId, a.values.map((v) => v.label)])).toEqual([
      [prompts, ['a red fox in deep snow at dawn', 'a hare']],
      [seed, ['1', '2']],
      [cfg, ['4', '6.5']],
    ]);
    const first = sliceOf(model);
    expect(first.columns.map((c) => c.label)).toEqual(['a red fox in deep snow at dawn', 'a hare']);
    expect(first.rows.map((r) => r.label)).toEqual(['1', '2']);
    expect(first.cells.map((j) => j!.coordinates!.map((c) => c.label).join(' / '))).toEqual([
      'a red fox in deep snow at dawn / 1 / 4',
      'a hare / 1 / 4',
      'a red fox in deep snow at dawn / 2 / 4',
      'a hare / 2 / 4',
    ]);
    expect(sliceOf(model, [1]).cells.every((j) => j!.coordinates![2]!.label === '6.5')).toBe(true);
  });

  it('a run without batches is its newest job; a task without sweeps is one cell; a missing combination is an empty cell', () => {
    const { doc } = sweepGraph();
    const jobs = jobsOf(doc, 'a', 1000).map(({ batch: _b, ...j }) => j);
    expect(latestRun(jobs)).toEqual([jobs[7]]);
    const plain = { ...jobs[0]!, coordinates: undefined };
    expect(sliceOf(gridModel([plain]))).toEqual({ columns: [], rows: [], cells: [plain] });
    const some = jobsOf(doc, 'b', 1).filter((_, k) => k !== 2);
    expect(sliceOf(gridModel(some)).cells.map((j) => j?.id)).toEqual(['b-0', 'b-4', undefined, 'b-6']);
  });

  it('names each axis by what it feeds, unless the artist named the list', () => {
    const { doc, prompts, seed, cfg } = sweepGraph();
    expect(axisName(doc, registry, { nodeId: seed })).toBe('Seed');
    expect(axisName(doc, registry, { nodeId: cfg })).toBe('CFG scale');
    expect(axisName(doc, registry, { nodeId: prompts })).toBe('Positive prompt');
    doc.nodes.find((n) => n.id === seed)!.title = 'Lucky seeds';
    expect(axisName(doc, registry, { nodeId: seed })).toBe('Lucky seeds');
    expect(axisName(doc, registry, { nodeId: 99 })).toBeUndefined();
    doc.links = doc.links.filter((l) => l.from.node !== cfg);
    expect(axisName(doc, registry, { nodeId: cfg })).toBeUndefined();
    expect(shortLabel('a   long\nprompt about a fox', 10)).toBe('a long pr…');
  });
});

describe('use these values', () => {
  it('sets the parameters to the cell’s values, replaces the prompt list by a Prompt, removes the sweeps: one command, undone at once', () => {
    const { doc, prompts, vi, seed, cfg } = sweepGraph();
    const editor = new Editor(registry, counterUuid());
    editor.load(doc, undefined);
    const before = serializeGraph(editor.doc);
    const cell = jobsOf(editor.doc, 'a', 1)[7]!;
    expect(cell.coordinates!.map((c) => c.label)).toEqual(['a hare', '2', '6.5']);
    const cmd = useSweptValues(editor.doc, registry, vi, cell.coordinates!, (id, name) => editor.paramSpec(id, name));
    if (typeof cmd === 'string') throw new Error(cmd);
    editor.exec(cmd);
    expect(cmd.label).toBe('Use these values (“a hare”, Seed 2, CFG scale 6.5)');
    const after = editor.doc;
    expect(after.nodes.some((n) => n.type === 'Values' || n.type === 'PromptList')).toBe(false);
    const task = after.nodes.find((n) => n.id === vi)!;
    expect(task.params).toMatchObject({ seed: 2, CFGScale: 6.5 });
    const prompt = after.nodes.find((n) => n.type === 'Prompt')!;
    expect(prompt).toMatchObject({ title: 'Positive prompt', params: { text: 'a hare' } });
    expect(after.layout.nodes[prompt.id]!.pos).toEqual(doc.layout.nodes[prompts]?.pos ?? [prompts * 10, prompts * 10]);
    expect(after.links.filter((l) => l.to.node === vi).map((l) => `${l.from.node}:${l.from.port}>${l.to.port}`)).toEqual(expect.arrayContaining([`${prompt.id}:text>positive`]));
    expect(after.links.some((l) => [seed, cfg, prompts].includes(l.from.node))).toBe(false);
    // the graph now makes exactly the cell's task
    const r = compileGraph(after, registry, { uuid: counterUuid() });
    expect(r.ok).toBe(true);
    expect(r.tasks.map((t) => [t.task.positivePrompt, t.task.seed, t.task.CFGScale, t.coordinates])).toEqual([['a hare', 2, 6.5, []]]);
    expect(editor.history.undoLabel).toBe(cmd.label);
    editor.undo();
    expect(serializeGraph(editor.doc)).toBe(before);
  });

  it('a list that also feeds another task stays, linked there; seeds beyond 2^53 stay exact', () => {
    const { g, doc, vi, seed } = sweepGraph();
    doc.nodes.find((n) => n.id === seed)!.params.values = '9223372036854775807\n2';
    const m = doc.nodes.find((n) => n.type === 'Model')!.id;
    const other = g.node('VideoInference', { width: 512, height: 512 });
    const p = g.node('Prompt', { text: 'a calm lake at dawn' });
    g.link(m, 'model', other, 'model');
    g.link(p, 'text', other, 'positive');
    const kept = g.link(seed, 'values', other, 'seed');
    const cell = jobsOf(doc, 'a', 1).find((j) => j.nodeId === vi)!;
    const cmd = useSweptValues(doc, registry, vi, cell.coordinates!, (id, name) => registry.get(doc.nodes.find((n) => n.id === id)!.type)!.params[name]);
    if (typeof cmd === 'string') throw new Error(cmd);
    const editor = new Editor(registry, counterUuid());
    editor.load(doc, undefined);
    editor.exec(cmd);
    expect(editor.doc.nodes.find((n) => n.id === vi)!.params.seed).toBe(9223372036854775807n);
    expect(editor.doc.nodes.some((n) => n.id === seed)).toBe(true);
    expect(editor.doc.links.find((l) => l.id === kept)).toMatchObject({ from: { node: seed }, to: { node: other, port: 'seed' } });
  });

  it('refuses, saying why, when a list is gone or a value no longer fits', () => {
    const { doc, vi, cfg } = sweepGraph();
    const cell = jobsOf(doc, 'a', 1)[0]!;
    const spec = (id: number, name: string) => registry.get(doc.nodes.find((n) => n.id === id)!.type)!.params[name];
    expect(useSweptValues(doc, registry, vi, [{ nodeId: 99, title: 'Values 99', label: '3' }], spec)).toBe('the list "Values 99" is no longer in the graph');
    expect(useSweptValues(doc, registry, vi, [{ nodeId: cfg, title: 'Values', label: '500' }], spec)).toMatch(/^"500" no longer fits VideoInference 3: CFG scale must be at most/);
    expect(typeof useSweptValues(doc, registry, vi, cell.coordinates!, spec)).toBe('object');
  });
});
