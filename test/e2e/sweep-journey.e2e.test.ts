import { afterAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../app/core/document';
import { closeBrowser, withEditor, type Session } from './harness';
import { addNode, clickTitle, connect, documentText, drag, openExample, portAt, setWidget, widgetRect } from './ui';

// The whole of a sweep, as an artist does it, with gestures only: from the Turbo example, a seed ×
// CFG sweep is built on the canvas, priced before it runs (a budget set lower asks first), run on
// the sandbox into a Compare Grid that lays the nine results out by their values and plays them,
// and one cell's values are written back into the graph, leaving it without the sweep.

afterAll(closeBrowser);

const middle = (r: { x: number; y: number; width: number; height: number }) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
const docOf = async (s: Session) => JSON.parse(await documentText(s)) as GraphDocument;

describe('a sweep from start to finish', () => {
  it('builds a seed × CFG sweep, sees its price and confirms it, runs it, watches the grid and keeps one cell’s values', async () => {
    await withEditor('sweep-journey', async (s) => {
      await openExample(s, 'Turbo: Lantern'); // 1 Model, 2 positive prompt, 3 Video Inference, 4 Output, 5 Video Preview
      const vi = 3;
      // small, short clips: nine of them render on the sandbox
      for (const [name, value] of [['width', '320'], ['height', '192'], ['duration', '2'], ['numberResults', '1']] as const) await setWidget(s, vi, name, value);

      // two lists, each made from the node search and dropped on the row of the parameter it sweeps
      const seeds = await addNode(s, 'values', 400, 640);
      await setWidget(s, seeds, 'values', '1 ×3');
      await drag(s, await portAt(s, seeds, 'values', 'output'), middle(await widgetRect(s, vi, 'seed')));
      const cfg = await addNode(s, 'values', 660, 640);
      await setWidget(s, cfg, 'values', '1..2 step 0.5');
      await drag(s, await portAt(s, cfg, 'values', 'output'), middle(await widgetRect(s, vi, 'CFGScale')));
      await expect.poll(async () => (await s.probe('canvasFacts')).nodes.find((n) => n.id === vi)?.count).toBe('× 9 tasks');

      // a Compare Grid where the Video Preview was
      await clickTitle(s, 5);
      await s.page.keyboard.press('Delete');
      await expect.poll(async () => (await docOf(s)).nodes.some((n) => n.id === 5)).toBe(false);
      const grid = await addNode(s, 'compare grid', 640, 130);
      await connect(s, [vi, 'video'], [grid, 'video']);
      expect((await docOf(s)).links.filter((l) => l.to.node === grid).map((l) => [l.from.node, l.to.port])).toEqual([[vi, 'video']]);
      await s.shot('sweep-built');

      // a budget per run below what nine tasks cost: the run asks first, with the count and the total
      await s.page.click('[data-action=settings]');
      await s.page.locator('.dialog input[aria-label="Budget per run (USD)"]').fill('0.0001');
      await s.page.click('.dialog button:has-text("Save")');
      await s.page.locator('.dialog').waitFor({ state: 'detached' });
      await s.page.keyboard.press('Control+Enter');
      const confirm = s.page.locator('.dialog[aria-label="Confirm the cost of the run"]');
      await confirm.waitFor();
      const said = await confirm.innerText();
      expect(said).toMatch(/^Run 9 tasks\?/);
      expect(said).toMatch(/9 tasks, estimated total: \$\d+\.\d{4}/);
      expect(said).toContain('above the budget per run of $0.0001');
      await s.shot('price-confirmation');
      await confirm.locator('button:has-text("Run 9 tasks")').click();

      // the grid: seeds across, CFG scales down, every cell playing
      await s.page.waitForFunction(
        (id) => {
          const vs = [...document.querySelectorAll<HTMLVideoElement>(`.compare[data-node="${id}"] video`)];
          return vs.length === 9 && vs.every((v) => v.readyState >= 2 && !v.paused);
        },
        grid,
        { timeout: 150_000 },
      );
      const at = `.compare[data-node="${grid}"]`;
      expect(await s.page.locator(`${at} .compare-col`).allInnerTexts()).toEqual(['1', '2', '3']);
      expect(await s.page.locator(`${at} .compare-row`).allInnerTexts()).toEqual(['1', '1.5', '2']);
      expect(await s.page.locator(`${at} .compare-corner`).innerText()).toMatch(/Seed →\s+CFG scale ↓/);
      await s.shot('grid-playing');

      // seed 3 at CFG 1.5 is the one: its values go into the graph, and the sweep goes
      const cell = `${at} .compare-cell[data-row="1"][data-col="2"]`;
      await s.page.hover(cell);
      await s.page.click(`${cell} .compare-use`);
      await s.page.waitForFunction(() => !(JSON.parse((window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText()) as GraphDocument).nodes.some((n) => n.type === 'Values'));
      const kept = await docOf(s);
      expect(kept.nodes.find((n) => n.id === vi)!.params).toMatchObject({ seed: 3, CFGScale: 1.5 });
      expect(kept.links.some((l) => l.to.node === vi && ['seed', 'CFGScale'].includes(l.to.port))).toBe(false);
      await expect.poll(async () => (await s.probe('canvasFacts')).nodes.find((n) => n.id === vi)?.count ?? null).toBeNull();
      await s.shot('values-kept');
    });
  }, 300_000);
});
