import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeGraph } from '../../app/core/save';
import { openHarness } from './service-helpers';
import { tasksGraph } from './runner-helpers';

// The budgets in Settings and jobs.estimate: what the editor asks before a run of several tasks.

const twoTasks = () => serializeGraph(tasksGraph([{ prompt: 'a lighthouse', vi: { width: 832, height: 480 } }, { prompt: 'a harbour', vi: { width: 832, height: 480 } }]));

describe('budgets in Settings', () => {
  it('are kept, cleared with null, and refused when negative or not a number, naming the field', async () => {
    const h = await openHarness();
    try {
      expect((await h.call('settings.get', {})).settings.budgetPerRun).toBeUndefined();
      const set = await h.call('settings.set', { budgetPerRun: 2.5, budgetPerDay: 20 });
      expect(set.settings).toMatchObject({ budgetPerRun: 2.5, budgetPerDay: 20 });
      expect(JSON.parse(await readFile(join(h.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ budgetPerRun: 2.5, budgetPerDay: 20 });
      // another change leaves them be; null clears one
      expect((await h.call('settings.set', { concurrency: 3 })).settings).toMatchObject({ budgetPerRun: 2.5, budgetPerDay: 20 });
      const cleared = await h.call('settings.set', { budgetPerRun: null });
      expect(cleared.settings.budgetPerRun).toBeUndefined();
      expect(cleared.settings.budgetPerDay).toBe(20);
      expect(await h.failure('settings.set', { budgetPerRun: -1 })).toEqual({ code: 'bad-input', message: 'settings.set: budgetPerRun: a budget is an amount in USD, 0 or more (leave it empty for no limit)' });
      expect((await h.failure('settings.set', { budgetPerDay: 'ten' })).message).toMatch(/^settings\.set: budgetPerDay: /);
      expect((await h.call('settings.get', {})).settings).toMatchObject({ budgetPerDay: 20 });
    } finally {
      await h.close();
    }
  });
});

describe('jobs.estimate', () => {
  it('prices a run on the target without running it, says which budget it goes beyond, and shows the editor no dry-run job', async () => {
    const h = await openHarness();
    try {
      await h.call('settings.set', { endpoint: 'sandbox' });
      const first = await h.call('jobs.estimate', { text: twoTasks() });
      if (!first.ok) throw new Error('expected an estimate');
      expect(first.estimate).toMatchObject({ tasks: 2, reused: 0, sandbox: true, today: { spent: 0 } });
      expect(first.estimate.shapes).toHaveLength(1);
      const total = first.estimate.total!;
      expect(total).toBeGreaterThan(0);
      expect(first.over).toEqual([]);

      await h.call('settings.set', { budgetPerRun: total / 2 });
      const over = await h.call('jobs.estimate', { text: twoTasks() });
      expect(over.ok && over.over).toEqual([expect.stringMatching(/is above the budget per run of \$/)]);
      await h.call('settings.set', { budgetPerRun: null, budgetPerDay: total / 2 });
      const overDay = await h.call('jobs.estimate', { text: twoTasks() });
      expect(overDay.ok && overDay.over).toEqual([expect.stringMatching(/spent today and .* is above the budget per day of \$/)]);

      // only one of the nodes: one task
      const one = await h.call('jobs.estimate', { text: twoTasks(), nodeIds: [3] });
      expect(one.ok && one.estimate.tasks).toBe(1);
      // the dry runs are no jobs of the artist's
      expect(h.events.filter((e) => e.type === 'job')).toEqual([]);
      expect((await h.call('jobs.list', {})).jobs).toEqual([]);
      expect(h.sandboxes[0]!.service.submissions.size).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('answers a graph that does not compile with its diagnostics', async () => {
    const h = await openHarness();
    try {
      const out = await h.call('jobs.estimate', { text: '{"format":"wan-graph"' });
      expect(out.ok).toBe(false);
    } finally {
      await h.close();
    }
  });
});
