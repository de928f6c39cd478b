import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor, type Session } from './harness';
import { canvasBox, documentText, openExample } from './ui';

// Files arriving by drag and drop, crash recovery, and the settings dialog with the API key.

afterAll(closeBrowser);


/** Drops files on the canvas as the system's file manager would. */
async function dropFiles(s: Session, files: { name: string; type: string; base64: string }[], x: number, y: number) {
  const box = await canvasBox(s);
  await s.page.evaluate(
    ({ files, x, y }) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      const target = document.getElementById('canvas-wrap')!;
      for (const type of ['dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, clientX: x, clientY: y, bubbles: true, cancelable: true }));
    },
    { files, x: box.x + x, y: box.y + y },
  );
}

// a 1×1 PNG
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

describe('files and settings', () => {
  it('a dropped graph file opens, a dropped image becomes a Frame Image node, a result video restores its graph', async () => {
    await withEditor('drop', async (s) => {
      const graph = readFileSync('graphs/turbo-lantern-market-text-to-video.wgraph.json');
      await dropFiles(s, [{ name: 'lantern.wgraph.json', type: 'application/json', base64: graph.toString('base64') }], 300, 300);
      await s.page.waitForFunction(() => (window as unknown as { wanGraphProbe: { nodeIds(): number[] } }).wanGraphProbe.nodeIds().length > 0);
      expect(JSON.parse(await documentText(s)).name).toBe(JSON.parse(graph.toString()).name);
      await s.shot('graph-dropped');

      await dropFiles(s, [{ name: 'first-frame.png', type: 'image/png', base64: PNG }], 200, 600);
      await s.page.waitForFunction(() => document.querySelector('.status-bar')?.textContent?.includes('Add dropped image'));
      const doc = JSON.parse(await documentText(s));
      const frame = doc.nodes.find((n: { type: string }) => n.type === 'FrameImage');
      expect(frame.params.image).toMatch(/images[\\/][0-9a-f]{16}[\\/]first-frame\.png$/);
      expect(await readFile(frame.params.image)).toEqual(Buffer.from(PNG, 'base64'));
      await s.shot('image-dropped');

      // run an example, then drop its result video: its graph comes back (each in a tab of its own)
      await openExample(s, 'Aurora');
      const aurora = await documentText(s);
      await s.page.keyboard.press('Control+Enter');
      await s.page.locator('.preview video').waitFor({ timeout: 60_000 });
      const file = await s.page.locator('.preview video').getAttribute('data-file');
      await s.page.click('[data-action=new]');
      expect(await s.probe('nodeIds')).toEqual([]);
      await dropFiles(s, [{ name: 'result.mp4', type: 'video/mp4', base64: (await readFile(file!)).toString('base64') }], 300, 300);
      await s.page.waitForFunction(() => (window as unknown as { wanGraphProbe: { nodeIds(): number[] } }).wanGraphProbe.nodeIds().length === 6);
      expect(JSON.parse(await documentText(s)).nodes).toEqual(JSON.parse(aurora).nodes);
      await s.shot('video-dropped');
    });
  }, 120_000);

  it('recovers unsaved work after the page dies', async () => {
    await withEditor('recovery', async (s) => {
      await openExample(s, 'Aurora');
      const r = await s.probe('widgetRect', 5, 'steps');
      await s.page.mouse.click(r.x + r.width - 8, r.y + r.height / 2);
      const edited = await documentText(s);
      await s.page.waitForTimeout(3500); // one autosave period
      await s.reopen(); // as after a crash: nothing was saved by hand
      await s.page.locator('.dialog[aria-label="Recover unsaved work?"]').waitFor();
      await s.shot('recover-offered');
      await s.page.click('.dialog button:has-text("Recover")');
      await s.page.waitForFunction((t) => (window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText() === t, edited);
      expect(await s.page.locator('.status-bar').innerText()).toContain('unsaved changes');
    });
  }, 60_000);

  it('takes an API key without ever showing it back, and says where runs go', async () => {
    await withEditor('settings', async (s) => {
      const key = 'rw-test-key-0123456789abcdefSECRET';
      expect(await s.page.locator('#target').innerText()).toContain('No API key');
      await s.page.click('[data-action=settings]');
      await s.page.locator('.dialog input[aria-label="API key"]').fill(key);
      await s.page.locator('.dialog input[aria-label="Concurrency"]').fill('3');
      await s.shot('settings');
      await s.page.click('.dialog button:has-text("Save")');
      await s.page.waitForFunction(() => document.getElementById('target')?.textContent?.includes('Runs go to Runware'));
      await s.page.click('[data-action=settings]');
      expect(await s.page.locator('.dialog .key-state').innerText()).toMatch(/A key is set/);
      expect(await s.page.locator('.dialog input[aria-label="API key"]').inputValue()).toBe('');
      expect(await s.page.content()).not.toContain(key);
      await s.shot('key-set');
      await s.page.click('.dialog button:has-text("Clear key")');
      await s.page.click('.dialog button:has-text("Save")');
      await s.page.waitForFunction(() => document.getElementById('target')?.textContent?.includes('No API key'));
      for (const f of await readdir(s.home, { recursive: true })) {
        const text = await readFile(join(s.home, f)).catch(() => Buffer.alloc(0));
        expect(text.includes(key), f).toBe(false);
      }
    });
  }, 60_000);
});
