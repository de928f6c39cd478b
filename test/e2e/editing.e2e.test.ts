import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor, type Session } from './harness';
import { addNode, canvasBox, clickTitle, connect, documentText, drag, openByDialog, openExample, portAt, setWidget, stepWidget, widgetRect } from './ui';

// Editing as an artist does it, in a real browser: twenty different edits undone and redone one
// by one; broken graph files; links that do not fit.

afterAll(closeBrowser);

async function rightClickTitle(s: Session, nodeId: number, item: string) {
  const at = await s.probe('titlePosition', nodeId);
  await s.page.mouse.click(at.x, at.y, { button: 'right' });
  await s.page.click(`.menu button:has-text("${item}")`);
}


describe('editing', () => {
  it('undoes and redoes a sequence of 20 edits, each exactly', async () => {
    await withEditor('undo-redo', async (s) => {
      await openExample(s, 'Aurora');
      // Aurora: 1 Model, 2 positive, 3 negative, 4 frame image, 5 Video Inference, 6 Preview
      const box = await canvasBox(s);
      const edits: [string, () => Promise<void>][] = [
        ['width up', () => stepWidget(s, 5, 'width', 1)],
        ['steps down', () => stepWidget(s, 5, 'steps', -1)],
        ['fps up', () => stepWidget(s, 5, 'fps', 1)],
        ['duration typed', () => setWidget(s, 5, 'duration', '8')],
        ['scheduler picked', () => setWidget(s, 5, 'scheduler', 'Euler')],
        ['bypass', async () => (await clickTitle(s, 1), await s.page.keyboard.press('Control+b'))],
        ['mute', async () => (await clickTitle(s, 4), await s.page.keyboard.press('Control+m'))],
        ['move', async () => drag(s, await s.probe('titlePosition', 6), { x: (await s.probe('titlePosition', 6)).x + 40, y: (await s.probe('titlePosition', 6)).y + 80 })],
        ['add node', async () => void (await addNode(s, 'lora', 700, 640))],
        ['delete it', () => s.page.keyboard.press('Delete')],
        [
          'unset CFG',
          async () => {
            const r = await widgetRect(s, 5, 'CFGScale');
            await s.page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
            await s.page.click('.value-editor button:has-text("Unset")');
          },
        ],
        ['frame picked', () => setWidget(s, 4, 'frame', 'last')],
        ['duplicate', async () => (await clickTitle(s, 4), await s.page.keyboard.press('Control+d'))],
        ['group', () => s.page.keyboard.press('Control+g')],
        [
          'rename',
          async () => {
            await rightClickTitle(s, 1, 'Rename');
            await s.page.locator('.dialog input').fill('A14B model');
            await s.page.click('.dialog button.primary');
          },
        ],
        ['collapse', () => rightClickTitle(s, 3, 'Collapse')],
        ['disconnect', async () => drag(s, await portAt(s, 6, 'video', 'input'), { x: box.x + 980, y: box.y + 700 })],
        ['reconnect', () => connect(s, [5, 'video'], [6, 'video'])],
        [
          'copy and paste',
          async () => {
            await clickTitle(s, 1);
            await s.page.keyboard.press('Control+c');
            await s.page.mouse.move(box.x + 620, box.y + 700);
            await s.page.keyboard.press('Control+v');
          },
        ],
        ['prompt typed', () => setWidget(s, 2, 'text', 'A lantern procession crossing a frozen lake at night')],
      ];
      expect(edits).toHaveLength(20);
      const states = [await documentText(s)];
      for (const [name, edit] of edits) {
        await edit();
        await s.page.waitForFunction((before) => (window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText() !== before, states.at(-1)!, { timeout: 5000 }).catch(() => {
          throw new Error(`the edit "${name}" changed nothing`);
        });
        await s.page.waitForTimeout(50); // a gesture is recorded right after the pointer is released
        states.push(await documentText(s));
      }
      await s.shot('after-20-edits');
      await s.page.locator('#canvas').focus();
      for (let i = 20; i > 0; i--) {
        await s.page.keyboard.press('Control+z');
        expect(await documentText(s), `undo back to before edit ${i}`).toBe(states[i - 1]);
      }
      await s.shot('all-undone');
      for (let i = 1; i <= 20; i++) {
        await s.page.keyboard.press(i % 2 ? 'Control+y' : 'Control+Shift+z');
        expect(await documentText(s), `redo of edit ${i}`).toBe(states[i]);
      }
      await s.shot('all-redone');
    });
  }, 180_000);

  it('opens nothing from a broken graph file and says what is wrong', async () => {
    await withEditor('broken-file', async (s) => {
      await openExample(s, 'Aurora');
      const before = await documentText(s);
      const broken = join(s.home, 'duplicate-node-ids.wgraph.json');
      await copyFile('test/fixtures/malformed/duplicate-node-ids.wgraph.json', broken);
      await openByDialog(s, broken);
      const problems = s.page.locator('.dialog[aria-label="Load problems"]');
      await problems.waitFor();
      expect(await problems.innerText()).toMatch(/cannot be opened[\s\S]*node/i);
      await s.shot('load-problems');
      await problems.locator('button').click();
      expect(await documentText(s)).toBe(before);
    });
  }, 60_000);

  it('shows the problems of a graph that loads, and a click on one opens its field', async () => {
    await withEditor('problems', async (s) => {
      const file = join(s.home, 'cfgscale-0.wgraph.json');
      await copyFile('test/fixtures/malformed/cfgscale-0.wgraph.json', file);
      await openByDialog(s, file);
      const item = s.page.locator('.errors-list li[data-field="CFGScale"]');
      await item.waitFor();
      expect(await s.page.locator('.status-bar').innerText()).toMatch(/1 error/);
      await s.shot('problems-listed');
      await item.click();
      const editor = s.page.locator('.value-editor[aria-label="Edit CFG scale"]');
      await editor.waitFor();
      await editor.locator('input').fill('7');
      await s.page.keyboard.press('Enter');
      await s.page.locator('.errors-list').waitFor({ state: 'detached' });
      expect(await s.page.locator('.status-bar').innerText()).toMatch(/no errors/);
      await s.shot('fixed');
    });
  }, 60_000);

  it('refuses a link between ports of different types', async () => {
    await withEditor('incompatible-link', async (s) => {
      const vi = await addNode(s, 'video inf', 420, 60);
      const prompt = await addNode(s, 'prompt', 40, 60);
      const before = await documentText(s);
      await drag(s, await portAt(s, prompt, 'text', 'output'), await portAt(s, vi, 'model', 'input'));
      await s.page.waitForTimeout(100);
      expect(JSON.parse(await documentText(s)).links).toEqual([]);
      expect(await documentText(s)).toBe(before);
      await connect(s, [prompt, 'text'], [vi, 'positive']);
      await s.page.waitForFunction(() => JSON.parse((window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText()).links.length === 1);
    });
  }, 60_000);
});
