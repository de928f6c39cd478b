import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../app/core/support/json';
import { closeBrowser, withEditor } from './harness';
import { addNode, clickTitle, connect, documentText, dragOutNew, setWidget } from './ui';

// The whole artist's path in a real browser: build the Aurora Ice Caravan Crossing example on an
// empty canvas with clicks, keys and drags; its payload equals the specification's request; run
// it on the sandbox and watch the video play in its Preview node; save, reload, same graph.

const examples = JSON.parse(readFileSync('test/fixtures/seed-examples.json', 'utf8')) as { name: string; request: Record<string, unknown> }[];
const aurora = examples.find((e) => e.name === 'Aurora Ice Caravan Crossing')!.request;
const withoutUuid = ({ taskUUID: _u, ...rest }: Record<string, unknown>) => rest;

afterAll(closeBrowser);

describe('building Aurora Ice Caravan Crossing from an empty canvas', () => {
  it('compiles to the seed request, runs on the sandbox, plays inline, and survives save and reload', async () => {
    await withEditor('aurora', async (s) => {
      await s.shot('empty-canvas');
      expect(await s.probe('nodeIds')).toEqual([]);
      await expect.poll(() => s.page.locator('#target').innerText()).toContain('No API key');

      // the task node, then everything it needs, each dragged out of its port
      const vi = await addNode(s, 'video inf', 420, 60);
      const model = await dragOutNew(s, vi, 'model', 'input', 'model', 40, 30);
      const positive = await dragOutNew(s, vi, 'positive', 'input', 'prompt', 40, 170);
      const negative = await dragOutNew(s, vi, 'negative', 'input', 'prompt', 40, 330);
      const frame = await dragOutNew(s, vi, 'frames', 'input', 'frame', 40, 490);
      const preview = await addNode(s, 'preview', 780, 60);
      await connect(s, [vi, 'video'], [preview, 'video']);
      await s.shot('wired');

      await setWidget(s, positive, 'text', aurora.positivePrompt as string);
      await setWidget(s, negative, 'text', aurora.negativePrompt as string);
      const frameImage = (aurora.inputs as { frameImages: { image: string; frame: string }[] }).frameImages[0]!;
      await setWidget(s, frame, 'image', frameImage.image);
      await setWidget(s, frame, 'frame', frameImage.frame);
      for (const key of ['width', 'height', 'duration', 'fps', 'seed', 'steps', 'CFGScale'] as const) await setWidget(s, vi, key, String(aurora[key]));
      await setWidget(s, vi, 'scheduler', aurora.scheduler as string);
      expect((await s.probe('documentText')).includes('"model": "runware:200@6"')).toBe(true); // the Model node starts on A14B
      expect(model).toBeGreaterThan(0);
      await s.shot('parameters-set');

      // the payload inspector shows the task of the selected node
      await clickTitle(s, vi);
      await s.page.click('[data-tab=inspector]');
      const payload = parseJson(await s.page.locator('pre.payload').innerText()) as Record<string, unknown>;
      expect(withoutUuid(payload)).toStrictEqual(withoutUuid(aurora));
      expect(Object.keys(payload)).toEqual(Object.keys(aurora));
      await expect.poll(() => s.page.locator('[data-tab=problems]').innerText()).toBe('Problems');
      await s.shot('payload');

      // run with no key: the sandbox; the video plays in the Preview node
      await s.page.keyboard.press('Control+Enter');
      await expect.poll(() => s.page.locator('.toast').innerText()).toContain('sandbox');
      const video = s.page.locator(`.preview[data-node="${preview}"] video`);
      await video.waitFor({ timeout: 20_000 });
      await s.page.waitForFunction((id) => {
        const v = document.querySelector<HTMLVideoElement>(`.preview[data-node="${id}"] video`);
        return !!v && v.readyState >= 2 && !v.paused && v.currentTime > 0.3;
      }, preview);
      expect(await video.getAttribute('data-seed')).toBe('11662');
      await s.shot('playing');
      await s.page.click('[data-tab=queue]');
      await expect.poll(() => s.page.locator('.queue-list li').first().innerText()).toContain('done');
      await s.page.click('[data-tab=history]');
      await expect.poll(() => s.page.locator('.history-list li').first().innerText()).toContain('seed 11662');
      await s.shot('history');

      // save as a new file, reload the page: the same graph comes back
      const before = await documentText(s);
      await s.page.keyboard.press('Control+s');
      const path = join(s.home, 'aurora.wgraph.json');
      await s.page.locator('.dialog input[aria-label="File path"]').fill(path);
      await s.page.click('.dialog button.primary');
      await expect.poll(() => s.page.locator('.toast').last().innerText()).toContain('Saved');
      const onDisk = await readFile(path, 'utf8');
      expect(JSON.parse(onDisk).nodes).toEqual(JSON.parse(before).nodes);
      await s.reopen();
      await s.page.waitForFunction(() => (window as unknown as { wanGraphProbe: { nodeIds(): number[] } }).wanGraphProbe.nodeIds().length === 6);
      expect(await documentText(s)).toBe(before);
      await expect.poll(() => s.page.locator('.status-bar').innerText()).toContain('saved');
      // the preview keeps its last result across the reload
      await s.page.locator(`.preview[data-node="${preview}"] video`).waitFor();
      await s.shot('reloaded');
    });
  }, 180_000);
});
