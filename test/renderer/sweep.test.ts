import { describe, expect, it } from 'vitest';
import { VALUE_PORT } from '../../app/core/node-def';
import { addNode, addNodeLinked, connect, disconnect, setParam, setTitle, toggleMode } from '../../app/renderer/editor/commands';
import { Editor, type EditorChange } from '../../app/renderer/editor/editor';
import { axisName, linkableParams, linkedText, paramSources } from '../../app/renderer/editor/param-links';
import { itemLines, nodeCounts, sweepItemsOf } from '../../app/renderer/graph/counts';
import { coordinatesText } from '../../app/renderer/ui/inspector-panel';
import { compatible, rankNodes } from '../../app/renderer/ui/search';
import { registry } from '../../nodes';
import { counterUuid, turboSweep } from '../helpers';

// Sweeps in the editor: parameters driven by links, value lists drawn as they are typed, the
// counts shown on sweep nodes, stepping through a node's tasks, and the task limit.

const editorWith = (doc = turboSweep()) => {
  const editor = new Editor(registry, counterUuid());
  editor.load(doc, undefined);
  return editor;
};

describe('the task limit in the editor', () => {
  it('compiles under the artist’s limit, so Problems shows a sweep over it before any run', () => {
    const editor = editorWith();
    const changes: EditorChange['kind'][] = [];
    editor.on((c) => changes.push(c.kind));
    expect(editor.compiled.tasks).toHaveLength(9);
    editor.setMaxTasks(5);
    expect(changes).toEqual(['limits']);
    expect(editor.compiled.ok).toBe(false);
    expect(editor.compiled.diagnostics).toEqual([expect.objectContaining({ code: 'tooManyTasks', nodeId: 3, field: 'sweep', message: 'this sweep makes 9 tasks (3 × 3); a run sends at most 5 (Settings › Max tasks per run)' })]);
    editor.setMaxTasks(5); // unchanged: nothing to tell
    expect(changes).toHaveLength(1);
    expect(editor.history.canUndo).toBe(false); // not an edit of the document
    editor.setMaxTasks(undefined);
    expect(editor.compiled.tasks).toHaveLength(9);
  });
});

const VI = 3; // the Turbo example's Video Inference
const value = (editor: Editor, id: number) => editor.doc.nodes.find((n) => n.id === id)!;
const added = (editor: Editor, type: string, params: Record<string, string> = {}) => {
  const { cmd, id } = addNode(editor.doc, registry.get(type)!, [0, 900]);
  editor.exec(cmd);
  for (const [name, v] of Object.entries(params)) editor.exec(setParam(value(editor, id), name, v, name, registry.get(type), () => 0.5));
  return id;
};
const linkCommand = (editor: Editor, from: number, port: string, to: number, param: string) => connect(editor.doc, registry, { node: from, port }, { node: to, port: param });

describe('parameters driven by links', () => {
  it('a Values node connects to a parameter in one undoable edit; its tasks take the list, and disconnecting gives the widget its value back', () => {
    const editor = editorWith(turboSweep({}));
    const seeds = added(editor, 'Values', { values: '7 ×3' });
    editor.exec(setParam(value(editor, VI), 'seed', 42, 'Seed', registry.get('VideoInference')));
    const cmd = linkCommand(editor, seeds, 'values', VI, 'seed');
    if (typeof cmd === 'string') throw new Error(cmd);
    // named for the parameter it feeds, in the same edit
    expect(cmd).toMatchObject({ label: 'Connect', ops: [{ kind: 'addLink', link: { from: { node: seeds, port: 'values' }, to: { node: VI, port: 'seed' } } }, { kind: 'setTitle', nodeId: seeds, title: 'Seed' }] });
    editor.exec(cmd);
    expect(editor.compiled.tasks.map((t) => t.task.seed)).toEqual([7, 8, 9]);
    expect(value(editor, VI).params.seed).toBe(42); // the hidden widget keeps its value
    editor.undo();
    expect(editor.compiled.tasks.map((t) => t.task.seed)).toEqual([42]);
    editor.redo();
    const link = editor.doc.links.find((l) => l.to.port === 'seed')!;
    editor.exec(disconnect([link.id]));
    expect(editor.compiled.tasks.map((t) => t.task.seed)).toEqual([42]);
  });

  it('a link into a parameter replaces the one there, as an input takes one link', () => {
    const editor = editorWith(turboSweep({ seed: '1 ×3' }));
    const other = added(editor, 'Primitive', { value: '5' });
    editor.exec(linkCommand(editor, other, 'value', VI, 'seed') as never);
    expect(editor.doc.links.filter((l) => l.to.node === VI && l.to.port === 'seed').map((l) => l.from.node)).toEqual([other]);
    expect(editor.compiled.tasks.map((t) => t.task.seed)).toEqual([5]);
  });

  it('refuses, saying why: a port that is not a value, a value node typed otherwise, a parameter set on its node only, a value node’s own parameters', () => {
    const editor = editorWith(turboSweep({ seed: '1 ×3' }));
    const seeds = 6;
    expect(linkCommand(editor, 1, 'model', VI, 'steps')).toBe('Video Inference › Steps takes a link from a Values or Primitive node; Model › Model gives a MODEL');
    expect(linkCommand(editor, seeds, 'values', VI, 'CFGScale')).toBe('Values gives seeds (to Video Inference › Seed); Video Inference › CFG scale takes numbers');
    expect(linkCommand(editor, seeds, 'values', VI, 'sweep')).toBe('Video Inference › Sweep is set on its node only: it takes no link');
    const list = added(editor, 'Values', { values: '1\n2' });
    expect(linkCommand(editor, list, 'values', seeds, 'values')).toBe('Values is a value node: its parameters are set on it, and take no links');
    // the same kind, one list: width and height, or the parameter it feeds already (relinked)
    expect(typeof linkCommand(editor, list, 'values', VI, 'width')).toBe('object');
    editor.exec(linkCommand(editor, list, 'values', VI, 'width') as never);
    expect(typeof linkCommand(editor, list, 'values', VI, 'height')).toBe('object');
    expect(linkCommand(editor, list, 'values', VI, 'scheduler')).toBe('Width gives whole numbers (to Video Inference › Width); Video Inference › Scheduler takes choices of Scheduler');
    expect(typeof linkCommand(editor, seeds, 'values', VI, 'seed')).toBe('object');
  });

  it('a value node takes the name of the parameter it is made for or first linked to, unless renamed or feeding one already', () => {
    const editor = editorWith(turboSweep({}));
    const made = addNodeLinked(editor.doc, registry, registry.get('Primitive')!, [0, 0], { nodeId: VI, port: 'CFGScale', type: VALUE_PORT.name, from: 'input' });
    expect((made.cmd.ops[0] as { node: { title: string } }).node.title).toBe('CFG scale');
    editor.exec(made.cmd);
    const renamed = added(editor, 'Values', { values: '4\n6' });
    editor.exec(setTitle(renamed, 'Few steps'));
    editor.exec(linkCommand(editor, renamed, 'values', VI, 'steps') as never);
    expect(value(editor, renamed).title).toBe('Few steps');
    const fps = added(editor, 'Values', { values: '16\n24' });
    editor.exec(linkCommand(editor, fps, 'values', VI, 'fps') as never);
    editor.exec(linkCommand(editor, fps, 'values', VI, 'duration') as never);
    expect(value(editor, fps).title).toBe('FPS');
  });

  it('a node made from a parameter’s dot is a Values or Primitive node linked into it, in one step; never into a parameter that takes no link', () => {
    const editor = editorWith(turboSweep({}));
    expect(compatible(registry.all(), VALUE_PORT.name, 'input').map((d) => d.type)).toEqual(['Values', 'Primitive']);
    const { cmd, id } = addNodeLinked(editor.doc, registry, registry.get('Values')!, [0, 0], { nodeId: VI, port: 'CFGScale', type: VALUE_PORT.name, from: 'input' });
    expect(cmd.ops.map((o) => o.kind)).toEqual(['addNode', 'addLink']);
    editor.exec(cmd);
    expect(editor.doc.links.at(-1)).toMatchObject({ from: { node: id, port: 'values' }, to: { node: VI, port: 'CFGScale' } });
    editor.undo();
    expect(editor.doc.nodes.some((n) => n.id === id)).toBe(false);
    expect(addNodeLinked(editor.doc, registry, registry.get('Primitive')!, [0, 0], { nodeId: VI, port: 'sweep', type: VALUE_PORT.name, from: 'input' }).cmd.ops.map((o) => o.kind)).toEqual(['addNode']);
  });

  it('which parameters take links: every one but those set on their node only; value nodes take none', () => {
    expect(linkableParams(registry.get('VideoInference')!)).toEqual(['width', 'height', 'resolution', 'duration', 'fps', 'seed', 'steps', 'scheduler', 'CFGScale', 'numberResults']);
    expect(linkableParams(registry.get('Prompt')!)).toEqual(['text']);
    for (const type of ['Values', 'PromptList', 'Primitive']) expect(linkableParams(registry.get(type)!)).toEqual([]);
  });

  it('a linked widget says where its value comes from; a muted source gives the widget its value back, and says so', () => {
    const editor = editorWith(turboSweep({ seed: '1 ×3' }));
    const source = paramSources(editor.doc, registry).get(`${VI}:seed`)!;
    expect(linkedText(source, '42')).toBe('← Values #6');
    editor.exec(toggleMode(editor.doc, [6], 'muted'));
    expect(linkedText(paramSources(editor.doc, registry).get(`${VI}:seed`)!, '42')).toBe('42 (Values #6 is muted)');
  });
});

describe('"random ×N" in a Values node', () => {
  it('is drawn into seeds when the parameter is set, kept in the text, and undone with the edit', () => {
    const editor = editorWith(turboSweep({ seed: '1' }));
    const values = registry.get('Values')!;
    let n = 0;
    const cmd = setParam(value(editor, 6), 'values', '100\nrandom ×2', 'Values', values, () => [0.25, 0.5][n++]!);
    expect(cmd.ops).toEqual([{ kind: 'setParam', nodeId: 6, name: 'values', value: `100\n# random ×2\n${2 ** 30}\n${2 ** 31}` }]);
    editor.exec(cmd);
    expect(editor.compiled.tasks.map((t) => t.task.seed)).toEqual([100, 2 ** 30, 2 ** 31]);
    editor.undo();
    expect(value(editor, 6).params.values).toBe('1');
  });

  it('draws from the system’s random source by default: 32-bit seeds, different each time', () => {
    const values = registry.get('Values')!;
    const node = { id: 1, type: 'Values', typeVersion: 1, title: 'Values', mode: 'active' as const, params: {} };
    const drawn = [0, 1].map(() => (setParam(node, 'values', 'random ×4', 'Values', values).ops[0] as { value: string }).value.split('\n').slice(1).map(Number));
    for (const seeds of drawn) for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(drawn[0]).not.toEqual(drawn[1]);
  });

  it('leaves every other parameter, and unsetting, as typed', () => {
    const prompt = registry.get('Prompt')!;
    const node = { id: 1, type: 'Prompt', typeVersion: 1, title: 'Prompt', mode: 'active' as const, params: {} };
    expect(setParam(node, 'text', 'random ×3', 'Text', prompt).ops[0]).toMatchObject({ value: 'random ×3' });
    expect(setParam(node, 'text', undefined, 'Text', prompt).ops[0]).toMatchObject({ value: undefined });
  });
});

describe('the Sweep category', () => {
  it('holds Values, Prompt List and Primitive, found by its name in the node search', () => {
    expect(registry.all().filter((d) => d.category === 'Sweep').map((d) => d.title)).toEqual(['Values', 'Prompt List', 'Primitive']);
    expect(rankNodes(registry.all(), 'sweep').slice(0, 3).map((d) => d.title).sort()).toEqual(['Primitive', 'Prompt List', 'Values']);
  });
});

describe('counts in title bars', () => {
  it('a sweep node says how many items it offers; a task node how many tasks it makes, when more than one', () => {
    const editor = editorWith(turboSweep({ seed: '1 ×3', CFGScale: '1..2 step 0.5' }));
    const list = added(editor, 'PromptList', { prompts: 'a {red|blue} lantern\na quiet alley at night\n{rain|snow} on {stone|wood} steps' });
    const counts = () => Object.fromEntries(nodeCounts(editor.doc, registry, editor.compiled));
    expect(counts()).toEqual({ [VI]: '× 9 tasks', 6: '3 values', 7: '3 values', [list]: '7 prompts (2 lines expanded)' });
    editor.exec(linkCommand(editor, list, 'prompt', VI, 'positive') as never);
    expect(counts()[VI]).toBe('× 63 tasks');
    // a value out of range: some tasks compile, but nothing runs, so no count is shown
    editor.exec(setParam(value(editor, 7), 'values', '1..2 step 0.5\n60', 'Values', registry.get('Values')));
    expect(editor.compiled.tasks.length).toBe(63);
    expect(counts()).toEqual({ 6: '3 values', 7: '4 values', [list]: '7 prompts (2 lines expanded)' });
    editor.undo();
    // muted: not swept, nothing counted; a list it cannot read shows its problem instead
    editor.exec(toggleMode(editor.doc, [6], 'muted'));
    editor.exec(setParam(value(editor, 7), 'values', '', 'Values', registry.get('Values')));
    expect(counts()).toEqual({ [list]: '7 prompts (2 lines expanded)' });
    editor.undo();
    editor.setMaxTasks(20); // over the limit: no tasks, so no task count (Problems says why)
    expect(counts()).toEqual({ 7: '3 values', [list]: '7 prompts (2 lines expanded)' });
  });
});

describe('a sweep node’s items where the pointer rests on it', () => {
  it('lists them as they will run, {a|b} expanded, the first twelve', () => {
    const editor = editorWith(turboSweep({}));
    const list = added(editor, 'PromptList', { prompts: 'a {red|blue} lantern\na quiet alley at night' });
    expect(itemLines(sweepItemsOf(value(editor, list), registry)!)).toEqual(['3 prompts (1 line expanded):', '1. a red lantern', '2. a blue lantern', '3. a quiet alley at night']);
    const seeds = added(editor, 'Values', { values: '1 ×20' });
    expect(itemLines(sweepItemsOf(value(editor, seeds), registry)!)).toEqual(['20 values:', ...Array.from({ length: 12 }, (_, i) => `${i + 1}. ${i + 1}`), '… and 8 more']);
    expect(sweepItemsOf(value(editor, VI), registry)).toBeUndefined();
  });
});

describe('stepping through a sweep in the Payload tab', () => {
  it('names each task by the values that made it: each axis by what it feeds, or by its title where renamed', () => {
    const editor = editorWith(turboSweep({ seed: '1 ×3', CFGScale: '1..2 step 0.5' }));
    const name = (id: number) => axisName(editor.doc, registry, id);
    expect(editor.compiled.tasks.map((t) => coordinatesText(t, name)).slice(0, 4)).toEqual(['Seed 1 · CFG scale 1', 'Seed 1 · CFG scale 1.5', 'Seed 1 · CFG scale 2', 'Seed 2 · CFG scale 1']);
    editor.exec(setTitle(6, 'Seeds'));
    expect(coordinatesText(editor.compiled.tasks[4]!, name)).toBe('Seeds 2 · CFG scale 1.5');
    const list = added(editor, 'PromptList', { prompts: 'a paper lantern drifting over a rain-slicked market street at dusk, slow handheld camera\na quiet alley' });
    editor.exec(linkCommand(editor, list, 'prompt', VI, 'positive') as never);
    expect(coordinatesText(editor.compiled.tasks[0]!, name)).toBe('Seeds 1 · CFG scale 1 · Positive prompt “a paper lantern drifting over a rain-slicked ma…”');
    // one list feeding two parameters is one axis, named for both
    const sizes = added(editor, 'Values', { values: '480\n544' });
    editor.exec(linkCommand(editor, sizes, 'values', VI, 'height') as never);
    editor.exec(linkCommand(editor, sizes, 'values', VI, 'width') as never);
    expect(value(editor, sizes).title).toBe('Height'); // named for the first it fed
    editor.exec(setTitle(sizes, 'Values'));
    expect(name(sizes)).toBe('Height/Width');
  });
});
