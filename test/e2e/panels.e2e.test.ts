import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor, type Session } from './harness';
import { canvasBox, clickTitle, connect, documentText, addNode, openExample, setWidget, stepWidget, widgetRect } from './ui';

// The side panel and the canvas beside it, the editors' limits, dialogs and their keys, paste
// with links, and what the panels say — as an artist meets them at 1400 × 900.

afterAll(closeBrowser);

const box = async (s: Session, selector: string) => (await s.page.locator(selector).boundingBox())!;
const nodesOf = async (s: Session) => JSON.parse(await documentText(s)) as { nodes: { id: number; type: string; params: Record<string, unknown> }[]; links: { from: { node: number; port: string }; to: { node: number; port: string } }[] };

/** Every node's title, widgets and preview are inside the canvas, which ends where the panel begins. */
async function expectAllVisible(s: Session) {
  const canvas = await canvasBox(s);
  const sidebar = await box(s, '#sidebar');
  expect(canvas.x + canvas.width).toBeLessThanOrEqual(sidebar.x + 0.5);
  const inside = (x: number, y: number, what: string) => {
    expect(x, `${what} x`).toBeGreaterThanOrEqual(canvas.x);
    expect(x, `${what} x`).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(y, `${what} y`).toBeGreaterThanOrEqual(canvas.y);
    expect(y, `${what} y`).toBeLessThanOrEqual(canvas.y + canvas.height);
  };
  for (const n of (await nodesOf(s)).nodes) {
    const t = await s.probe('titlePosition', n.id);
    inside(t.x, t.y, `node ${n.id} title`);
    for (const name of Object.keys(n.params)) {
      const r = await widgetRect(s, n.id, name).catch(() => undefined);
      if (!r) continue;
      inside(r.x, r.y, `${n.id}.${name}`);
      inside(r.x + r.width, r.y + r.height, `${n.id}.${name}`);
    }
    if (n.type === 'VideoPreview') {
      const p = await box(s, `.preview[data-node="${n.id}"]`);
      inside(p.x, p.y, 'preview');
      inside(p.x + p.width, p.y + p.height, 'preview');
    }
  }
}

describe('side panel and fit view', () => {
  it('opens a graph whole and readable beside the panel; the panel resizes, collapses, and is remembered', async () => {
    await withEditor('side-panel', async (s) => {
      await openExample(s, 'Lantern Market');
      await s.page.locator('.preview[data-node="5"]').waitFor();
      await s.shot('opened');
      await expectAllVisible(s);
      // litegraph draws text from 0.6: a graph that fits at a readable zoom is shown readable
      expect((await s.probe('viewport')).scale).toBeGreaterThanOrEqual(0.6);

      // drag the panel's edge 200 px to the left: the panel widens, the canvas ends where it begins
      const before = await box(s, '#sidebar');
      const edge = await box(s, '.splitter');
      await s.page.mouse.move(edge.x + edge.width / 2, edge.y + 200);
      await s.page.mouse.down();
      await s.page.mouse.move(edge.x + edge.width / 2 - 100, edge.y + 200, { steps: 5 });
      await s.page.mouse.move(edge.x + edge.width / 2 - 200, edge.y + 200, { steps: 5 });
      await s.page.mouse.up();
      const wide = await box(s, '#sidebar');
      expect(Math.round(wide.width - before.width)).toBe(200);
      await s.page.keyboard.press('.');
      await s.page.waitForTimeout(100);
      await s.shot('panel-wider-fit');
      await expectAllVisible(s);

      // collapse: the canvas takes the room; the state and the width survive a reload
      await s.page.click('[data-action=togglePanel]');
      expect((await box(s, '#sidebar')).width).toBeLessThan(40);
      expect((await canvasBox(s)).width).toBeGreaterThan(1300);
      await s.shot('collapsed');
      await s.reopen();
      expect((await box(s, '#sidebar')).width).toBeLessThan(40);
      await s.page.click('[data-action=togglePanel]');
      expect(Math.round((await box(s, '#sidebar')).width)).toBe(Math.round(wide.width));
      await s.shot('expanded-after-reload');
    });
  }, 120_000);

  it('fit view zooms out below the readable zoom only when the graph needs it', async () => {
    await withEditor('fit-view-large', async (s) => {
      await openExample(s, 'Aurora');
      expect((await s.probe('viewport')).scale).toBeGreaterThanOrEqual(0.6);
      await s.page.keyboard.press('.');
      expect((await s.probe('viewport')).scale).toBeGreaterThanOrEqual(0.6);
      // zoomed far out, a node added at the corner lies far from the rest: the graph no longer fits at a readable zoom
      const canvas = await canvasBox(s);
      await s.page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
      for (let i = 0; i < 12; i++) await s.page.mouse.wheel(0, 400);
      expect((await s.probe('viewport')).scale).toBeLessThan(0.3);
      await addNode(s, 'lora', 30, 30);
      await s.page.mouse.click(canvas.x + canvas.width - 20, canvas.y + canvas.height - 20); // nothing selected: fit every node
      await s.page.keyboard.press('.');
      await s.page.waitForTimeout(100);
      await s.shot('large-graph-fit');
      expect((await s.probe('viewport')).scale).toBeLessThan(0.6);
      await expectAllVisible(s);
      // litegraph draws no text at this zoom; every node still says what it is in its title bar, and its id (the queue and the Problems list name nodes by it)
      const titles = (await s.probe('canvasFacts')).nodes.flatMap((n) => [n.title, `#${n.id}`]);
      await s.page.evaluate(() => {
        const drawn: string[] = ((window as unknown as { drawnTexts: string[] }).drawnTexts = []);
        const fill = CanvasRenderingContext2D.prototype.fillText;
        CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
          drawn.push(text);
          return fill.call(this, text, ...rest);
        };
      });
      await s.page.keyboard.press('.');
      await expect.poll(() => s.page.evaluate(() => (window as unknown as { drawnTexts: string[] }).drawnTexts.length)).toBeGreaterThan(0);
      const drawn = await s.page.evaluate(() => (window as unknown as { drawnTexts: string[] }).drawnTexts);
      for (const title of titles) expect(drawn).toContain(title);
    });
  }, 120_000);
});

describe('editors, dialogs and messages', () => {
  it('limits follow the model; the value editor says why and Escape leaves; every dialog takes Enter and Escape; Ctrl+, opens Settings', async () => {
    await withEditor('limits-dialogs', async (s) => {
      await openExample(s, 'Lantern Market'); // Turbo: 3 is its Video Inference, Results 2
      const results = async () => (await nodesOf(s)).nodes.find((n) => n.id === 3)!.params.numberResults;
      for (let i = 0; i < 4; i++) await stepWidget(s, 3, 'numberResults', 1);
      await expect.poll(results).toBe(4);
      // typing 10: refused with the reason, Enter does not commit it, Escape always leaves
      const r = await widgetRect(s, 3, 'numberResults');
      await s.page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
      await s.page.locator('.value-editor .value-input').fill('10');
      await s.page.keyboard.press('Enter');
      await expect.poll(() => s.page.locator('.value-editor .value-problem').innerText()).toMatch(/at most 4.*Esc/);
      await expect.poll(() => s.page.locator('.value-editor .value-hint').innerText()).toContain('1–4');
      await s.shot('value-editor-refuses');
      await s.page.click('.value-editor button:has-text("OK")'); // focus now on a button
      await s.page.keyboard.press('Escape');
      await s.page.locator('.value-editor').waitFor({ state: 'detached' });
      expect(await results()).toBe(4);

      // Ctrl+, opens Settings in browser mode; Escape cancels, Enter saves
      await s.page.locator('#canvas').focus();
      await s.page.keyboard.press('Control+,');
      await s.page.locator('.dialog[aria-label=Settings]').waitFor();
      await s.shot('settings');
      await s.page.keyboard.press('Escape');
      await s.page.locator('.dialog-backdrop').waitFor({ state: 'detached' });
      await s.page.keyboard.press('Control+,');
      await s.page.locator('.dialog input[aria-label="Concurrency"]').fill('3');
      await s.page.keyboard.press('Enter');
      await s.page.locator('.dialog-backdrop').waitFor({ state: 'detached' });
      // saved: the dialog opened again shows it (the host answers the save asynchronously)
      await expect
        .poll(async () => {
          await s.page.keyboard.press('Control+,');
          const value = await s.page.locator('.dialog input[aria-label="Concurrency"]').inputValue();
          await s.page.keyboard.press('Escape');
          await s.page.locator('.dialog-backdrop').waitFor({ state: 'detached' });
          return value;
        })
        .toBe('3');

      // the confirm dialog: Escape keeps the tab, Enter saves (the file dialog takes Enter too)
      await s.page.keyboard.press('Alt+w');
      await s.page.locator('.dialog:has-text("Save changes")').waitFor();
      await s.shot('confirm');
      await s.page.keyboard.press('Escape');
      await s.page.locator('.dialog-backdrop').waitFor({ state: 'detached' });
      expect(await s.probe('tabs')).toHaveLength(1);
      await s.page.keyboard.press('Alt+w');
      await s.page.locator('.dialog:has-text("Save changes")').waitFor();
      await s.page.keyboard.press('Enter');
      const path = `${s.home}/lantern.wgraph.json`;
      await s.page.locator('.dialog input[aria-label="File path"]').fill(path);
      await s.page.keyboard.press('Enter');
      await expect.poll(async () => (await s.probe('tabs')).map((t) => t.path)).toEqual([null]);
      await expect.poll(() => s.page.locator('.toast').last().innerText()).toContain('Saved');
      await s.shot('saved-and-closed');
    });
  }, 120_000);

  it('Ctrl+Shift+V pastes keeping input links, undoably; the payload panel says what a node adds and what curl cannot carry', async () => {
    await withEditor('paste-links-payload', async (s) => {
      await openExample(s, 'Aurora'); // 1 Model, 2 positive, 3 negative, 4 frame image, 5 Video Inference, 6 Preview
      await clickTitle(s, 5);
      await s.page.keyboard.press('Control+c');
      const canvas = await canvasBox(s);
      await s.page.mouse.move(canvas.x + 60, canvas.y + canvas.height - 120);
      const before = await s.probe('nodeIds');
      await s.page.keyboard.press('Control+Shift+V');
      await expect.poll(async () => (await s.probe('nodeIds')).length).toBe(before.length + 1);
      const pasted = (await s.probe('nodeIds')).find((id) => !before.includes(id))!;
      const into = (doc: Awaited<ReturnType<typeof nodesOf>>, id: number) => doc.links.filter((l) => l.to.node === id).map((l) => `${l.from.node}.${l.from.port}>${l.to.port}`).sort();
      const doc = await nodesOf(s);
      expect(into(doc, pasted)).toEqual(into(doc, 5));
      expect(into(doc, pasted)).toHaveLength(4);
      await s.page.keyboard.press('.');
      await s.shot('pasted-with-links');
      await s.page.keyboard.press('Control+z');
      await expect.poll(async () => (await s.probe('nodeIds')).length).toBe(before.length);

      // a frame image that is a file on this machine: Copy as curl says it is uploaded at run time
      await s.page.keyboard.press('.');
      await setWidget(s, 4, 'image', '/home/artist/first-frame.png');
      await clickTitle(s, 5);
      await s.page.click('[data-tab=inspector]');
      await expect.poll(() => s.page.locator('.local-images').innerText()).toContain('/home/artist/first-frame.png) is a file on this machine: uploaded when the task runs');
      await s.page.click('button:has-text("Copy as curl")');
      const curl = await s.page.evaluate(() => navigator.clipboard.readText());
      expect(curl).toContain('"image":"IMAGE_UUID_1"');
      expect(curl).toMatch(/^# IMAGE_UUID_1: \/home\/artist\/first-frame.png is a file on this machine/);
      await s.shot('payload-local-image');

      // a node wired in with every value unset adds nothing; it does not "feed no task"
      const acc = await addNode(s, 'accelerator', 80, 80);
      await s.page.keyboard.press('.');
      await connect(s, [acc, 'acceleration'], [5, 'acceleration']);
      await clickTitle(s, acc);
      await expect.poll(() => s.page.locator('.tab-body .empty-note').innerText()).toContain('adds nothing to it: its values are all unset');
      await s.shot('payload-adds-nothing');
    });
  }, 120_000);

  it('a result reused from the cache is listed once in History and says so', async () => {
    await withEditor('reused-result', async (s) => {
      await openExample(s, 'Aurora'); // its seed is fixed: the second run sends the same payload
      await s.page.keyboard.press('Control+Enter');
      await s.page.click('[data-tab=queue]');
      await expect.poll(() => s.page.locator('.queue-list li').first().getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
      await s.page.keyboard.press('Control+Enter'); // the same payload (fixed seed): reused, not paid again
      await expect.poll(() => s.page.locator('.queue-list li').count()).toBe(2);
      await expect.poll(() => s.page.locator('.queue-list li').first().innerText()).toContain('reused from cache, not paid again');
      await expect.poll(() => s.page.locator('.preview[data-node="6"] .preview-reused').count()).toBe(1);
      await s.page.click('[data-tab=history]');
      const entries = s.page.locator('.history-list li');
      const files = await s.page.evaluate(() => [...document.querySelectorAll('.history-list video')].map((v) => v.getAttribute('src')));
      expect(new Set(files).size).toBe(files.length);
      await expect.poll(() => entries.first().innerText()).toContain('reused from cache by 1 later run');
      await s.shot('history-reused-once');
    });
  }, 120_000);
});
