import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor, type Session } from './harness';
import { canvasBox, documentText, drag, openExample, setWidget } from './ui';

// The Video Preview node with four results of a sandbox run: resized both ways by its corner, its
// grid takes the columns that fit the node's shape, and a double-click opens the large player with
// frame stepping, loop, and A/B comparison kept in step. The player is view state: the document
// does not change.

afterAll(closeBrowser);

const PREVIEW = 6; // Aurora: 5 Video Inference, 6 Video Preview

/** Client position of a node's bottom-right corner (litegraph's resize handle). */
async function corner(s: Session, id: number) {
  const box = await canvasBox(s);
  const node = (await s.probe('canvasFacts')).nodes.find((n) => n.id === id)!;
  const { offset, scale } = await s.probe('viewport');
  return { x: box.x + (node.pos[0] + node.size[0] + offset[0]) * scale - 4, y: box.y + (node.pos[1] + node.size[1] + offset[1]) * scale - 4 };
}

/** The size the document stores once the gesture is recorded (it changes from `was`). */
async function sizeAfter(s: Session, was: [number, number] | undefined): Promise<[number, number]> {
  await s.page.waitForFunction(
    ([id, was]) => JSON.stringify((JSON.parse((window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText()) as { layout: { nodes: Record<string, { size?: unknown }> } }).layout.nodes[id as number]!.size) !== JSON.stringify(was),
    [PREVIEW, was ?? null] as const,
  );
  return (await storedSize(s))!;
}

const storedSize = async (s: Session) => (JSON.parse(await documentText(s)) as { layout: { nodes: Record<string, { size?: [number, number] }> } }).layout.nodes[PREVIEW]!.size;

/** The grid's columns, and how much of each grid cell the video element takes (1 = all). */
const grid = (s: Session) =>
  s.page.evaluate((id) => {
    const g = document.querySelector<HTMLElement>(`.preview[data-node="${id}"] .preview-grid`)!;
    const videos = [...g.querySelectorAll('video')];
    const cols = Number(g.dataset.cols);
    const rows = Math.ceil(videos.length / cols);
    const cell = { w: g.clientWidth / cols, h: g.clientHeight / rows };
    return { cols, fill: Math.min(...videos.map((v) => (v.clientWidth * v.clientHeight) / (cell.w * cell.h))) };
  }, PREVIEW);

const videoState = (s: Session) =>
  s.page.evaluate(() =>
    [...document.querySelectorAll<HTMLVideoElement>('.player video')]
      .filter((v) => v.offsetParent !== null)
      .map((v) => ({ file: v.dataset.file!, t: v.currentTime, paused: v.paused, loop: v.loop })),
  );
const frameText = (s: Session) => s.page.locator('.player-frame').innerText();

/** Once the shown videos are paused on one time, done seeking (a seek lands a little after the key that asked for it). */
const pausedTogether = (s: Session) =>
  s.page.waitForFunction(() => {
    const vs = [...document.querySelectorAll<HTMLVideoElement>('.player video')].filter((v) => v.offsetParent !== null);
    return vs.every((v) => v.paused && !v.seeking && Math.abs(v.currentTime - vs[0]!.currentTime) < 1e-3);
  });

describe('Video Preview', () => {
  it('resizes both ways with a grid that fits, and opens a large player with frame steps, loop and A/B in step', async () => {
    await withEditor('video-preview', async (s) => {
      await openExample(s, 'Aurora');
      await setWidget(s, 5, 'numberResults', '4');
      await s.page.keyboard.press('Control+Enter');
      await s.page.waitForFunction((id) => document.querySelectorAll(`.preview[data-node="${id}"] video`).length === 4, PREVIEW, { timeout: 90_000 });
      await s.page.waitForFunction((id) => [...document.querySelectorAll<HTMLVideoElement>(`.preview[data-node="${id}"] video`)].every((v) => v.readyState >= 2), PREVIEW, { timeout: 30_000 });
      await s.shot('four-results');

      // pan the canvas (drag on empty space) so the preview has room to grow
      const box = await canvasBox(s);
      const title = await s.probe('titlePosition', PREVIEW);
      const from = { x: box.x + 700, y: box.y + 650 };
      await drag(s, from, { x: from.x + (box.x + 120 - title.x), y: from.y + (box.y + 60 - title.y) });
      expect((await s.probe('titlePosition', PREVIEW)).x).toBeLessThan(box.x + 200);

      // wider and shorter: the four sit in one row
      const stored = await storedSize(s);
      const before = stored ?? (await s.probe('canvasFacts')).nodes.find((n) => n.id === PREVIEW)!.size;
      let at = await corner(s, PREVIEW);
      await drag(s, at, { x: at.x + 420, y: at.y - 60 });
      let size = await sizeAfter(s, stored);
      expect(size[0]).toBeGreaterThan(before[0] + 300);
      expect(size[1]).toBeLessThan(before[1]);
      await s.page.waitForTimeout(200); // the overlay follows on the next frames
      let g = await grid(s);
      expect(g.cols).toBe(4);
      expect(g.fill).toBeGreaterThan(0.95);
      await s.shot('wide-one-row');

      // narrower and much taller: they stack
      at = await corner(s, PREVIEW);
      await drag(s, at, { x: at.x - 520, y: at.y + 380 });
      size = await sizeAfter(s, size);
      expect(size[0]).toBeLessThan(before[0]);
      expect(size[1]).toBeGreaterThan(before[1] + 250);
      await s.page.waitForTimeout(200);
      g = await grid(s);
      expect(g.cols).toBeLessThanOrEqual(2);
      expect(g.fill).toBeGreaterThan(0.95);
      await s.shot('tall-stacked');

      // double-click the second result: the large player shows it as A
      const doc = await documentText(s);
      const second = s.page.locator(`.preview[data-node="${PREVIEW}"] video`).nth(1);
      const secondFile = await second.getAttribute('data-file');
      // on the picture: a small video's native controls take the input over its lower part
      await second.dblclick({ position: { x: 20, y: 12 } });
      await s.page.locator('.player').waitFor();
      await s.page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('.player video.player-a')?.readyState ?? 0) >= 2);
      expect((await videoState(s)).map((v) => v.file)).toEqual([secondFile]);

      // → steps one frame and pauses; three more; ← one back
      await s.page.keyboard.press('ArrowRight');
      const start = Number(/frame (\d+)/.exec(await frameText(s))![1]);
      for (let i = 0; i < 3; i++) await s.page.keyboard.press('ArrowRight');
      await s.page.keyboard.press('ArrowLeft');
      await s.page.waitForFunction((f) => document.querySelector('.player-frame')?.textContent?.startsWith(`frame ${f} `), start + 2);
      const fps = Number(/(\d+) fps/.exec(await frameText(s))![1]);
      await s.page.waitForFunction((t) => {
        const v = document.querySelector<HTMLVideoElement>('.player video.player-a')!;
        return !v.seeking && Math.abs(v.currentTime - t) < 1e-3;
      }, (start + 2 - 1 + 0.5) / fps);
      const [a] = await videoState(s);
      expect(a!.paused).toBe(true);
      expect(a!.t).toBeCloseTo((start + 2 - 1 + 0.5) / fps, 3);
      await s.shot('frame-stepped');

      // loop: L and the button
      expect(a!.loop).toBe(true);
      await s.page.keyboard.press('l');
      expect((await videoState(s))[0]!.loop).toBe(false);
      await s.page.click('.player-loop');
      expect((await videoState(s))[0]!.loop).toBe(true);
      expect(await s.page.locator('.player-loop').getAttribute('aria-pressed')).toBe('true');

      // A/B: two results side by side that play, pause and seek together
      await s.page.click('.player-compare');
      const files = await s.page.locator(`.preview[data-node="${PREVIEW}"] video`).evaluateAll((vs) => vs.map((v) => (v as HTMLElement).dataset.file!));
      await s.page.selectOption('select[aria-label="Result B"]', '3');
      await s.page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('.player video.player-b')?.readyState ?? 0) >= 2);
      let [va, vb] = await videoState(s);
      expect([va!.file, vb!.file]).toEqual([secondFile, files[3]]);
      await s.page.locator('.player-stage').click(); // the focus leaves the select: keys go to the player
      const stopped = (await videoState(s)).map((v) => v.t);
      await s.page.keyboard.press('Space');
      // both play: each has moved on from where it was (a few frames; they loop, so either way)
      await s.page.waitForFunction(
        ([from, fps]) => [...document.querySelectorAll<HTMLVideoElement>('.player video')].every((v, i) => !v.paused && Math.abs(v.currentTime - from[i]!) > 5 / fps),
        [stopped, fps] as const,
      );
      await s.page.keyboard.press('Space');
      await pausedTogether(s);
      await s.page.keyboard.press('ArrowRight');
      await pausedTogether(s);
      [va, vb] = await videoState(s);
      expect(vb!.t).toBeCloseTo(va!.t, 3);
      // seeking on the bar moves both
      const was = va!.t;
      const bar = (await s.page.locator('.player-seek').boundingBox())!;
      await s.page.mouse.click(bar.x + bar.width * 0.25, bar.y + bar.height / 2);
      await s.page.waitForFunction((was) => Math.abs(document.querySelector<HTMLVideoElement>('.player video.player-a')!.currentTime - was) > 1e-3, was);
      await pausedTogether(s);
      [va, vb] = await videoState(s);
      expect(vb!.t).toBeCloseTo(va!.t, 3);
      expect(va!.paused && vb!.paused).toBe(true);
      await s.shot('a-b-compare');

      // Escape closes; the document never changed
      await s.page.keyboard.press('Escape');
      await s.page.locator('.player').waitFor({ state: 'detached' });
      expect(await documentText(s)).toBe(doc);
      await s.shot('closed');
    });
  }, 180_000);
});
