import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskBuilder, type Origin } from '../../app/core/task-builder';

// The task builder writes keys in the specification's order and shares a task's origins with the
// last task of its node when they agree; whatever it shares, each task's origins must be its own.

const origin = fc.record({ nodeId: fc.integer({ min: 1, max: 3 }), field: fc.constantFrom('a', 'b') });
const recordings = fc.array(fc.tuple(fc.constantFrom('model', 'seed', 'lora.0', 'lora.0.weight', 'inputs'), origin), { maxLength: 6 });

/** The origins a task records, as a plain map: the last word on a path wins. */
const naive = (steps: [string, Origin][], redirect: (o: Origin) => Origin = (o) => o) => new Map(steps.map(([p, o]) => [p, redirect(o)]));

describe('a task builder', () => {
  it('writes the keys in the specification’s order, unknown keys last, whatever the order of putting', () => {
    const t = new TaskBuilder(9, 'task:9');
    const at = { nodeId: 1, field: 'x' };
    t.put('cameraMotion', 'orbit', at);
    t.put('CFGScale', 4, at);
    t.put('lora', [], at);
    t.put('model', 'runware:200@6', at);
    t.put('outputFormat', 'MP4', at);
    t.put('acceleration', 'low', at);
    expect(Object.keys(t.build('u'))).toEqual(['taskType', 'taskUUID', 'model', 'CFGScale', 'acceleration', 'lora', 'outputFormat', 'cameraMotion']);
  });

  it('gives each task its own origins, and the last task’s record itself when they agree', () => {
    fc.assert(
      fc.property(recordings, recordings, fc.boolean(), (first, second, redirected) => {
        const redirect = redirected ? (o: Origin) => (o.nodeId === 2 ? { nodeId: 7, field: 'values' } : o) : undefined;
        const a = new TaskBuilder(1, 'task:1', undefined, redirect);
        for (const [p, o] of first) a.origin(p, o);
        const ra = a.origins();
        const b = new TaskBuilder(1, 'task:1', ra, redirect);
        for (const [p, o] of second) b.origin(p, o);
        const rb = b.origins();
        expect(new Map(ra)).toEqual(naive(first, redirect));
        expect(new Map(rb)).toEqual(naive(second, redirect));
        expect(rb.get(second.at(-1)?.[0] ?? 'none')).toEqual(naive(second, redirect).get(second.at(-1)?.[0] ?? 'none'));
        expect([...rb.keys()]).toEqual([...new Set(rb.paths)]);
        if (JSON.stringify(first) === JSON.stringify(second) && new Set(first.map(([p]) => p)).size === first.length) expect(rb).toBe(ra);
      }),
    );
  });
});
