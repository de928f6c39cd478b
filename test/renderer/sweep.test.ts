import { describe, expect, it } from 'vitest';
import { Editor, type EditorChange } from '../../app/renderer/editor/editor';
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
    expect(editor.compiled.diagnostics).toEqual([expect.objectContaining({ code: 'tooManyTasks', nodeId: 3, field: 'sweep', message: 'this sweep makes 9 tasks (3 × 3); a run sends at most 5 (a setting)' })]);
    editor.setMaxTasks(5); // unchanged: nothing to tell
    expect(changes).toHaveLength(1);
    expect(editor.history.canUndo).toBe(false); // not an edit of the document
    editor.setMaxTasks(undefined);
    expect(editor.compiled.tasks).toHaveLength(9);
  });
});
