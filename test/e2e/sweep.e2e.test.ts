import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../app/core/compile';
import { parseJson, type JsonValue } from '../../app/core/support/json';
import { loadGraph } from '../../app/core/load';
import { registry } from '../../nodes';
import { closeBrowser, withEditor, type Session } from './harness';
import { canvasBox, clickTitle, gestureRecorded, documentText, openExample, portAt, setWidget, widgetRect } from './ui';

// A sweep built by hand from the Turbo example, with gestures only: Values nodes made from the node
// search and from a parameter's dot, lists typed in place, links dropped on parameter rows. The
// canvas says what each list offers and how many tasks it makes; the Payload tab steps through the
// tasks, each equal to the compiled one; a task limit set lower stops the sweep in Problems.

afterAll(closeBrowser);

type Point = { x: number; y: number };
const middle = (r: { x: number; y: number; width: number; height: number }): Point => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
const withoutUuid = (task: JsonValue) => {
  const { taskUUID: _id, ...rest } = task as Record<string, JsonValue>;
  return rest;
};

/** Presses at `from`, moves to `to` in steps, and lets go; `during` runs while the link is held over `to`. */
async function dragTo(s: Session, from: Point, to: Point, during?: () => Promise<void>) {
  await s.page.mouse.move(from.x, from.y);
  await s.page.mouse.down();
  await s.page.mouse.move(from.x + (to.x - from.x) / 12, from.y + (to.y - from.y) / 12);
  await s.page.mouse.move(to.x, to.y, { steps: 12 });
  await during?.();
  await s.page.mouse.up();
  await gestureRecorded(s);
}

async function nodeCreated(s: Session, before: number[]): Promise<number> {
  await s.page.waitForFunction((n) => (window as unknown as { wanGraphProbe: { nodeIds(): number[] } }).wanGraphProbe.nodeIds().length > n, before.length);
  return (await s.probe('nodeIds')).find((id) => !before.includes(id))!;
}

const facts = async (s: Session, id: number) => (await s.probe('canvasFacts')).nodes.find((n) => n.id === id)!;
const widget = async (s: Session, id: number, name: string) => (await facts(s, id)).widgets.find(([w]) => w === name)![1];

/** The document's tasks, compiled as the host would: what every step of the Payload tab must show. */
async function compiledTasks(s: Session) {
  const loaded = loadGraph(await documentText(s), registry);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return compileGraph(loaded.doc, registry, { uuid: randomUUID }).tasks;
}

describe('a seed × CFG sweep, built with gestures', () => {
  it('shows the lists and the task count, steps through every payload, and stops at the task limit', async () => {
    await withEditor('sweep', async (s) => {
      await openExample(s, 'Turbo: Lantern'); // 1 Model, 2 positive prompt, 3 Video Inference, 4 Output, 5 Preview
      const vi = 3;
      const box = await canvasBox(s);

      // a Values node from the node search, its list typed in place, its output dropped on the Seed row
      let before = await s.probe('nodeIds');
      await s.page.mouse.dblclick(box.x + 640, box.y + 500);
      await s.page.locator('.search-input').fill('values');
      await s.page.keyboard.press('Enter');
      const seeds = await nodeCreated(s, before);
      await setWidget(s, seeds, 'values', '1 ×3');
      await expect.poll(() => facts(s, seeds).then((f) => f.count)).toBe('3 values');
      await dragTo(s, await portAt(s, seeds, 'values', 'output'), middle(await widgetRect(s, vi, 'seed')), () => s.shot('value-held-over-seed'));
      // the list takes the parameter's name; the Seed row says where its value comes from
      await expect.poll(() => widget(s, vi, 'seed')).toBe(`← Seed #${seeds}`);
      expect((await facts(s, vi)).count).toBe('× 3 tasks');

      // a link dragged out of CFG scale's dot and let go on empty canvas: the search offers value nodes only
      const dot = await portAt(s, vi, 'CFGScale', 'input');
      before = await s.probe('nodeIds');
      await s.page.mouse.move(dot.x + 60, dot.y); // over the row: its dot shows
      await dragTo(s, dot, { x: box.x + 640, y: box.y + 700 });
      await s.page.locator('.search-input').waitFor();
      expect(await s.page.locator('.search-title').innerText()).toBe('A list or one value for CFG scale');
      // equal matches: the shorter name first
      expect(await s.page.locator('.search-list li .search-name').allInnerTexts()).toEqual(['Values', 'Primitive']);
      await s.shot('search-from-parameter');
      await s.page.locator('.search-input').fill('values');
      await s.page.keyboard.press('Enter');
      const cfg = await nodeCreated(s, before);
      await setWidget(s, cfg, 'values', '1..2 step 0.5');
      await expect.poll(() => facts(s, vi).then((f) => f.count)).toBe('× 9 tasks');
      expect(await widget(s, vi, 'CFGScale')).toBe(`← CFG scale #${cfg}`);
      expect((await facts(s, cfg)).count).toBe('3 values');
      const doc = JSON.parse(await documentText(s)) as { links: { from: { node: number; port: string }; to: { node: number; port: string } }[] };
      expect(doc.links.filter((l) => l.to.node === vi && ['seed', 'CFGScale'].includes(l.to.port)).map((l) => [l.from.node, l.from.port, l.to.port])).toEqual([[seeds, 'values', 'seed'], [cfg, 'values', 'CFGScale']]);
      await expect.poll(() => s.page.locator('.status-bar').innerText()).toContain('9 tasks');
      await s.page.mouse.click(box.x + 500, box.y + 40); // nothing selected: Fit view takes the whole graph
      await s.page.keyboard.press('.');
      await s.shot('sweep-built');
      const linksNow = (await s.probe('canvasFacts')).links;

      // typed by what it feeds: the list of seeds dropped on Steps is refused, and says why
      await dragTo(s, await portAt(s, seeds, 'values', 'output'), middle(await widgetRect(s, vi, 'steps')));
      await expect.poll(() => s.page.locator('.toast').last().innerText()).toBe('Seed gives seeds (to Video Inference › Seed); Video Inference › Steps takes whole numbers');
      expect((await s.probe('canvasFacts')).links).toEqual(linksNow);
      expect(await widget(s, vi, 'steps')).toBe('8');

      // a value the parameter cannot take is pinned to the list and its item
      await setWidget(s, cfg, 'values', '1..2 step 0.5\n60');
      await s.page.click('[data-tab=problems]');
      await expect.poll(() => s.page.locator('.errors-list').innerText()).toContain('item 4 ("60") for node 3: CFG scale must be at most');
      expect(await s.page.locator('.errors-list .where').first().innerText()).toContain(`CFG scale #${cfg} › values`);
      expect((await facts(s, vi)).count).toBeNull(); // nothing runs: no count of tasks
      await s.shot('value-out-of-range');
      await s.page.keyboard.press('Control+z');
      await expect.poll(() => facts(s, vi).then((f) => f.count)).toBe('× 9 tasks');

      // the Payload tab, step by step: each payload is the compiled task, named by the values that made it
      const tasks = await compiledTasks(s);
      expect(tasks.map((t) => [t.task.seed, t.task.CFGScale])).toEqual([[1, 1], [1, 1.5], [1, 2], [2, 1], [2, 1.5], [2, 2], [3, 1], [3, 1.5], [3, 2]]);
      await clickTitle(s, vi);
      await s.page.click('[data-tab=inspector]');
      for (let i = 0; i < tasks.length; i++) {
        if (i) await s.page.click('button[aria-label="Next task"]');
        await expect.poll(() => s.page.locator('.task-step').innerText()).toBe(`${i + 1} / 9`);
        const [seed, scale] = [tasks[i]!.task.seed, tasks[i]!.task.CFGScale];
        expect(await s.page.locator('.task-steps .task-coordinates').innerText()).toBe(`Seed ${seed} · CFG scale ${scale}`);
        expect(withoutUuid(parseJson(await s.page.locator('pre.payload').innerText()))).toEqual(withoutUuid(tasks[i]!.task as JsonValue));
        if (i === 4) await s.shot('payload-step-5');
      }
      expect(await s.page.locator('button[aria-label="Next task"]').isDisabled()).toBe(true);
      await s.page.click('button[aria-label="Previous task"]');
      await s.page.click('button[aria-label="Previous task"]');
      await expect.poll(() => s.page.locator('.task-step').innerText()).toBe('7 / 9');
      // Copy as curl: the task shown
      const shown = parseJson(await s.page.locator('pre.payload').innerText());
      await s.page.click('button:has-text("Copy as curl")');
      const curl = await s.page.evaluate(() => navigator.clipboard.readText());
      const body = /-d '([\s\S]*)'$/.exec(curl)![1]!.replace(/'\\''/g, "'");
      expect((parseJson(body) as JsonValue[])[0]).toEqual(shown);
      expect(withoutUuid(shown)).toEqual(withoutUuid(tasks[6]!.task as JsonValue));

      // pulled off its dot, the link is gone and the Seed row shows its own value again; undo brings it back
      const box2 = await canvasBox(s);
      await dragTo(s, await portAt(s, vi, 'seed', 'input'), { x: box2.x + 40, y: box2.y + box2.height - 40 });
      await expect.poll(() => widget(s, vi, 'seed')).toBe('unset');
      expect((await facts(s, vi)).count).toBe('× 3 tasks');
      await s.page.keyboard.press('Control+z');
      await expect.poll(() => widget(s, vi, 'seed')).toBe(`← Seed #${seeds}`);

      // a limit of 5 tasks per run: Problems says so before anything is sent
      await s.page.click('[data-action=settings]');
      await s.page.locator('.dialog input[aria-label="Max tasks per run"]').fill('5');
      await s.shot('settings-limit');
      await s.page.click('.dialog button.primary');
      await s.page.click('[data-tab=problems]');
      await expect.poll(() => s.page.locator('.errors-list').innerText()).toContain('this sweep makes 9 tasks (3 × 3); a run sends at most 5 (Settings › Max tasks per run)');
      await s.shot('problems-over-limit');
      await s.page.keyboard.press('Control+Enter');
      await expect.poll(() => s.page.locator('.toast').last().innerText()).toContain('Not run: 1 problem to fix first');
      await s.page.click('[data-tab=queue]');
      expect(await s.page.locator('.queue-list li').count()).toBe(0);
    });
  }, 180_000);

  it('a Prompt List on the positive prompt: its prompts counted as they expand, one task each', async () => {
    await withEditor('sweep-prompts', async (s) => {
      await openExample(s, 'Turbo: Lantern');
      const vi = 3;
      const box = await canvasBox(s);
      const before = await s.probe('nodeIds');
      await s.page.mouse.dblclick(box.x + 640, box.y + 520);
      await s.page.locator('.search-input').fill('sweep'); // the category: its three nodes
      expect((await s.page.locator('.search-list li .search-name').allInnerTexts()).slice(0, 3).sort()).toEqual(['Primitive', 'Prompt List', 'Values']);
      await s.page.locator('.search-input').fill('prompt list');
      await s.page.keyboard.press('Enter');
      const list = await nodeCreated(s, before);
      await setWidget(s, list, 'prompts', 'A paper lantern drifts over a {rain-slicked|snowy} market street at dusk, handheld camera\nA child in a yellow raincoat runs between food stalls, steam rising, warm light\nLanterns sway over a {crowded|quiet} alley at {dusk|night}, slow push-in');
      await expect.poll(() => facts(s, list).then((f) => f.count)).toBe('7 prompts (2 lines expanded)');
      // the pointer resting on it: the prompts as they will run
      const title = await s.probe('titlePosition', list);
      await s.page.mouse.move(title.x, title.y + 60);
      await expect.poll(() => s.page.locator('.tooltip').innerText()).toContain('2. A paper lantern drifts over a snowy market street at dusk, handheld camera');
      expect((await s.page.locator('.tooltip div').allInnerTexts()).length).toBe(8);
      await s.shot('prompt-list-items');
      await dragTo(s, await portAt(s, list, 'prompt', 'output'), await portAt(s, vi, 'positive', 'input'));
      await expect.poll(() => facts(s, vi).then((f) => f.count)).toBe('× 7 tasks');
      expect((await facts(s, list)).title).toBe('Positive prompt'); // named for the input it feeds, as prompts are
      await s.page.mouse.click(box.x + 500, box.y + 40);
      await s.page.keyboard.press('.');
      await clickTitle(s, vi);
      await s.page.click('[data-tab=inspector]');
      await s.page.click('button[aria-label="Next task"]');
      await expect.poll(() => s.page.locator('.task-steps .task-coordinates').innerText()).toBe('Positive prompt “A paper lantern drifts over a snowy market stre…”');
      expect((parseJson(await s.page.locator('pre.payload').innerText()) as Record<string, unknown>).positivePrompt).toBe('A paper lantern drifts over a snowy market street at dusk, handheld camera');
      await s.shot('prompt-list');
    });
  }, 120_000);
});
