import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Probe } from '../../app/renderer/probe-types';
import { closeBrowser, withEditor, type Session } from './harness';
import { addNode, canvasBox, clickTitle, documentText, openByDialog, openExample, stepWidget } from './ui';

// Workflow tabs: several graphs open at once, each with its own document, history, viewport,
// selection and unsaved marker; runs land in the tab they came from; closing asks before unsaved
// work is lost; the tabs come back after a reload; Ctrl+Tab, Ctrl+Shift+Tab and Ctrl+W.

afterAll(closeBrowser);

type TabInfo = ReturnType<Probe['tabs']>[number];
const tabs = (s: Session) => s.probe('tabs');
const active = async (s: Session) => (await tabs(s)).find((t) => t.active)!;
const titles = async (s: Session) => (await tabs(s)).map((t) => t.title);
const tabEl = (s: Session, t: Pick<TabInfo, 'id'>) => s.page.locator(`.doc-tab[data-tab="${t.id}"]`);
const VOLCANIC = resolve('graphs/volcanic-salt-flats-procession.wgraph.json');

/** Waits until the page's tabs satisfy `check`. */
async function waitTabs(s: Session, check: (tabs: TabInfo[]) => boolean, timeout = 10_000) {
  await expect.poll(async () => check(await tabs(s)), { timeout }).toBe(true);
}

describe('workflow tabs', () => {
  it('keeps each tab’s document, history, viewport, selection and unsaved marker; a file already open switches to its tab', async () => {
    await withEditor('tabs-switch', async (s) => {
      expect(await titles(s)).toEqual(['Untitled']);
      // the untouched first tab gives way to the first graph opened
      await openExample(s, 'Aurora');
      expect(await titles(s)).toEqual(['Aurora Ice Caravan Crossing']);
      await stepWidget(s, 5, 'steps', 1);
      await clickTitle(s, 1);
      const box = await canvasBox(s);
      await s.page.mouse.move(box.x + box.width - 60, box.y + box.height - 60);
      await s.page.mouse.wheel(0, 240); // zoom out a little
      await expect.poll(async () => (await s.probe('viewport')).scale).toBeLessThan(1);
      const aurora = { text: await documentText(s), viewport: await s.probe('viewport'), selection: await s.probe('selectedIds') };
      expect(aurora.selection).toEqual([1]);
      const a = await active(s);
      expect(a).toMatchObject({ dirty: true, canUndo: true });

      await openExample(s, 'Lantern');
      await openByDialog(s, VOLCANIC);
      await waitTabs(s, (t) => t.length === 3);
      expect(await titles(s)).toEqual(['Aurora Ice Caravan Crossing', 'Turbo: Lantern Market at Dusk (text to video)', 'Volcanic Salt Flats Procession']);
      const [, lantern, volcanic] = await tabs(s);
      expect(volcanic).toMatchObject({ active: true, dirty: false, canUndo: false, path: VOLCANIC });
      expect(JSON.parse(await documentText(s)).name).toBe('Volcanic Salt Flats Procession');
      await s.shot('three-tabs');

      // the same file again: its tab comes to the front, no second tab
      await tabEl(s, lantern!).click();
      await openByDialog(s, VOLCANIC);
      await waitTabs(s, (t) => t.find((x) => x.active)?.id === volcanic!.id);
      expect((await tabs(s)).length).toBe(3);

      // back to Aurora: its edited document, its viewport, its selection, its undo
      await tabEl(s, a).click();
      await waitTabs(s, (t) => t.find((x) => x.active)?.id === a.id);
      expect(await documentText(s)).toBe(aurora.text);
      expect(await s.probe('viewport')).toEqual(aurora.viewport);
      expect(await s.probe('selectedIds')).toEqual([1]);
      expect(await tabEl(s, a).locator('.doc-tab-dirty').count()).toBe(1);
      expect(await tabEl(s, volcanic!).locator('.doc-tab-dirty').count()).toBe(0);
      await s.shot('back-to-aurora');
      await s.page.keyboard.press('Control+z');
      await waitTabs(s, (t) => t.find((x) => x.active)?.dirty === false);
      expect(JSON.parse(await documentText(s)).nodes.find((n: { id: number }) => n.id === 5).params.steps).toBe(JSON.parse(aurora.text).nodes.find((n: { id: number }) => n.id === 5).params.steps - 1);
      // the other tabs were not touched by that undo
      expect((await tabs(s)).filter((t) => t.canUndo)).toEqual([]);
    });
  }, 120_000);

  it('a run keeps going in its own tab: the result lands in its node, never in another tab’s node with the same id', async () => {
    await withEditor('tabs-run', async (s) => {
      await openExample(s, 'Aurora');
      const aurora = await active(s);
      await openExample(s, 'Submerged');
      const cathedral = await active(s);
      // both graphs have a Video Preview node 6 fed by Video Inference node 5
      await tabEl(s, aurora).click();
      await waitTabs(s, (t) => t.find((x) => x.active)?.id === aurora.id);
      await s.page.keyboard.press('Control+Enter');
      await waitTabs(s, (t) => !!t.find((x) => x.id === aurora.id)?.running);
      await s.page.keyboard.press('Control+Tab');
      await waitTabs(s, (t) => t.find((x) => x.active)?.id === cathedral.id);
      await tabEl(s, aurora).locator('.doc-tab-badge').waitFor();
      await s.shot('running-in-background');
      await waitTabs(s, (t) => !t.find((x) => x.id === aurora.id)?.running, 60_000);
      // Submerged Cathedral's preview has nothing to show
      await s.page.locator('.preview[data-node="6"] .preview-empty').waitFor();
      expect(await s.page.locator('.preview video').count()).toBe(0);
      await s.shot('other-tab-no-result');
      await s.page.keyboard.press('Control+Shift+Tab');
      await waitTabs(s, (t) => t.find((x) => x.active)?.id === aurora.id);
      const video = s.page.locator('.preview[data-node="6"] video');
      await video.waitFor({ timeout: 20_000 });
      const auroraText = await documentText(s);
      const seed = JSON.parse(auroraText).nodes.find((n: { id: number }) => n.id === 5).params.seed;
      expect(await video.getAttribute('data-seed')).toBe(String(seed));
      await s.shot('result-in-its-tab');
      // and back again: still nothing in the other tab's node 6
      await s.page.keyboard.press('Control+Tab');
      await waitTabs(s, (t) => t.find((x) => x.active)?.id === cathedral.id);
      await s.page.locator('.preview[data-node="6"] .preview-empty').waitFor();
      expect(await s.page.locator('.preview video').count()).toBe(0);

      // Restore graph (from History) opens the result's graph in a tab of its own, unsaved
      await s.page.click('[data-tab=history]');
      await s.page.locator('.history-list button:has-text("Restore graph")').first().click();
      await waitTabs(s, (t) => t.length === 3 && t[2]!.active && t[2]!.dirty);
      expect(JSON.parse(await documentText(s)).nodes).toEqual(JSON.parse(auroraText).nodes);
      expect((await tabs(s)).slice(0, 2).map((t) => t.id)).toEqual([aurora.id, cathedral.id]);
    });
  }, 120_000);

  it('closing a tab with unsaved changes asks first; Ctrl+W, Ctrl+Tab, Ctrl+Shift+Tab and a middle click', async () => {
    await withEditor('tabs-close', async (s) => {
      await openExample(s, 'Aurora');
      await openExample(s, 'Lantern');
      const [aurora, lantern] = await tabs(s);
      await stepWidget(s, 3, 'steps', 1);
      await waitTabs(s, (t) => !!t.find((x) => x.id === lantern!.id)?.dirty);

      await s.page.keyboard.press('Control+w');
      await s.page.locator('.dialog:has-text("Save changes to")').waitFor();
      await s.shot('close-asks');
      await s.page.click('.dialog button:has-text("Cancel")');
      expect((await tabs(s)).map((t) => t.id)).toEqual([aurora!.id, lantern!.id]);
      await s.page.keyboard.press('Control+w');
      await s.page.click('.dialog button:has-text("Don’t save")');
      await waitTabs(s, (t) => t.length === 1 && t[0]!.id === aurora!.id && t[0]!.active);

      // the close button of a tab that is not in front, with unsaved changes: it comes forward and asks
      await s.page.click('[data-action=new]');
      await waitTabs(s, (t) => t.length === 2);
      await tabEl(s, aurora!).click();
      await stepWidget(s, 5, 'steps', 1);
      await s.page.click('[data-action=new]');
      await waitTabs(s, (t) => t.length === 3);
      // a new tab opens beside the one in front
      const [, newest, older] = await tabs(s);
      expect(newest!.active).toBe(true);
      await tabEl(s, aurora!).locator('.doc-tab-close').click();
      await s.page.locator('.dialog:has-text("Save changes to")').waitFor();
      expect((await active(s)).id).toBe(aurora!.id);
      await s.shot('close-button-asks');
      await s.page.click('.dialog button:has-text("Cancel")');

      // Ctrl+Tab round the end, Ctrl+Shift+Tab back
      await s.page.keyboard.press('Control+Tab');
      expect((await active(s)).id).toBe(newest!.id);
      await s.page.keyboard.press('Control+Tab');
      expect((await active(s)).id).toBe(older!.id);
      await s.page.keyboard.press('Control+Tab');
      expect((await active(s)).id).toBe(aurora!.id);
      await s.page.keyboard.press('Control+Shift+Tab');
      expect((await active(s)).id).toBe(older!.id);
      // in a browser that keeps Ctrl+Tab and Ctrl+W for itself, the Alt keys do the same
      await s.page.keyboard.press('Alt+PageUp');
      expect((await active(s)).id).toBe(newest!.id);

      // a middle click closes a tab without unsaved changes at once
      await tabEl(s, older!).click({ button: 'middle' });
      await waitTabs(s, (t) => t.length === 2 && !t.some((x) => x.id === older!.id));
      await s.page.keyboard.press('Alt+w');
      await waitTabs(s, (t) => t.length === 1 && t[0]!.id === aurora!.id);
      // the last tab closed leaves an empty one
      await s.page.keyboard.press('Control+w');
      await s.page.click('.dialog button:has-text("Don’t save")');
      await waitTabs(s, (t) => t.length === 1 && t[0]!.title === 'Untitled' && !t[0]!.dirty);
      expect(await s.probe('nodeIds')).toEqual([]);
    });
  }, 120_000);

  it('a reload brings the tabs back: files and untitled graphs, their order and the one in front', async () => {
    await withEditor('tabs-reload', async (s) => {
      await openExample(s, 'Aurora');
      await openByDialog(s, VOLCANIC);
      await waitTabs(s, (t) => t.length === 2);
      await s.page.click('[data-action=new]');
      await waitTabs(s, (t) => t.length === 3);
      await addNode(s, 'prompt', 300, 200);
      const untitled = await documentText(s);
      const before = await tabs(s);
      await tabEl(s, before[1]!).click();
      await waitTabs(s, (t) => t[1]!.active);
      const zoom = (await s.probe('viewport')).scale;
      // what the host keeps: the session names the three tabs with Volcanic in front, the untitled one is kept unsaved
      await expect
        .poll(async () => {
          const session = JSON.parse(await readFile(join(s.home, 'autosave', 'session.json'), 'utf8').catch(() => '{}')) as { ids?: string[]; active?: string };
          const meta = JSON.parse(await readFile(join(s.home, 'autosave', 'tabs', `${before[2]!.id}.meta.json`), 'utf8').catch(() => '{}')) as { dirty?: boolean };
          return session.ids?.join() === before.map((t) => t.id).join() && session.active === before[1]!.id && meta.dirty === true;
        }, { timeout: 10_000 })
        .toBe(true);
      await s.shot('before-reload');

      await s.reopen();
      await s.page.locator('.dialog[aria-label="Recover unsaved work?"]').waitFor();
      await s.shot('recover-offered');
      await s.page.click('.dialog button:has-text("Recover")');
      await waitTabs(s, (t) => t.length === 3);
      const after = await tabs(s);
      expect(after.map(({ id, title, path, dirty }) => ({ id, title, path, dirty }))).toEqual(before.map(({ id, title, path, dirty }) => ({ id, title, path, dirty })));
      expect(after.find((t) => t.active)!.id).toBe(before[1]!.id);
      expect(JSON.parse(await documentText(s)).name).toBe('Volcanic Salt Flats Procession');
      expect((await s.probe('viewport')).scale).toBe(zoom);
      await tabEl(s, after[2]!).click();
      await waitTabs(s, (t) => t[2]!.active);
      expect(await documentText(s)).toBe(untitled);
      await s.shot('after-reload');
    });
  }, 120_000);
});
