import { describe, expect, it } from 'vitest';
import type { JobView } from '../../app/core/contract';
import type { GraphDocument } from '../../app/core/document';
import { serializeGraph } from '../../app/core/save';
import { resolveSeeds } from '../../app/core/seeds';
import { copyNodes, pasteNodes } from '../../app/renderer/editor/clipboard';
import { addNode, connect, deleteNodes, layoutChanges, setCollapsed, toggleMode } from '../../app/renderer/editor/commands';
import { Editor } from '../../app/renderer/editor/editor';
import { History } from '../../app/renderer/editor/history';
import { applyOp, OpError } from '../../app/renderer/editor/ops';
import { formatValue, parseTyped, stepValue } from '../../app/renderer/graph/widgets';
import { curlCommand, payloadJson, tasksOf } from '../../app/renderer/ui/inspector-panel';
import { costText } from '../../app/renderer/ui/jobs-panels';
import { compatible, rankNodes } from '../../app/renderer/ui/search';
import { registry } from '../../nodes';
import { counterUuid, loadFile } from '../helpers';

// The editor's state without a view: operations and their inverses, commands, history, the
// clipboard, seed control, widget values, search and the inspector's curl command.

const aurora = () => loadFile('graphs/aurora-ice-caravan-crossing.wgraph.json');
const def = (type: string) => registry.get(type)!;

describe('operations', () => {
  it('each inverse restores the document exactly', () => {
    const doc = aurora();
    const before = serializeGraph(doc);
    const ops = [
      { kind: 'setParam', nodeId: 5, name: 'steps', value: 12 },
      { kind: 'setParam', nodeId: 5, name: 'seed', value: undefined },
      { kind: 'setTitle', nodeId: 1, title: 'M' },
      { kind: 'setMode', nodeId: 2, mode: 'bypassed' },
      { kind: 'setLayout', nodeId: 3, layout: { pos: [1, 2], collapsed: true } },
      { kind: 'removeLink', id: doc.links[0]!.id },
      { kind: 'addGroup', group: { id: 1, title: 'G' }, bounding: [0, 0, 10, 10] },
      { kind: 'setGroup', id: 1, title: 'H', color: '#fff', bounding: [1, 1, 5, 5] },
      { kind: 'setName', name: undefined },
    ] as const;
    const inverses = ops.map((op) => applyOp(doc, structuredClone(op) as never));
    expect(serializeGraph(doc)).not.toBe(before);
    for (const inv of inverses.reverse()) applyOp(doc, inv);
    expect(serializeGraph(doc)).toBe(before);
  });

  it('refuses to remove a node that still has links, and a failing command changes nothing', () => {
    const doc = aurora();
    expect(() => applyOp(doc, { kind: 'removeNode', id: 5 })).toThrow(OpError);
    const before = serializeGraph(doc);
    const h = new History();
    expect(() => h.exec(doc, { label: 'bad', ops: [{ kind: 'setTitle', nodeId: 1, title: 'x' }, { kind: 'removeNode', id: 99 }] })).toThrow(OpError);
    expect(serializeGraph(doc)).toBe(before);
    expect(h.canUndo).toBe(false);
  });
});

describe('commands and history', () => {
  it('deleting a node takes its links, and undo brings both back in place', () => {
    const editor = new Editor(registry, counterUuid());
    editor.load(aurora(), 'aurora.wgraph.json');
    const before = serializeGraph(editor.doc);
    editor.exec(deleteNodes(editor.doc, [5]));
    expect(editor.doc.nodes.some((n) => n.id === 5)).toBe(false);
    expect(editor.doc.links.some((l) => l.from.node === 5 || l.to.node === 5)).toBe(false);
    expect(editor.dirty).toBe(true);
    editor.undo();
    expect(serializeGraph(editor.doc)).toBe(before);
    expect(editor.dirty).toBe(false);
    editor.redo();
    expect(editor.dirty).toBe(true);
  });

  it('knows saved from unsaved through undo, redo and new edits', () => {
    const editor = new Editor(registry, counterUuid());
    editor.load(aurora(), undefined);
    editor.exec(toggleMode(editor.doc, [2], 'muted'));
    editor.markSaved('a.wgraph.json');
    expect(editor.dirty).toBe(false);
    editor.undo();
    expect(editor.dirty).toBe(true);
    editor.exec(toggleMode(editor.doc, [3], 'bypassed'));
    expect(editor.dirty).toBe(true); // a different edit at the same depth is not the saved state
  });

  it('a new node starts with required defaults and optional parameters unset', () => {
    const doc = aurora();
    const { cmd, id } = addNode(doc, def('Model'), [0, 0]);
    applyOp(doc, cmd.ops[0]!);
    expect(doc.nodes.find((n) => n.id === id)!.params).toEqual({ model: 'runware:200@6' });
    const vi = addNode(doc, def('VideoInference'), [0, 0]);
    expect(vi.cmd.ops[0]).toMatchObject({ node: { params: {} } });
  });

  it('a new Output node asks for the cost, visibly, so new graphs report what they spend', () => {
    const doc = aurora();
    const out = addNode(doc, def('Output'), [0, 0]);
    expect(out.cmd.ops[0]).toMatchObject({ node: { params: { includeCost: true } } });
    // the field's own default stays the service's: a graph that never set it asks for no cost
    expect(def('Output').params.includeCost).toMatchObject({ optional: true, default: false });
  });

  it('the queue says when the service reported no cost, never $0', () => {
    const job = (results: JobView['results'], extra: Partial<JobView> = {}): JobView => ({ id: 'j', nodeId: 5, state: 'done', sandbox: false, createdAt: 0, results, payload: '{}', ...extra });
    const ok = (cost?: number) => ({ index: 0, videoUUID: 'v', seed: '1', file: '/v.mp4', ...(cost !== undefined && { cost }) });
    expect(costText(job([ok(0.25), ok(0.25)]))).toBe('$0.5000');
    expect(costText(job([ok(), ok()]))).toBe('cost not reported');
    expect(costText(job([ok(0.25), ok()]))).toBe('$0.2500 + cost not reported');
    expect(costText(job([ok(0.25)], { sandbox: true }))).toBe('$0.2500 simulated');
    expect(costText(job([ok()], { reusedFrom: 'k' }))).toBe('');
    expect(costText(job([{ index: 0, videoUUID: '', seed: '', error: { code: 'x', message: 'failed' } }], { state: 'failed' }))).toBe('');
    expect(costText(job([], { state: 'processing' }))).toBe('');
  });

  it('connecting replaces the link already in an input and refuses other types', () => {
    const doc = aurora();
    const made = connect(doc, registry, { node: 3, port: 'text' }, { node: 5, port: 'positive' });
    expect(typeof made).not.toBe('string');
    expect((made as { ops: { kind: string }[] }).ops.map((o) => o.kind)).toEqual(['removeLink', 'addLink']);
    expect(connect(doc, registry, { node: 2, port: 'text' }, { node: 5, port: 'model' })).toBe('Video Inference › Model takes a MODEL; Positive prompt › Text gives a PROMPT');
  });
});

describe('layout read back from the view', () => {
  it('records nothing for a node whose layout only differs in key order or in an absent collapsed flag', () => {
    const doc = aurora();
    doc.layout.nodes[3] = { pos: [1, 2], collapsed: true, size: [300, 200] };
    expect(layoutChanges(doc, new Map([[3, { pos: [1, 2], size: [300, 200], collapsed: true }]]), new Map()).ops).toEqual([]);
    doc.layout.nodes[4] = { pos: [5, 6], collapsed: false };
    expect(layoutChanges(doc, new Map([[4, { pos: [5, 6] }]]), new Map()).ops).toEqual([]);
    expect(layoutChanges(doc, new Map([[4, { pos: [5, 7] }]]), new Map()).ops).toHaveLength(1);
  });

  it('expanding leaves no collapsed flag behind, as a gesture would read it', () => {
    const doc = aurora();
    const editor = new Editor(registry, counterUuid());
    editor.load(doc, undefined);
    editor.exec(setCollapsed(editor.doc, 3, true));
    expect(editor.doc.layout.nodes[3]!.collapsed).toBe(true);
    editor.exec(setCollapsed(editor.doc, 3, false));
    expect(Object.hasOwn(editor.doc.layout.nodes[3]!, 'collapsed')).toBe(false);
  });
});

describe('clipboard', () => {
  it('pastes nodes with fresh ids and the links among them only', () => {
    const doc = aurora();
    const text = copyNodes(doc, [1, 5, 6])!;
    const pasted = pasteNodes(doc, registry, text, [1000, 1000])!;
    const h = new History();
    h.exec(doc, pasted.cmd);
    expect(pasted.ids).toHaveLength(3);
    expect(pasted.ids.every((id) => id > 6)).toBe(true);
    const newLinks = doc.links.filter((l) => pasted.ids.includes(l.to.node));
    expect(newLinks.map((l) => `${l.from.port}>${l.to.port}`).sort()).toEqual(['model>model', 'video>video']);
    expect(Math.min(...pasted.ids.map((id) => doc.layout.nodes[id]!.pos[0]))).toBe(1000);
  });

  it('ignores text that is not ours', () => {
    const doc = aurora();
    for (const t of ['hello', '{}', '{"format":"wan-graph-clipboard","nodes":[{"node":{"id":1}}],"links":[]}', '[1,2']) expect(pasteNodes(doc, registry, t, [0, 0])).toBeUndefined();
  });
});

describe('seed control', () => {
  it('keeps, increments or randomizes the seed of active tasks only', () => {
    const doc: GraphDocument = aurora();
    const vi = doc.nodes.find((n) => n.id === 5)!;
    expect(resolveSeeds(doc, registry, () => 7)).toEqual([]);
    vi.params.seedControl = 'increment';
    expect(resolveSeeds(doc, registry, () => 7)).toEqual([{ nodeId: 5, seed: 11663 }]);
    vi.params.seed = 9223372036854775807n;
    expect(resolveSeeds(doc, registry, () => 7)).toEqual([{ nodeId: 5, seed: 0 }]);
    vi.params.seedControl = 'randomize';
    expect(resolveSeeds(doc, registry, () => 4294967295)).toEqual([{ nodeId: 5, seed: 4294967295 }]);
    vi.mode = 'muted';
    expect(resolveSeeds(doc, registry, () => 7)).toEqual([]);
  });
});

describe('widgets', () => {
  const vi = def('VideoInference').params;
  it('step within range and on the step grid', () => {
    expect(stepValue(vi.CFGScale!, 6.5, 1)).toBe(6.6); // by its nudge, not its grid of 0.01
    expect(stepValue(vi.CFGScale!, 30, 1)).toBe(30);
    expect(stepValue(vi.steps!, undefined, 1)).toBe(20); // an unset value starts at the default
    expect(stepValue(vi.seed!, 9007199254740991, 1)).toBe(9007199254740992n);
  });
  it('show unset apart from the default', () => {
    expect(formatValue(vi.steps!, undefined)).toBe('unset (20)');
    expect(formatValue(vi.steps!, 20)).toBe('20');
    expect(formatValue(def('Model').params.model!, 'runware:200@8')).toBe('Wan2.2 A14B Turbo');
  });
  it('read typed text as the parameter takes it', () => {
    expect(parseTyped(vi.seed!, '18446744073')).toBe(18446744073);
    expect(parseTyped(vi.seed!, '9223372036854775807')).toBe(9223372036854775807n);
    expect(parseTyped(vi.seed!, '-1')).toBeInstanceOf(Error);
    expect(parseTyped(vi.steps!, '')).toBeUndefined();
    expect(parseTyped(vi.scheduler!, 'Euler')).toBe('Euler');
    expect(parseTyped(vi.scheduler!, 'Eulr')).toBeInstanceOf(Error);
  });
});

describe('search and inspector', () => {
  it('finds nodes fuzzily and filters by what a dragged link carries', () => {
    expect(rankNodes(registry.all(), 'vid inf')[0]!.type).toBe('VideoInference');
    expect(rankNodes(registry.all(), 'frame')[0]!.type).toBe('FrameImage');
    // nothing typed (a double-click on an empty canvas, then Enter): the task node comes first
    expect(rankNodes(registry.all(), '')[0]!.type).toBe('VideoInference');
    expect(rankNodes(registry.all(), '  ')[0]!.type).toBe('VideoInference');
    expect(compatible(registry.all(), 'PROMPT', 'input').map((d) => d.type)).toEqual(['Prompt', 'PromptList']);
    expect(compatible(registry.all(), 'VIDEO', 'output').map((d) => d.type)).toEqual(['VideoPreview', 'CompareGrid', 'FrameFromVideo', 'Sequence']);
  });

  it('shows the tasks a node feeds, and curl reads the key from the environment', () => {
    const editor = new Editor(registry, counterUuid());
    editor.load(aurora(), undefined);
    expect(tasksOf(editor.compiled.tasks, 2).map((t) => t.nodeId)).toEqual([5]);
    expect(tasksOf(editor.compiled.tasks, 6)).toEqual([]);
    const curl = curlCommand({ taskType: 'videoInference', positivePrompt: "it's" });
    expect(curl).toContain('$RUNWARE_API_KEY');
    expect(curl).toContain(`"it'\\''s"`);
  });
  it('shows a frame a chain takes as where it comes from, in the payload and in curl', () => {
    const editor = new Editor(registry, counterUuid());
    editor.load(loadFile('graphs/chain-turbo-three-shot-journey.wgraph.json'), undefined);
    const second = editor.compiled.tasks[1]!;
    const shown = `← last frame of node ${editor.compiled.tasks[0]!.nodeId}, result 1`;
    expect(JSON.parse(payloadJson(second.task))).toMatchObject({ inputs: { frameImages: [{ image: shown, frame: 'first' }] } });
    expect(curlCommand(second.task)).toContain(`"image":"${shown}"`);
    expect(JSON.parse(payloadJson(editor.compiled.tasks[0]!.task))).toEqual(editor.compiled.tasks[0]!.task);
  });
});
