import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor, type Session } from './harness';
import { addNode, canvasBox, clickTitle, connect, documentText, drag, dragOutNew, openExample, portAt, widgetRect } from './ui';

// Widgets made for artists, driven by real pointer and keyboard input: prompts typed in place in
// a text area that wraps, scrolls and counts; numbers dragged, stepped and tabbed through; node
// colours and badges; a refused link says why. Screenshots are in test-results/e2e/.

afterAll(closeBrowser);

type Doc = { nodes: { id: number; title: string; params: Record<string, unknown> }[]; links: unknown[] };
const doc = async (s: Session) => JSON.parse(await documentText(s)) as Doc;
const param = async (s: Session, id: number, name: string) => (await doc(s)).nodes.find((n) => n.id === id)?.params[name];
const changed = (s: Session, before: string) =>
  s.page.waitForFunction((b) => (window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText() !== b, before, { timeout: 5000 });

/** Client position of a point given in a node's own coordinates. */
async function nodePoint(s: Session, id: number, dx: number, dy: number) {
  const node = (await s.probe('canvasFacts')).nodes.find((n) => n.id === id)!;
  const { offset, scale } = await s.probe('viewport');
  const box = await canvasBox(s);
  return { x: box.x + (node.pos[0] + dx + offset[0]) * scale, y: box.y + (node.pos[1] + dy + offset[1]) * scale };
}

const LONG = Array.from({ length: 25 }, (_, i) => `Line ${i + 1}: lanterns drift over the frozen lake while the caravan crosses the ice at dusk.`).join('\n');

describe('prompts', () => {
  it('a prompt made from Negative prompt is titled so, typed in place, wraps, scrolls, counts, resizes and undoes as one edit', async () => {
    await withEditor('prompt-text-area', async (s) => {
      const vi = await addNode(s, 'video inf', 520, 80);
      const negative = await dragOutNew(s, vi, 'negative', 'input', 'prompt', 120, 420);
      const positive = await dragOutNew(s, vi, 'positive', 'input', 'prompt', 120, 120);
      const titles = Object.fromEntries((await doc(s)).nodes.map((n) => [n.id, n.title]));
      expect(titles[negative]).toBe('Negative prompt');
      expect(titles[positive]).toBe('Positive prompt');

      // click: a real textarea over the node's text area; Escape drops what was typed
      const before = await documentText(s);
      let area = await widgetRect(s, negative, 'text');
      await s.page.mouse.click(area.x + area.width / 3, area.y + area.height / 2);
      const textarea = s.page.locator('.inline-text textarea');
      await textarea.waitFor();
      const over = await textarea.boundingBox();
      expect(Math.abs(over!.x - area.x)).toBeLessThan(2);
      expect(Math.abs(over!.width - area.width)).toBeLessThan(2);
      await s.page.keyboard.type('blurry, low quality');
      await s.page.keyboard.press('Escape');
      await textarea.waitFor({ state: 'detached' });
      expect(await documentText(s)).toBe(before);

      // typed in place and committed with Ctrl+Enter as one command
      await s.page.mouse.click(area.x + area.width / 3, area.y + area.height / 2);
      await textarea.waitFor();
      await s.page.keyboard.type('blurry, low quality, ');
      await s.page.keyboard.press('Shift+Enter');
      await s.page.keyboard.type('watermark, text');
      await s.shot('typing-in-place');
      await s.page.keyboard.press('Control+Enter');
      await textarea.waitFor({ state: 'detached' });
      expect(await param(s, negative, 'text')).toBe('blurry, low quality, \nwatermark, text');

      // a long prompt near the limit: wraps over lines, shows the counter; committed on leaving (blur)
      await s.page.mouse.click(area.x + area.width / 3, area.y + area.height / 2);
      await textarea.waitFor();
      const long = `${LONG}\n${'x'.repeat(2600 - LONG.length - 1)}`;
      await textarea.fill(long);
      expect(await s.page.locator('.inline-text-count').innerText()).toBe('2600 / 3000');
      const box = await canvasBox(s);
      await s.page.mouse.click(box.x + box.width - 40, box.y + box.height - 40);
      await textarea.waitFor({ state: 'detached' });
      expect(await param(s, negative, 'text')).toBe(long);
      await s.shot('long-prompt-wrapped-with-counter');

      // the wheel over the text scrolls it (view state): the canvas keeps its zoom and the document is untouched
      const viewport = await s.probe('viewport');
      const text = await documentText(s);
      await s.page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
      await s.page.mouse.wheel(0, 240);
      await s.page.waitForTimeout(100);
      expect(await s.probe('viewport')).toEqual(viewport);
      expect(await documentText(s)).toBe(text);
      await s.shot('prompt-scrolled');
      // elsewhere the wheel still zooms the canvas
      await s.page.mouse.move(box.x + box.width - 100, box.y + box.height - 100);
      await s.page.mouse.wheel(0, 240);
      await expect.poll(async () => (await s.probe('viewport')).scale).not.toBe(viewport.scale);

      // resizing the node grows the text area with it
      area = await widgetRect(s, negative, 'text');
      const node = (await s.probe('canvasFacts')).nodes.find((n) => n.id === negative)!;
      const corner = await nodePoint(s, negative, node.size[0] - 3, node.size[1] - 3);
      await drag(s, corner, { x: corner.x + 80, y: corner.y + 120 });
      await expect.poll(async () => (await widgetRect(s, negative, 'text')).height).toBeGreaterThan(area.height + 60);
      expect((await widgetRect(s, negative, 'text')).width).toBeGreaterThan(area.width + 40);
      await s.shot('prompt-resized');

      // positive and negative told apart at a glance (accents from the links)
      await s.page.mouse.click(box.x + box.width - 40, box.y + 40);
      await s.shot('positive-and-negative');

      // one undo takes back the resize, the next the long text
      await s.page.locator('#canvas').focus();
      await s.page.keyboard.press('Control+z');
      await s.page.keyboard.press('Control+z');
      expect(await param(s, negative, 'text')).toBe('blurry, low quality, \nwatermark, text');
    });
  }, 120_000);

  it('the ⤢ mark opens the pop-up editor for long edits', async () => {
    await withEditor('prompt-popup', async (s) => {
      await openExample(s, 'Aurora');
      const area = await widgetRect(s, 2, 'text');
      await s.page.mouse.click(area.x + area.width - 14, area.y + 10);
      const editor = s.page.locator('.value-editor[aria-label="Edit Text"]');
      await editor.waitFor();
      await s.shot('popup-editor');
      await editor.locator('textarea').fill('A caravan of lanterns on the ice');
      await editor.locator('button.primary').click();
      expect(await param(s, 2, 'text')).toBe('A caravan of lanterns on the ice');
    });
  }, 60_000);
});

describe('numbers', () => {
  it('drag to change (Shift for fine steps) as one command, arrows step by the parameter’s nudge, click types, Tab moves on', async () => {
    await withEditor('number-widgets', async (s) => {
      await openExample(s, 'Aurora');
      // Aurora: 5 is the Video Inference node
      const start = Number(await param(s, 5, 'CFGScale'));
      const r = await widgetRect(s, 5, 'CFGScale');
      const mid = { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      let before = await documentText(s);
      await drag(s, mid, { x: mid.x + 60, y: mid.y }, 10);
      await changed(s, before);
      expect(await param(s, 5, 'CFGScale')).toBeCloseTo(start + 1, 5); // 60 px: ten nudges of 0.1
      await s.shot('cfg-dragged');

      // Shift: fine steps of 0.01
      before = await documentText(s);
      await s.page.keyboard.down('Shift');
      await drag(s, mid, { x: mid.x - 30, y: mid.y }, 6);
      await s.page.keyboard.up('Shift');
      await changed(s, before);
      expect(await param(s, 5, 'CFGScale')).toBeCloseTo(start + 1 - 0.05, 5);

      // each drag was one undoable command
      await s.page.locator('#canvas').focus();
      await s.page.keyboard.press('Control+z');
      expect(await param(s, 5, 'CFGScale')).toBeCloseTo(start + 1, 5);
      await s.page.keyboard.press('Control+z');
      expect(await param(s, 5, 'CFGScale')).toBe(start);

      // arrows: CFG by 0.1, width by 16, steps by 1
      const width = Number(await param(s, 5, 'width'));
      for (const [name, delta, was] of [['CFGScale', 0.1, start], ['width', 16, width]] as const) {
        const w = await widgetRect(s, 5, name);
        before = await documentText(s);
        await s.page.mouse.click(w.x + w.width - 8, w.y + w.height / 2);
        await changed(s, before);
        expect(await param(s, 5, name)).toBeCloseTo(was + delta, 5);
      }

      // a click without a drag opens typing; Tab moves to the next field, Shift+Tab back
      await s.page.mouse.click(mid.x, mid.y);
      const editor = s.page.locator('.value-editor');
      await editor.locator('input').waitFor();
      expect(await editor.getAttribute('aria-label')).toBe('Edit CFG scale');
      await editor.locator('input').fill('6.5');
      await s.page.keyboard.press('Tab');
      await expect.poll(() => editor.getAttribute('aria-label')).toBe('Edit Results');
      expect(await param(s, 5, 'CFGScale')).toBe(6.5);
      await s.shot('tabbed-to-results');
      await s.page.keyboard.press('Shift+Tab');
      await expect.poll(() => editor.getAttribute('aria-label')).toBe('Edit CFG scale');
      await s.page.keyboard.press('Escape');
      await editor.waitFor({ state: 'detached' });
    });
  }, 90_000);
});

describe('node colours and badges', () => {
  it('colours nodes by category, keeps bypassed and muted nodes readable, badges in the title bar', async () => {
    await withEditor('node-colours', async (s) => {
      await openExample(s, 'Turbo: Glacier');
      await s.shot('colours-by-category');
      const ids = (await doc(s)).nodes.map((n) => n.id);
      const before = await documentText(s);
      await clickTitle(s, ids[1]!);
      await s.page.keyboard.press('Control+b');
      await changed(s, before);
      const bypassed = await documentText(s);
      await clickTitle(s, ids[2]!);
      await s.page.keyboard.press('Control+m');
      await changed(s, bypassed);
      const box = await canvasBox(s);
      await s.page.mouse.click(box.x + box.width - 40, box.y + box.height - 40);
      await s.shot('bypassed-and-muted');
      const facts = (await s.probe('canvasFacts')).nodes;
      expect(facts.find((n) => n.id === ids[1])!.mode).toBe('bypassed');
      expect(facts.find((n) => n.id === ids[2])!.mode).toBe('muted');
    });
  }, 60_000);
});

describe('links', () => {
  it('a link dropped on a port of another type says why', async () => {
    await withEditor('refused-link', async (s) => {
      const vi = await addNode(s, 'video inf', 420, 60);
      const prompt = await addNode(s, 'prompt', 40, 60);
      const before = await documentText(s);
      await drag(s, await portAt(s, prompt, 'text', 'output'), await portAt(s, vi, 'model', 'input'));
      const toast = s.page.locator('.toast', { hasText: 'takes a MODEL' });
      await toast.waitFor();
      expect(await toast.innerText()).toBe('Video Inference › Model takes a MODEL; Prompt › Text gives a PROMPT');
      expect(await documentText(s)).toBe(before);
      await s.shot('refused-link-says-why');
      await connect(s, [prompt, 'text'], [vi, 'positive']);
      await expect.poll(async () => (await doc(s)).links.length).toBe(1);
    });
  }, 60_000);
});
