import { describe, expect, it } from 'vitest';
import { addNode, addNodeLinked, connect, linkRefusal, relink } from '../../app/renderer/editor/commands';
import { applyOp } from '../../app/renderer/editor/ops';
import { mix, nodeColors } from '../../app/renderer/graph/colors';
import { numberKind } from '../../app/renderer/graph/param-widgets/number';
import { counterText, wrapText } from '../../app/renderer/graph/param-widgets/text-area';
import { fineNudgeOf, moveValue, nudgeOf, stepValue } from '../../app/renderer/graph/widgets';
import { registry } from '../../nodes';
import { loadFile } from '../helpers';

// Widgets made for artists, without a view: how far numbers step and drag, how prompt text wraps
// and counts, why a link is refused, what new prompt nodes are called, node colours.

const aurora = () => loadFile('graphs/aurora-ice-caravan-crossing.wgraph.json');
const vi = registry.get('VideoInference')!.params;

describe('numbers', () => {
  it('step by a sensible amount per parameter, set once in the spec', () => {
    expect([nudgeOf(vi.CFGScale!), nudgeOf(vi.steps!), nudgeOf(vi.width!), nudgeOf(vi.height!), nudgeOf(vi.seed!)]).toEqual([0.1, 1, 16, 16, 1]);
    expect(stepValue(vi.CFGScale!, 7, -1)).toBe(6.9);
    expect(stepValue(vi.width!, 1280, 1)).toBe(1296);
    expect(stepValue(vi.steps!, 20, 1)).toBe(21);
    expect(stepValue(vi.seed!, 41, 1)).toBe(42);
    expect(stepValue(vi.width!, 4090, 1)).toBe(4096); // kept in range
  });

  it('fine steps are a tenth of a nudge, never finer than the grid', () => {
    expect(fineNudgeOf(vi.CFGScale!)).toBe(0.01);
    expect(fineNudgeOf(vi.steps!)).toBe(1);
    expect(fineNudgeOf(vi.width!)).toBe(2);
  });

  it('a drag moves one nudge per few pixels, Shift pixels by fine steps, and stays on the grid', () => {
    const drag = numberKind.drag!;
    expect(drag(vi.CFGScale!, 7, { coarse: 30, fine: 0 })).toBe(7.5);
    expect(drag(vi.CFGScale!, 7, { coarse: 30, fine: -12 })).toBe(7.48);
    expect(drag(vi.steps!, 20, { coarse: -600, fine: 0 })).toBe(4); // the minimum
    expect(drag(vi.steps!, undefined, { coarse: 12, fine: 0 })).toBe(22); // unset starts at the default
    expect(drag(vi.seed!, 9007199254740991, { coarse: 6, fine: 0 })).toBe(9007199254740992n);
    expect(drag(vi.CFGScale!, 7, { coarse: 5, fine: 5 })).toBe(7); // less than a notch moves nothing
    expect(moveValue(vi.CFGScale!, 0.1 + 0.2, 0)).toBe(0.3);
  });
});

describe('prompt text area', () => {
  const measure = (s: string) => s.length * 10; // 10 px a character
  it('wraps between words, at its own line breaks, and inside words longer than a line', () => {
    expect(wrapText('a lantern procession crossing', 100, measure)).toEqual(['a lantern', 'procession', 'crossing']);
    expect(wrapText('one\n\ntwo', 100, measure)).toEqual(['one', '', 'two']);
    expect(wrapText('abcdefghijklmnopqrstuvwxyz', 100, measure)).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
    expect(wrapText('🌅🌅🌅', 25, (s) => [...s].length * 10)).toEqual(['🌅🌅', '🌅']); // never half a code point
  });

  it('counts code points and shows the counter only near the limit', () => {
    const text = registry.get('Prompt')!.params.text!;
    expect(counterText(text, 'x'.repeat(100))).toBeUndefined();
    expect(counterText(text, '🌅'.repeat(2400))).toEqual({ text: '2400 / 3000', over: false });
    expect(counterText(text, 'x'.repeat(3001))).toEqual({ text: '3001 / 3000', over: true });
  });
});

describe('links', () => {
  it('a refusal names both ends and what each takes or gives', () => {
    const doc = aurora();
    expect(linkRefusal(doc, registry, { node: 2, port: 'text' }, { node: 5, port: 'model' })).toBe('Video Inference › Model takes a MODEL; Positive prompt › Text gives a PROMPT');
    expect(linkRefusal(doc, registry, { node: 2, port: 'text' }, { node: 5, port: 'negative' })).toBeUndefined();
  });

  it('a prompt made from the Negative prompt input is titled so; one first linked there by hand too, in the same command', () => {
    const doc = aurora();
    const made = addNodeLinked(doc, registry, registry.get('Prompt')!, [0, 0], { nodeId: 5, port: 'negative', type: 'PROMPT', from: 'input' });
    expect(made.cmd.ops[0]).toMatchObject({ kind: 'addNode', node: { title: 'Negative prompt' } });
    const fresh = addNode(doc, registry.get('Prompt')!, [0, 0]);
    applyOp(doc, fresh.cmd.ops[0]!);
    const linked = connect(doc, registry, { node: fresh.id, port: 'text' }, { node: 5, port: 'negative' });
    expect(typeof linked !== 'string' && linked.ops.find((o) => o.kind === 'setTitle')).toMatchObject({ nodeId: fresh.id, title: 'Negative prompt' });
    const drawn = relink(doc, registry, [...doc.links.filter((l) => l.to.port !== 'negative'), { from: { node: fresh.id, port: 'text' }, to: { node: 5, port: 'negative' } }]);
    expect(drawn.ops.filter((o) => o.kind === 'setTitle')).toEqual([{ kind: 'setTitle', nodeId: fresh.id, title: 'Negative prompt' }]);
    // a prompt the artist named keeps its name
    const named = connect(doc, registry, { node: 2, port: 'text' }, { node: 5, port: 'negative' });
    expect(typeof named !== 'string' && named.ops.some((o) => o.kind === 'setTitle')).toBe(false);
  });
});

describe('node colours', () => {
  it('differ per category and keep the category in every mode', () => {
    const looks = ['Model', 'LoRA', 'Conditioning', 'Inputs', 'Settings', 'Generation', 'Output'].map((c) => nodeColors(c, 'active').color);
    expect(new Set(looks).size).toBe(7);
    for (const def of registry.all()) expect(nodeColors(def.category, 'active'), def.type).not.toEqual(nodeColors(undefined, 'active'));
    expect(nodeColors('Inputs', 'bypassed').bgcolor).toBe(nodeColors('Inputs', 'active').bgcolor);
    expect(nodeColors('Inputs', 'muted').bgcolor).toBe(mix(nodeColors('Inputs', 'active').bgcolor, '#1c1c1c', 0.55));
  });
});
