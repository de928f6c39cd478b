import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor } from './harness';
import { clickTitle, openExample } from './ui';

// A chain in the editor: the Payload tab of a later shot shows where its first frame will come
// from, and a run from the editor is refused before anything is sent, saying where chains run.

afterAll(closeBrowser);

describe('a chain in the editor', () => {
  it('shows a frame to be taken as where it comes from, and says where a chain runs', async () => {
    await withEditor('chain', async (s) => {
      await openExample(s, 'Chain: Turbo');
      await s.shot('opened');
      // shot 2 (node 7) starts on the last frame of shot 1 (node 4)
      await clickTitle(s, 7);
      await s.page.click('[data-tab=inspector]');
      const payload = s.page.locator('pre.payload');
      await expect.poll(() => payload.innerText()).toContain('"image": "← last frame of node 4, result 1"');
      expect(await s.page.locator('.note.step-values').innerText()).toContain('made by this run before the task is sent');
      await s.shot('payload-placeholder');

      // the run is refused before anything is sent: Problems says why, on the shots that wait and on the join
      await s.page.keyboard.press('Control+Enter');
      await expect.poll(() => s.page.locator('[data-tab=problems]').innerText(), { timeout: 20_000 }).toBe('Problems (3)');
      await s.page.click('[data-tab=problems]');
      await expect.poll(() => s.page.locator('#sidebar').innerText()).toContain('starts on the last frame of node 4, result 1, taken during the run: chains (Frame From Video, Sequence) run from the command line for now (wan-graph run <file>)');
      await s.shot('run-refused');
    });
  }, 60_000);
});
