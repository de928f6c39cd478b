import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../app/core/support/json';
import { serializeGraph } from '../../app/core/save';
import type { JobRecord, JournalEntry } from '../../app/host/jobs/types';
import { tasksGraph } from '../host/runner-helpers';
import { closeBrowser, withEditor } from './harness';
import { openByDialog } from './ui';

// Price before paying, in the editor: a run of two Video Inference nodes says its estimate as it
// is queued; with a budget per run below the estimate (set in Settings) it asks first, showing
// the count and the total; Cancel sends nothing, Run sends both. Against the real browser-mode
// server and its sandbox.

afterAll(closeBrowser);

/** The jobs of the sandbox's journal that were sent for real (not dry runs). */
async function sentJobs(home: string): Promise<JobRecord[]> {
  const text = await readFile(join(home, 'sandbox', 'journal.jsonl'), 'utf8').catch(() => '');
  const jobs = new Map<string, JobRecord>();
  for (const line of text.split('\n').filter(Boolean)) {
    const e = parseJson(line) as unknown as JournalEntry;
    if (e.type === 'job') jobs.set(e.job.id, e.job);
    else Object.assign(jobs.get(e.id)!, e.patch);
  }
  return [...jobs.values()].filter((j) => !j.dryRun);
}

describe('the cost of a run', () => {
  it('within budget says the figure; above the budget per run asks with the count and the total: Cancel sends nothing, Run sends both', async () => {
    await withEditor('run-cost', async (s) => {
      const graph = join(s.home, 'two-shots.wgraph.json');
      const size = { width: 832, height: 480 };
      await writeFile(graph, serializeGraph(tasksGraph([{ prompt: 'a lighthouse at dusk', vi: size }, { prompt: 'a harbour at dawn', vi: size }])));

      await openByDialog(s, graph);
      await s.page.waitForFunction(() => (JSON.parse((window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText()) as { name?: string }).name === 'tasks test graph');

      // no budget: the figure is said as the run is queued, nothing is asked
      await s.page.keyboard.press('Control+Enter');
      await s.page.locator('.toast:has-text("Queued 2 tasks on the local sandbox: placeholder videos, nothing billed — estimated $0.0")').waitFor();
      expect(await s.page.locator('.dialog').count()).toBe(0);

      // the budget, in Settings: a bad value is refused with a clear line, then a real one is kept
      await s.page.click('[data-action=settings]');
      const perRun = s.page.locator('.dialog input[aria-label="Budget per run (USD)"]');
      await perRun.fill('-2');
      expect(await s.page.locator('.dialog .field-error').first().innerText()).toBe('Budget per run (USD): a budget is an amount in USD, 0 or more (leave it empty for no limit)');
      await s.shot('budget-refused');
      await s.page.click('.dialog button:has-text("Save")');
      await s.page.locator('.toast.error:has-text("Settings not saved: Budget per run (USD): a budget is an amount in USD, 0 or more")').waitFor();
      await s.page.click('[data-action=settings]');
      await perRun.fill('0.001');
      await s.page.click('.dialog button:has-text("Save")');
      // kept by the host once the save is through
      await expect.poll(async () => (JSON.parse(await readFile(join(s.home, 'settings.json'), 'utf8').catch(() => '{}')) as { budgetPerRun?: number }).budgetPerRun, { timeout: 10_000 }).toBe(0.001);
      await s.page.click('[data-action=settings]');
      expect(await perRun.inputValue()).toBe('0.001');
      await s.page.keyboard.press('Escape');

      const confirm = s.page.locator('.dialog[aria-label="Confirm the cost of the run"]');
      await s.page.keyboard.press('Control+Enter');
      await confirm.waitFor();
      const said = await confirm.innerText();
      expect(said).toMatch(/^Run 2 tasks\?/);
      expect(said).toMatch(/2 tasks, estimated total: \$0\.\d{4}/);
      expect(said).toMatch(/Above your budget: \$0\.\d{4} is above the budget per run of \$0\.0010\./);
      expect(said).toContain('runware:200@8, 832×480, 1 s, 16 fps, 8 steps');
      expect(said).not.toContain('unknown');
      await s.shot('confirm-cost');
      await confirm.locator('button:has-text("Cancel")').click();
      await s.page.locator('.toast:has-text("Not run: cancelled above the budget")').waitFor();

      await s.page.keyboard.press('Control+Enter');
      await confirm.waitFor();
      await confirm.locator('button:has-text("Run 2 tasks")').click();
      await expect.poll(async () => (await sentJobs(s.home)).map((j) => j.state), { timeout: 90_000, interval: 250 }).toEqual(['done', 'done', 'done', 'done']);
      // two tasks for each of the two runs that went: the cancelled one sent nothing
      const jobs = await sentJobs(s.home);
      expect(jobs.map((j) => j.nodeId).sort()).toEqual([3, 3, 5, 5]);
      await s.shot('ran-both');
    });
  }, 180_000);
});
