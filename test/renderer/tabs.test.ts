import { describe, expect, it } from 'vitest';
import type { JobView } from '../../app/core/contract';
import { emptyDocument } from '../../app/core/document';
import { serializeGraph } from '../../app/core/save';
import { addNode } from '../../app/renderer/editor/commands';
import { isRunning, jobOfNode, Tab, Tabs, type TabsChange } from '../../app/renderer/editor/tabs';
import { tabLabels } from '../../app/renderer/ui/tab-strip';
import { registry } from '../../nodes';
import { loadFile } from '../helpers';

// The tab model without a view: each tab its own document, history, file and view state; which
// tab is in front; and which jobs' results a tab may show.

const aurora = () => loadFile('graphs/aurora-ice-caravan-crossing.wgraph.json');
const lantern = () => loadFile('graphs/turbo-lantern-market-text-to-video.wgraph.json');
const tab = (id: string, doc = emptyDocument(), path?: string) => Tab.create(registry, doc, path, false, id);

function recorded(tabs: Tabs) {
  const changes: string[] = [];
  tabs.on((c: TabsChange) => changes.push(`${c.kind} ${c.tab.id}${c.kind === 'activated' ? ` from ${c.previous?.id ?? '-'}` : ''}`));
  return changes;
}

describe('Tabs', () => {
  it('opens a tab beside the one in front and brings it forward', () => {
    const tabs = new Tabs();
    const changes = recorded(tabs);
    tabs.open(tab('a', aurora()));
    tabs.open(tab('b', lantern()));
    tabs.activate('a');
    tabs.open(tab('c'));
    expect(tabs.list.map((t) => t.id)).toEqual(['a', 'c', 'b']);
    expect(tabs.active.id).toBe('c');
    expect(changes).toEqual(['added a', 'activated a from -', 'added b', 'activated b from a', 'activated a from b', 'added c', 'activated c from a']);
  });

  it('lets an untouched empty tab give way to the graph opened next, but never one with work in it', () => {
    const tabs = new Tabs();
    tabs.open(tab('empty'));
    tabs.open(tab('a', aurora()), { replacePristine: true });
    expect(tabs.list.map((t) => t.id)).toEqual(['a']);

    tabs.open(tab('new'));
    const editor = tabs.active.editor;
    editor.exec(addNode(editor.doc, registry.get('Prompt')!, [0, 0]).cmd);
    editor.undo(); // empty again, but it has a history: it stays
    tabs.open(tab('b', lantern()), { replacePristine: true });
    expect(tabs.list.map((t) => t.id)).toEqual(['a', 'new', 'b']);
    expect(tab('x', emptyDocument(), '/g/x.wgraph.json').pristine).toBe(false);
  });

  it('keeps each tab’s document and history apart', () => {
    const tabs = new Tabs();
    const a = tabs.open(tab('a', aurora()));
    const b = tabs.open(tab('b', aurora()));
    const before = serializeGraph(b.editor.doc);
    a.editor.exec({ label: 'Set steps', ops: [{ kind: 'setParam', nodeId: 5, name: 'steps', value: 12 }] });
    expect(a.editor.dirty).toBe(true);
    expect(b.editor.dirty).toBe(false);
    expect(b.editor.history.canUndo).toBe(false);
    expect(serializeGraph(b.editor.doc)).toBe(before);
    expect(a.editor.doc.nodes).not.toBe(b.editor.doc.nodes);
    a.editor.undo();
    expect(a.editor.dirty).toBe(false);
  });

  it('keeps the view state it opened with until told otherwise', () => {
    const doc = aurora();
    doc.layout.viewport = { offset: [120, -40], scale: 0.75 };
    const t = tab('a', doc);
    expect(t.view).toEqual({ viewport: { offset: [120, -40], scale: 0.75 }, selection: [] });
    t.view = { viewport: { offset: [0, 0], scale: 2 }, selection: [5] };
    // the document's own viewport is not the tab's view state
    expect(doc.layout.viewport.scale).toBe(0.75);
  });

  it('cycles round the ends both ways', () => {
    const tabs = new Tabs();
    for (const id of ['a', 'b', 'c']) tabs.open(tab(id), { at: 'end' });
    expect(tabs.active.id).toBe('c');
    tabs.cycle(1);
    expect(tabs.active.id).toBe('a');
    tabs.cycle(-1);
    expect(tabs.active.id).toBe('c');
    tabs.cycle(-1);
    expect(tabs.active.id).toBe('b');
  });

  it('closing the tab in front brings its right neighbour forward (or the left one at the end); the last one stays', () => {
    const tabs = new Tabs();
    for (const id of ['a', 'b', 'c']) tabs.open(tab(id), { at: 'end' });
    tabs.activate('b');
    tabs.close('b');
    expect(tabs.active.id).toBe('c');
    tabs.close('c');
    expect(tabs.active.id).toBe('a');
    tabs.close('nope');
    expect(() => tabs.close('a')).toThrow(/last tab/);
    expect(tabs.list.map((t) => t.id)).toEqual(['a']);
  });

  it('finds the tab of a file, and moves tabs', () => {
    const tabs = new Tabs();
    tabs.open(tab('a', aurora(), '/g/aurora.wgraph.json'), { at: 'end' });
    tabs.open(tab('b'), { at: 'end' });
    expect(tabs.byPath('/g/aurora.wgraph.json')?.id).toBe('a');
    expect(tabs.byPath('/g/other.wgraph.json')).toBeUndefined();
    tabs.move('a', 5);
    expect(tabs.list.map((t) => t.id)).toEqual(['b', 'a']);
  });
});

describe('which results a tab shows', () => {
  let clock = 0;
  const job = (over: Partial<JobView>): JobView => ({ id: `j${++clock}`, nodeId: 5, state: 'done', sandbox: true, createdAt: clock, results: [], payload: '{}', ...over });

  it('shows the jobs run from the tab, never those of another open tab with the same node id', () => {
    const tabs = new Tabs();
    const a = tabs.open(tab('a', aurora()));
    const b = tabs.open(tab('b', aurora()));
    const fromA = job({ docId: 'a' });
    expect(jobOfNode(tabs, a, 5, [fromA])).toBe(fromA);
    expect(jobOfNode(tabs, b, 5, [fromA])).toBeUndefined();
    expect(jobOfNode(tabs, a, 6, [fromA])).toBeUndefined();
    const newer = job({ docId: 'a' });
    expect(jobOfNode(tabs, a, 5, [fromA, newer])).toBe(newer);
  });

  it('an untitled tab shows nothing of other untitled graphs', () => {
    const tabs = new Tabs();
    const a = tabs.open(tab('a', aurora()));
    expect(jobOfNode(tabs, a, 5, [job({}), job({ docId: 'closed-tab' })])).toBeUndefined();
  });

  it('a file’s tab shows runs of that file from elsewhere (the command line, a tab since closed), but not another open tab’s', () => {
    const tabs = new Tabs();
    const file = '/g/aurora.wgraph.json';
    const a = tabs.open(tab('a', aurora(), file));
    const other = tabs.open(tab('other', aurora()));
    const cli = job({ graphFile: file });
    expect(jobOfNode(tabs, a, 5, [cli])).toBe(cli);
    const closed = job({ graphFile: file, docId: 'closed' });
    expect(jobOfNode(tabs, a, 5, [cli, closed])).toBe(closed);
    const fromOther = job({ graphFile: file, docId: other.id });
    expect(jobOfNode(tabs, a, 5, [cli, closed, fromOther])).toBe(closed);
    // its own run comes first, however old
    const own = job({ docId: 'a', createdAt: -1 });
    expect(jobOfNode(tabs, a, 5, [cli, closed, own])).toBe(own);
  });

  it('a job handed back to this tab for a payload already running elsewhere counts as its own', () => {
    const tabs = new Tabs();
    tabs.open(tab('a', aurora()));
    const b = tabs.open(tab('b', aurora()));
    const running = job({ docId: 'a', state: 'processing' });
    expect(isRunning(b, [running])).toBe(false);
    b.ran.add(running.id);
    expect(jobOfNode(tabs, b, 5, [running])).toBe(running);
    expect(isRunning(b, [running])).toBe(true);
    expect(isRunning(b, [{ ...running, state: 'done' }])).toBe(false);
  });
});

describe('tab labels', () => {
  it('numbers tabs that would read the same', () => {
    expect(tabLabels([{ title: 'Untitled' }, { title: 'Aurora' }, { title: 'Untitled' }, { title: 'Untitled' }])).toEqual(['Untitled', 'Aurora', 'Untitled (2)', 'Untitled (3)']);
  });
});

describe('the viewport a tab saves', () => {
  it('is the file’s own while the view stays where the editor fitted it, the artist’s once moved', () => {
    const doc = emptyDocument();
    doc.layout.viewport = { offset: [10, 20], scale: 0.8 };
    const tab = Tab.create(registry, doc, '/tmp/a.wgraph.json');
    tab.chosenViewport = { offset: [-7, 145], scale: 0.7257 };
    expect(tab.viewportToSave({ offset: [-7, 145], scale: 0.7257 })).toEqual({ offset: [10, 20], scale: 0.8 });
    expect(tab.viewportToSave({ offset: [-7, 160], scale: 0.7257 })).toEqual({ offset: [-7, 160], scale: 0.7257 });
    const fresh = Tab.create(registry, emptyDocument(), undefined);
    expect(fresh.viewportToSave({ offset: [5, 5], scale: 1.5 })).toEqual({ offset: [5, 5], scale: 1.5 });
  });
});
