import { describe, expect, it } from 'vitest';
import { serializeGraph } from '../../app/core/save';
import { SHORTCUTS } from '../../app/core/support/shortcuts';
import { copyNodes, pasteNodes } from '../../app/renderer/editor/clipboard';
import { Editor } from '../../app/renderer/editor/editor';
import { registry } from '../../nodes';
import { counterUuid, loadFile } from '../helpers';

// Ctrl+Shift+V, as in ComfyUI: pasted nodes keep the links that came into them from nodes not
// copied, in one undoable step; a plain paste keeps only the links among the copied nodes.

const aurora = () => loadFile('graphs/aurora-ice-caravan-crossing.wgraph.json');
// Aurora: 1 Model, 2 positive, 3 negative, 4 frame image, 5 Video Inference, 6 Preview

describe('paste with links', () => {
  it('keeps the input links from nodes not copied, and undo takes nodes and links away together', () => {
    const editor = new Editor(registry, counterUuid());
    editor.load(aurora(), undefined);
    const before = serializeGraph(editor.doc);
    const text = copyNodes(editor.doc, [5])!;
    const pasted = pasteNodes(editor.doc, registry, text, [900, 100], { keepInputLinks: true })!;
    editor.exec(pasted.cmd);
    const [id] = pasted.ids;
    const into = (n: number) => editor.doc.links.filter((l) => l.to.node === n).map((l) => `${l.from.node}.${l.from.port}>${l.to.port}`).sort();
    expect(into(id!)).toEqual(into(5));
    expect(into(id!)).toHaveLength(4);
    expect(pasted.cmd.label).toBe('Paste node with links');
    expect(editor.compiled.tasks.map((t) => t.nodeId)).toEqual([5, id]);
    editor.undo();
    expect(serializeGraph(editor.doc)).toBe(before);
  });

  it('a plain paste keeps only the links among the copied nodes', () => {
    const doc = aurora();
    const pasted = pasteNodes(doc, registry, copyNodes(doc, [2, 5])!, [900, 100])!;
    const added = pasted.cmd.ops.filter((o) => o.kind === 'addLink');
    expect(added).toHaveLength(1);
  });

  it('drops input links whose source is gone or is now another kind of node', () => {
    const doc = aurora();
    const text = copyNodes(doc, [5])!;
    const other = aurora();
    other.nodes = other.nodes.map((n) => (n.id === 1 ? { ...n, type: 'Prompt', params: { text: 'not a model' } } : n));
    other.links = other.links.filter((l) => l.from.node !== 3);
    other.nodes = other.nodes.filter((n) => n.id !== 3);
    const pasted = pasteNodes(other, registry, text, [0, 0], { keepInputLinks: true })!;
    const sources = pasted.cmd.ops.flatMap((o) => (o.kind === 'addLink' ? [o.link.from.node] : []));
    expect(sources.sort()).toEqual([2, 4]);
  });

  it('has its key in the shortcut table, as Settings has Ctrl+,', () => {
    expect(SHORTCUTS.find((s) => s.action === 'pasteWithLinks')?.keys).toBe('Ctrl+Shift+V');
    expect(SHORTCUTS.find((s) => s.action === 'settings')?.keys).toBe('Ctrl+,');
  });
});
