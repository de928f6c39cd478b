import { describe, expect, it } from 'vitest';
import type { JobView } from '../../app/core/contract';
import { tasksWiredFrom } from '../../app/core/task-model';
import { addNode, connect } from '../../app/renderer/editor/commands';
import { Editor } from '../../app/renderer/editor/editor';
import { stepValue } from '../../app/renderer/graph/widgets';
import { curlCommand, emptyNote, localImages, localImagesNote } from '../../app/renderer/ui/inspector-panel';
import { historyEntries, stateText } from '../../app/renderer/ui/jobs-panels';
import { registry } from '../../nodes';
import { counterUuid, GraphBuilder, loadFile } from '../helpers';

// What the side panels say: nothing misleading about billing, reuse, local images or nodes that
// add nothing; and the limits every editor takes from the connected model.

const job = (over: Partial<JobView>): JobView => ({ id: 'j', nodeId: 5, state: 'done', sandbox: false, createdAt: 1, results: [], payload: '{}', ...over });

describe('queue and history', () => {
  it('says "may still be billed" once, and only where the host said it (a paid endpoint)', () => {
    const paid = job({ state: 'cancelled', error: { code: 'cancelled', message: 'cancelled — may still be billed' } });
    const sandbox = job({ state: 'cancelled', sandbox: true, error: { code: 'cancelled', message: 'cancelled — the sandbox bills nothing' } });
    expect(stateText(paid)).toBe('cancelled — may still be billed');
    expect(stateText(sandbox)).not.toMatch(/may still be billed/);
    expect(stateText(job({ state: 'cancelled' }))).toBe('cancelled');
    expect(stateText(job({ state: 'failed', error: { code: 'x', message: 'boom' } }))).toBe('failed');
  });

  it('lists a video reused from the cache once, saying so', () => {
    const made = job({ id: 'a', createdAt: 1, results: [{ index: 0, videoUUID: 'v', seed: '1', file: '/lib/a.mp4', cost: 0.5 }] });
    const reuse1 = job({ id: 'b', createdAt: 2, reusedFrom: 'a', results: [{ index: 0, videoUUID: 'v', seed: '1', file: '/lib/a.mp4', cost: 0.5 }] });
    const reuse2 = job({ id: 'c', createdAt: 3, reusedFrom: 'a', results: [{ index: 0, videoUUID: 'v', seed: '1', file: '/lib/a.mp4', cost: 0.5 }] });
    const other = job({ id: 'd', createdAt: 4, results: [{ index: 0, videoUUID: 'w', seed: '2', file: '/lib/d.mp4' }] });
    const entries = historyEntries([other, reuse2, reuse1, made]);
    expect(entries.map((e) => [e.j.id, e.r.file, e.reuses])).toEqual([
      ['d', '/lib/d.mp4', 0],
      ['a', '/lib/a.mp4', 2],
    ]);
    // the run that made it may be gone from the list: the reuse then owns the entry
    expect(historyEntries([reuse1]).map((e) => [e.j.id, e.j.reusedFrom])).toEqual([['b', 'a']]);
  });
});

describe('payload panel', () => {
  it('Copy as curl says a local frame image is uploaded at run time, and leaves a named place for it', () => {
    const task = { taskType: 'videoInference', model: 'runware:200@6', inputs: { frameImages: [{ image: '/home/me/first.png', frame: 'first' }, { image: 'https://example.com/last.jpg', frame: 'last' }] } };
    expect(localImages(task)).toEqual([{ index: 0, path: '/home/me/first.png' }]);
    const curl = curlCommand(task);
    expect(curl).not.toContain('/home/me/first.png"');
    expect(curl).toContain('"image":"IMAGE_UUID_1"');
    expect(curl).toContain('https://example.com/last.jpg');
    expect(curl.split('\n')[0]).toMatch(/^# IMAGE_UUID_1: \/home\/me\/first.png is a file on this machine; Wan Graph uploads it when the task runs/);
    expect(localImagesNote(task)).toMatch(/^Frame image 1 \(\/home\/me\/first.png\) is a file on this machine: uploaded when the task runs/);
    expect(task.inputs.frameImages[0]!.image).toBe('/home/me/first.png'); // the task shown stays as it is
    // a Turbo task takes plain strings
    expect(curlCommand({ inputs: { frameImages: ['C:\\frames\\a.png'] } })).toContain('"frameImages":["IMAGE_UUID_1"]');
    expect(localImagesNote({ inputs: { frameImages: ['https://example.com/a.jpg'] } })).toBeUndefined();
  });

  it('a wired node whose values are all unset adds nothing to the task; an unwired one feeds none', () => {
    const editor = new Editor(registry, counterUuid());
    editor.load(loadFile('graphs/aurora-ice-caravan-crossing.wgraph.json'), undefined);
    const acc = addNode(editor.doc, registry.get('Accelerator')!, [0, 0]);
    editor.exec(acc.cmd);
    const inspected = () => ({ id: acc.id, isTask: false, wiredInto: tasksWiredFrom(editor.doc, registry, acc.id) });
    expect(emptyNote(editor.compiled.tasks, inspected(), editor.compiled.ok)).toMatch(/^The selected node feeds no task/);
    const linked = connect(editor.doc, registry, { node: acc.id, port: 'acceleration' }, { node: 5, port: 'acceleration' });
    if (typeof linked === 'string') throw new Error(linked);
    editor.exec(linked);
    expect(editor.compiled.ok).toBe(true);
    expect(emptyNote(editor.compiled.tasks, inspected(), editor.compiled.ok)).toBe(
      'The selected node is linked into the task of node #5 but adds nothing to it: its values are all unset. Set one to add it to the payload.',
    );
  });
});

describe('limits of the connected model in the editors', () => {
  it('the arrows stop at 4 results on Turbo and at 20 on A14B', () => {
    const { g, vi } = GraphBuilder.minimal('runware:200@8', { numberResults: 4 });
    const editor = new Editor(registry, counterUuid());
    editor.load(g.doc, undefined);
    expect(stepValue(editor.paramSpec(vi, 'numberResults')!, 4, 1)).toBe(4);
    expect(stepValue(editor.paramSpec(vi, 'numberResults')!, 10, -1)).toBe(4); // above the limit: back inside it
    editor.exec({ label: 'Set Model', ops: [{ kind: 'setParam', nodeId: 1, name: 'model', value: 'runware:200@6' }] });
    expect(stepValue(editor.paramSpec(vi, 'numberResults')!, 4, 1)).toBe(5);
  });
});
