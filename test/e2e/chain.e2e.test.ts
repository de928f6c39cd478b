import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor, type Session } from './harness';
import { canvasBox, clickTitle, connect, dragOutNew, openExample, setWidget } from './ui';

// A chain in the editor: a second shot that starts on the last frame of the first and a Sequence
// joining both, built with gestures; the Payload tab shows where the frame will come from; the run
// goes through the queue step by step, and the joined clip plays in the Video Preview.

afterAll(closeBrowser);

const videoOf = (s: Session, node: number) => s.page.locator(`.preview[data-node="${node}"] video`);

describe('a chain in the editor', () => {
  it('is built with gestures, shows a frame to be taken as where it comes from, runs step by step and plays the joined clip', async () => {
    await withEditor('chain', async (s) => {
      await openExample(s, 'Turbo: Lantern'); // 1 Model, 2 Prompt, 3 Video Inference, 4 Output, 5 Video Preview
      await setWidget(s, 3, 'numberResults', '1');
      // zoomed out from the top left corner: room for the second shot on the right and below
      const box = await canvasBox(s);
      await s.page.mouse.move(box.x + 5, box.y + 5);
      for (let i = 0; i < 3; i++) await s.page.mouse.wheel(0, 120);

      // shot 2 starts on the last frame of shot 1: a link dragged out of its video and let go on empty canvas
      const frame = await dragOutNew(s, 3, 'video', 'output', 'frame from video', 520, 330);
      const second = await dragOutNew(s, frame, 'frames', 'output', 'video inference', 760, 330);
      await connect(s, [1, 'model'], [second, 'model']);
      await connect(s, [2, 'text'], [second, 'positive']);
      await connect(s, [4, 'output'], [second, 'output']);
      // the shots joined: a Sequence per shot, chained, the last one into the preview
      const first = await dragOutNew(s, 3, 'video', 'output', 'sequence', 300, 420);
      const film = await dragOutNew(s, second, 'video', 'output', 'sequence', 560, 640);
      await connect(s, [first, 'parts'], [film, 'parts']);
      await connect(s, [film, 'video'], [5, 'video']);
      await s.page.mouse.click(box.x + 150, box.y + 720); // nothing selected: Fit view takes the whole graph
      await s.page.keyboard.press('.');
      await s.shot('built');
      expect(await s.page.locator('.preview[data-node="5"] .preview-empty').innerText()).toBe('Run the graph (Ctrl+Enter): the joined film plays here.');
      await expect.poll(() => s.page.locator('.status-bar').innerText()).toContain('2 tasks');
      await expect.poll(() => s.page.locator('.status-bar').innerText()).toContain('no errors');

      // the second shot's payload: its first frame comes from the first shot's last
      await clickTitle(s, second);
      await s.page.click('[data-tab=inspector]');
      await expect.poll(() => s.page.locator('pre.payload').innerText()).toContain(`"image": "← last frame of node 3, result 1"`);
      await s.shot('payload-placeholder');

      // the run: the queue shows the chain, each step with its state and what it waits for
      await s.page.click('[data-tab=queue]');
      await s.page.keyboard.press('Control+Enter');
      const chain = s.page.locator('.queue-list li.plan');
      await chain.waitFor({ timeout: 30_000 });
      await expect.poll(() => chain.locator('.plan-steps > li').count()).toBe(4);
      expect(await chain.locator('.step-label').allInnerTexts()).toEqual([`shot of node 3`, `last frame of node 3, result 1`, `shot of node ${second}`, `2 parts joined by node ${film}`]);
      await expect.poll(() => chain.innerText()).toContain('waits for');
      await s.shot('queue-chain-running');

      // the joined clip plays in the preview: both shots, one after the other
      await videoOf(s, 5).waitFor({ timeout: 120_000 });
      expect(await videoOf(s, 5).getAttribute('data-file')).toMatch(/-film-[^/]*\.mp4$/);
      await s.page.waitForFunction((id) => {
        const v = document.querySelector<HTMLVideoElement>(`.preview[data-node="${id}"] video`);
        return !!v && v.readyState >= 2 && v.currentTime > 0;
      }, 5);
      const duration = await videoOf(s, 5).evaluate((v) => (v as HTMLVideoElement).duration);
      expect(duration).toBeGreaterThan(9); // two 5 s shots
      expect(await s.page.locator(`.preview[data-node="5"] .preview-seed`).innerText()).toBe('2 shots joined');
      await expect.poll(() => chain.locator('.plan-steps > li[data-state=done]').count()).toBe(4);
      // zoomed in on the preview: readable
      const preview = await s.probe('titlePosition', 5);
      await s.page.mouse.move(preview.x, preview.y);
      for (let i = 0; i < 2; i++) await s.page.mouse.wheel(0, -120);
      await s.shot('joined-clip-playing');

      // run again (new seeds) and cancel the second shot from the queue while it waits: the join after it
      // is cancelled with it, the first shot goes on. The button is held through the queue's renders
      // (it counts the running shot's time every second): the click still lands.
      await s.page.keyboard.press('Control+Enter');
      await expect.poll(() => s.page.locator('.queue-list li.plan').count(), { timeout: 30_000 }).toBe(2);
      const rerun = s.page.locator('.queue-list li.plan').first();
      const shot2 = rerun.locator('.plan-steps > li').nth(2);
      await expect.poll(() => shot2.getAttribute('data-state')).toBe('waiting');
      await shot2.locator('.step-cancel').hover();
      await s.page.mouse.down();
      await s.page.waitForTimeout(1500);
      await s.page.mouse.up();
      await expect.poll(() => rerun.locator('.plan-steps > li').evaluateAll((ls) => ls.map((l) => (l as HTMLElement).dataset.state)), { timeout: 30_000 }).toEqual(['done', 'done', 'cancelled', 'cancelled']);
      expect(await rerun.locator('.plan-steps > li').nth(3).innerText()).toContain(`cancelled with node ${second}`);
      await expect.poll(() => s.page.locator('.preview[data-node="5"] .preview-empty').innerText()).toBe(`Cancelled with node ${second}`);
      await s.shot('chain-cancelled');
    });
  }, 240_000);
});
