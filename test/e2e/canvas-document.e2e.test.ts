import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGraph } from '../../app/core/load';
import { registry } from '../../nodes';
import { closeBrowser, withEditor, type Session } from './harness';
import { canvasBox } from './ui';
import { differences } from './view-facts';

// The canvas is a function of the document: opening a graph over another (examples, a restored
// result; each in a tab of its own) leaves exactly the new document on the canvas, and so does
// switching back to a tab; the next click changes nothing, saving writes the file it came from
// byte for byte, and previews show only their own graph's results.

afterAll(closeBrowser);

/** Pairs of nodes drawn over one another, title bars included. */
const overlaps = async (s: Session) => {
  const title = 30;
  const boxes = (await s.probe('canvasFacts')).nodes.map((n) => ({ id: n.id, x: n.pos[0], y: n.pos[1] - title, w: n.size[0], h: n.size[1] + title }));
  return boxes.flatMap((a, k) => boxes.slice(k + 1).filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).map((b) => `${a.id} and ${b.id}`));
};

/** Links drawn elsewhere than between their ports (drawn before the ports were placed, say). */
const linksAwayFromPorts = async (s: Session) =>
  (await s.probe('linkMiddles')).filter((l) => Math.hypot(l.drawn[0] - l.ports[0], l.drawn[1] - l.ports[1]) > 2).map((l) => l.link);

const EXAMPLES = readdirSync('graphs')
  .filter((f) => f.endsWith('.wgraph.json'))
  .sort()
  .map((f) => ({ file: join('graphs', f), text: readFileSync(join('graphs', f), 'utf8'), name: (JSON.parse(readFileSync(join('graphs', f), 'utf8')) as { name: string }).name }));
const example = (part: string) => EXAMPLES.find((e) => e.name.includes(part))!;

/** What the canvas holds against what the document says: every difference, none expected. */
async function canvasDifferences(s: Session): Promise<string[]> {
  const loaded = loadGraph(await s.probe('documentText'), registry);
  if (!loaded.ok) throw new Error('the document does not load');
  return differences(loaded.doc, registry, await s.probe('canvasFacts'));
}

const docName = (s: Session) => s.probe('documentText').then((t) => (JSON.parse(t) as { name?: string }).name);

/** Clicks a tab in the strip, then waits until it is in front. */
async function switchTo(s: Session, id: string): Promise<void> {
  await s.page.locator(`.doc-tab[data-tab="${id}"]`).click();
  await expect.poll(async () => (await s.probe('tabs')).find((t) => t.active)?.id).toBe(id);
}

/** Examples → the example, then waits until it is the open document. */
async function openExampleOver(s: Session, name: string): Promise<void> {
  await s.page.click('[data-action=examples]');
  await s.page.locator('.menu button', { hasText: name }).first().click();
  await expect.poll(() => docName(s)).toBe(name);
}

/** Save as… to a path; returns the bytes written. */
async function saveAs(s: Session, path: string): Promise<string> {
  await s.page.click('[data-action=save-as]');
  await s.page.locator('.dialog input[aria-label="File path"]').fill(path);
  await s.page.click('.dialog button.primary');
  await expect.poll(() => s.probe('documentText').then(() => readFile(path, 'utf8').then(() => true, () => false))).toBe(true);
  await expect.poll(() => s.page.locator('.status-bar').innerText()).toMatch(/\bsaved\b/);
  return readFile(path, 'utf8');
}

/** Every ordered pair of examples once: an Euler circuit of the complete directed graph on them. */
function everyPair(n: number): number[] {
  const used = new Set<string>();
  const walk: number[] = [];
  const visit = (a: number) => {
    for (let b = 0; b < n; b++) {
      if (b === a || used.has(`${a}>${b}`)) continue;
      used.add(`${a}>${b}`);
      visit(b);
    }
    walk.push(a);
  };
  visit(0);
  return walk.reverse();
}

describe('opening a graph over another', () => {
  it('shows the new graph exactly; a click on empty canvas changes nothing; saving writes the example back', async () => {
    await withEditor('open-over', async (s) => {
      await s.page.click('[data-action=new]');
      await openExampleOver(s, example('Submerged').name);
      await openExampleOver(s, example('Lantern').name);
      await s.shot('lantern-over-cathedral');
      expect(await canvasDifferences(s)).toEqual([]);

      const before = await s.probe('documentText');
      const box = await canvasBox(s);
      await s.page.mouse.click(box.x + box.width - 60, box.y + box.height - 60);
      await s.page.waitForTimeout(100); // a gesture is read back right after the pointer is released
      expect(await s.probe('documentText')).toBe(before);
      expect(await s.page.locator('.status-bar').innerText()).toContain('no errors');
      expect(await saveAs(s, join(s.home, 'lantern.wgraph.json'))).toBe(example('Lantern').text);

      // an edit undone leaves the canvas as the document again
      const r = await s.probe('widgetRect', 3, 'steps');
      await s.page.mouse.click(r.x + r.width - 8, r.y + r.height / 2);
      await expect.poll(() => s.probe('documentText')).not.toBe(before);
      await s.page.locator('#canvas').focus();
      await s.page.keyboard.press('Control+z');
      expect(await s.probe('documentText')).toBe(before);
      expect(await canvasDifferences(s)).toEqual([]);
      await s.shot('edited-and-undone');
    });
  }, 60_000);

  it('opens every example over every other one, and each saves back byte for byte', async () => {
    await withEditor('every-example', async (s) => {
      const walk = everyPair(EXAMPLES.length);
      expect(walk).toHaveLength(EXAMPLES.length * (EXAMPLES.length - 1) + 1);
      const shown = new Set<number>();
      for (const [step, i] of walk.entries()) {
        const ex = EXAMPLES[i]!;
        await openExampleOver(s, ex.name);
        expect(await canvasDifferences(s), `${ex.name}, step ${step}`).toEqual([]);
        // (once the next frame is drawn)
        await expect.poll(() => linksAwayFromPorts(s), { message: `${ex.name}, step ${step}`, timeout: 3000 }).toEqual([]);
        if (!shown.has(i)) expect(await overlaps(s), `${ex.name}: nodes over one another`).toEqual([]);
        if (!shown.has(i)) await s.shot(`${ex.file.replace(/^graphs\/|\.wgraph\.json$/g, '')}-over-${EXAMPLES[walk[step - 1] ?? i]!.file.replace(/^graphs\/|-.*$/g, '')}`);
        shown.add(i);
        expect(await saveAs(s, join(s.home, `step-${step}.wgraph.json`)), `${ex.name} saved at step ${step}`).toBe(ex.text);
      }
      // ten saves in a row leave a few messages, not a column of them over the side panel
      expect(await s.page.locator('.toast').count()).toBeLessThanOrEqual(3);
      // each opened in a tab of its own: back to every one of them, in a scattered order
      const opened = await s.probe('tabs');
      expect(opened).toHaveLength(walk.length);
      for (const k of walk.keys()) {
        const at = (k * 5) % opened.length; // 5 never divides n(n-1)+1 tabs, so every tab comes once
        await switchTo(s, opened[at]!.id);
        expect(await canvasDifferences(s), `back to ${EXAMPLES[walk[at]!]!.name} (tab ${at})`).toEqual([]);
        expect(await s.probe('documentText').then((t) => (JSON.parse(t) as { name: string }).name)).toBe(EXAMPLES[walk[at]!]!.name);
      }
      await s.shot('switched-back');
    });
  }, 240_000);

  it('restores a result over a different graph, and the preview never shows another graph’s results', async () => {
    await withEditor('restore-over', async (s) => {
      const glacier = example('Glacier');
      await openExampleOver(s, glacier.name);
      await s.page.keyboard.press('Control+Enter');
      await s.page.locator('.preview video').first().waitFor({ timeout: 60_000 });
      await s.shot('glacier-played');

      // New, then Aurora: its Video Preview shows nothing (it was never run), not Glacier's video
      await s.page.click('[data-action=new]');
      const discard = s.page.locator('.dialog button:has-text("Don’t save")');
      if (await discard.isVisible()) await discard.click();
      await openExampleOver(s, example('Aurora').name);
      await s.page.waitForTimeout(300); // previews follow on the next frames
      expect(await s.probe('previewFiles')).toEqual([{ nodeId: 6, files: [] }]);
      expect(await s.page.locator('.preview[data-node="6"]').innerText()).toContain('Run the graph');
      await s.shot('aurora-preview-empty');

      // History → Restore graph: Glacier comes back over Aurora, exactly
      await s.page.click('[data-tab=history]');
      await s.page.locator('.history-list button:has-text("Restore graph")').first().click();
      await expect.poll(() => docName(s)).toBe(glacier.name);
      expect(await canvasDifferences(s)).toEqual([]);
      await s.shot('glacier-restored');
      expect(await saveAs(s, join(s.home, 'glacier.wgraph.json'))).toBe(glacier.text);

      // with the three tabs open, each preview keeps to its own graph: the restored one was never run
      // here, Glacier's tab still plays its result, Aurora's shows none
      const [glacierTab, auroraTab, restoredTab] = await s.probe('tabs');
      expect(restoredTab!.active).toBe(true);
      await s.page.waitForTimeout(300);
      expect((await s.probe('previewFiles')).flatMap((p) => p.files)).toEqual([]);
      await switchTo(s, glacierTab!.id);
      await expect.poll(async () => (await s.probe('previewFiles')).flatMap((p) => p.files).length).toBeGreaterThan(0);
      expect(await canvasDifferences(s)).toEqual([]);
      await s.shot('glacier-tab-keeps-its-result');
      await switchTo(s, auroraTab!.id);
      await s.page.waitForTimeout(300);
      expect(await s.probe('previewFiles')).toEqual([{ nodeId: 6, files: [] }]);
      expect(await canvasDifferences(s)).toEqual([]);
    });
  }, 120_000);
});
