import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor, type Session } from './harness';
import { canvasBox, documentText, setWidget, widgetRect } from './ui';

// The Frame Image node as an artist meets it: real PNGs dropped on the canvas and on the node,
// Browse… in its image editor, URLs (one served, one unreachable), a local path, a data URI; the
// picture drawn in the node and its title following the image until the artist renames it.

afterAll(closeBrowser);

const exec = promisify(execFile);
let dir = '';
let server: Server;
let base = '';

async function png(name: string, source: string): Promise<string> {
  const file = join(dir, name);
  await exec('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', '1', file]);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-frame-image-'));
  await png('canyon.png', 'testsrc=s=320x180');
  await png('dune.png', 'color=c=orange:s=160x240');
  await png('cliff.png', 'smptebars=s=256x144');
  await png('served.png', 'color=c=teal:s=200x100');
  const served = await readFile(join(dir, 'served.png'));
  server = createServer((req, res) => {
    if (req.url === '/frames/served.png') res.writeHead(200, { 'content-type': 'image/png' }).end(served);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Drops files on the canvas as the system's file manager would (a DataTransfer of real bytes). */
async function dropFile(s: Session, file: string, x: number, y: number) {
  const base64 = (await readFile(join(dir, file))).toString('base64');
  await s.page.evaluate(
    ({ name, base64, x, y }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type: 'image/png' }));
      const target = document.getElementById('canvas-wrap')!;
      for (const type of ['dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, clientX: x, clientY: y, bubbles: true, cancelable: true }));
    },
    { name: file, base64, x, y },
  );
}

const frameNodes = async (s: Session) => (JSON.parse(await documentText(s)) as { nodes: { id: number; type: string; title: string; params: Record<string, unknown> }[] }).nodes.filter((n) => n.type === 'FrameImage');

async function waitThumbnail(s: Session, id: number, state: 'shown' | 'mark') {
  await s.page.waitForFunction(([id, state]) => (window as unknown as { wanGraphProbe: { thumbnail(id: number): { state: string } } }).wanGraphProbe.thumbnail(id as number).state === state, [id, state] as const);
  return s.probe('thumbnail', id);
}

describe('Frame Image node', () => {
  it('shows its picture, takes a dropped image in its place (undoable), browses, and titles itself after the image until renamed', async () => {
    await withEditor('frame-image', async (s) => {
      const box = await canvasBox(s);
      await dropFile(s, 'canyon.png', box.x + 300, box.y + 200);
      await s.page.waitForFunction(() => document.querySelector('.status-bar')?.textContent?.includes('Add dropped image'));
      let [node] = await frameNodes(s);
      expect(node!.title).toBe('canyon.png');
      expect(await waitThumbnail(s, node!.id, 'shown')).toMatchObject({ width: 320, height: 180 });
      await s.shot('dropped-on-canvas');

      // dropped on the node: its image is replaced, no node added; one undo brings the first back
      const image = await widgetRect(s, node!.id, 'image');
      await dropFile(s, 'dune.png', image.x + image.width / 2, image.y + 60);
      await s.page.waitForFunction(() => document.querySelector('.status-bar')?.textContent?.includes('Replace image'));
      const nodes = await frameNodes(s);
      expect(nodes).toHaveLength(1);
      expect(nodes[0]!.title).toBe('dune.png');
      expect(nodes[0]!.params.image).toMatch(/images[\\/][0-9a-f]{16}[\\/]dune\.png$/);
      expect(await waitThumbnail(s, node!.id, 'shown')).toMatchObject({ width: 160, height: 240 });
      await s.shot('dropped-on-node');
      await s.page.keyboard.press('Control+z');
      [node] = await frameNodes(s);
      expect(node).toMatchObject({ title: 'canyon.png', params: { image: expect.stringMatching(/canyon\.png$/) } });
      await s.page.keyboard.press('Control+Shift+z');
      expect((await frameNodes(s))[0]!.title).toBe('dune.png');

      // Browse… in the image editor: the picked file is imported and set at once
      await s.page.mouse.click(image.x + image.width / 2, image.y + image.height / 2);
      const [chooser] = await Promise.all([s.page.waitForEvent('filechooser'), s.page.click('.value-editor button.value-browse')]);
      await chooser.setFiles(join(dir, 'cliff.png'));
      await s.page.locator('.value-editor').waitFor({ state: 'detached' });
      await s.page.waitForFunction(() => (window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText().includes('cliff.png'));
      [node] = await frameNodes(s);
      expect(node!.title).toBe('cliff.png');
      expect(await waitThumbnail(s, node!.id, 'shown')).toMatchObject({ width: 256, height: 144 });
      await s.shot('browsed');

      // renamed by the artist: the title stays through a new image
      const title = await s.probe('titlePosition', node!.id);
      await s.page.mouse.click(title.x, title.y, { button: 'right' });
      await s.page.click('.menu button:has-text("Rename…")');
      await s.page.locator('.dialog input[aria-label="Title"]').fill('Opening shot');
      await s.page.click('.dialog button.primary');
      await setWidget(s, node!.id, 'image', join(dir, 'canyon.png'));
      [node] = await frameNodes(s);
      expect(node).toMatchObject({ title: 'Opening shot', params: { image: join(dir, 'canyon.png') } });
      // a local file by its path is read by the host and shown
      expect(await waitThumbnail(s, node!.id, 'shown')).toMatchObject({ width: 320, height: 180 });
      await s.shot('renamed-local-path');
    });
  }, 120_000);

  it('shows a reachable URL and a data URI, and marks a URL it could not fetch', async () => {
    await withEditor('frame-image-urls', async (s) => {
      const box = await canvasBox(s);
      await dropFile(s, 'canyon.png', box.x + 250, box.y + 200);
      await s.page.waitForFunction(() => document.querySelector('.status-bar')?.textContent?.includes('Add dropped image'));
      const id = (await frameNodes(s))[0]!.id;
      await dropFile(s, 'dune.png', box.x + 650, box.y + 200);
      await s.page.waitForFunction(() => (window as unknown as { wanGraphProbe: { nodeIds(): number[] } }).wanGraphProbe.nodeIds().length === 2);
      const other = (await frameNodes(s)).find((n) => n.id !== id)!.id;

      await setWidget(s, id, 'image', `${base}/frames/served.png`);
      expect(await waitThumbnail(s, id, 'shown')).toMatchObject({ width: 200, height: 100 });
      expect((await frameNodes(s)).find((n) => n.id === id)!.title).toBe('served.png');

      await setWidget(s, other, 'image', `${base}/frames/missing.png`);
      expect(await waitThumbnail(s, other, 'mark')).toMatchObject({ text: 'Not fetched' });
      await s.shot('url-and-not-fetched');

      const dataUri = `data:image/png;base64,${(await readFile(join(dir, 'cliff.png'))).toString('base64')}`;
      await setWidget(s, other, 'image', dataUri);
      expect(await waitThumbnail(s, other, 'shown')).toMatchObject({ width: 256, height: 144 });
      // a data URI has no name: the title goes back to the type's
      expect((await frameNodes(s)).find((n) => n.id === other)!.title).toBe('Frame Image');
      await s.shot('data-uri');
    });
  }, 120_000);
});
