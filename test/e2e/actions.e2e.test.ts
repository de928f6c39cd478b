import { readFileSync } from 'node:fs';
import { parseJson } from '../../app/core/support/json';
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor, type Session } from './harness';
import { canvasBox, clickTitle, gestureRecorded, widgetRect } from './ui';

// How many actions an artist needs to build a seed request from an empty canvas: every gesture
// goes through one counter (a click, a double-click, a drag, a key chord, typing into one field or
// picking in a select each count one); reading where things are, and the payload, is not counted.

const examples = JSON.parse(readFileSync('test/fixtures/seed-examples.json', 'utf8')) as { name: string; request: Record<string, unknown> }[];
const seed = (name: string) => examples.find((e) => e.name === name)!.request;
const withoutUuid = ({ taskUUID: _u, ...rest }: Record<string, unknown>) => rest;
type Point = { x: number; y: number };

class Gestures {
  count = 0;
  constructor(readonly s: Session) {}
  private get page() {
    return this.s.page;
  }
  async dblclick(at: Point) {
    this.count++;
    await this.page.mouse.dblclick(at.x, at.y);
    await gestureRecorded(this.s);
  }
  async click(at: Point) {
    this.count++;
    await this.page.mouse.click(at.x, at.y);
    await gestureRecorded(this.s);
  }
  async drag(from: Point, to: Point, steps = 12) {
    this.count++;
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(from.x + (to.x - from.x) / steps, from.y + (to.y - from.y) / steps);
    await this.page.mouse.move(to.x, to.y, { steps });
    await this.page.mouse.up();
    await gestureRecorded(this.s);
  }
  async press(chord: string) {
    this.count++;
    await this.page.keyboard.press(chord);
  }
  /** Typing into the focused field. */
  async type(text: string) {
    this.count++;
    await this.page.keyboard.type(text);
  }
  async select(value: string) {
    this.count++;
    await this.page.locator('.value-editor select.value-input').selectOption(value);
  }
}

/** Not gestures: where things are, and waiting for what a gesture did. */
async function at(s: Session, x: number, y: number): Promise<Point> {
  const box = await canvasBox(s);
  return { x: box.x + x, y: box.y + y };
}
const middle = (r: { x: number; y: number; width: number; height: number }): Point => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
const nodeIds = (s: Session) => s.probe('nodeIds');
async function created(s: Session, before: number[]): Promise<number> {
  await s.page.waitForFunction((n) => (window as unknown as { wanGraphProbe: { nodeIds(): number[] } }).wanGraphProbe.nodeIds().length > n, before.length);
  return (await nodeIds(s)).find((id) => !before.includes(id))!;
}
const editorOf = async (s: Session, label: string) => s.page.locator(`.value-editor[aria-label="Edit ${label}"]`).waitFor();

/** Double-click on empty canvas; Enter takes the first node offered (with nothing typed: the task node). */
async function addTaskNode(g: Gestures, x: number, y: number): Promise<number> {
  const before = await nodeIds(g.s);
  await g.dblclick(await at(g.s, x, y));
  await g.s.page.locator('.search-input').waitFor();
  await g.press('Enter');
  return created(g.s, before);
}

/** A link dragged out of an input and let go on empty canvas; Enter takes the first node that fits. */
async function dragOut(g: Gestures, nodeId: number, port: string, x: number, y: number): Promise<number> {
  const before = await nodeIds(g.s);
  await g.drag((await g.s.probe('portPosition', nodeId, port, 'input')) as Point, await at(g.s, x, y));
  await g.s.page.locator('.search-input').waitFor();
  await g.press('Enter');
  return created(g.s, before);
}

/**
 * Where a widget is once its node has settled: a node just made is laid out again on the next
 * frames (its picture area, its parameter slots), and on a busy machine a click may otherwise land
 * where the field was a frame before. Waiting is no gesture.
 */
async function settledRect(s: Session, nodeId: number, name: string) {
  let last = JSON.stringify(await widgetRect(s, nodeId, name));
  for (let i = 0; i < 50; i++) {
    await s.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const now = JSON.stringify(await widgetRect(s, nodeId, name));
    if (now === last) break;
    last = now;
  }
  return JSON.parse(last) as Awaited<ReturnType<typeof widgetRect>>;
}

/** Clicks a widget's middle: a text area opens in place, anything else its value editor. */
async function open(g: Gestures, nodeId: number, name: string): Promise<void> {
  await g.click(middle(await settledRect(g.s, nodeId, name)));
  await g.s.page.locator('.value-editor, .inline-text textarea').first().waitFor();
}

/** The VI's own values, one editor after the other: Tab commits and opens the next field. */
async function taskValues(g: Gestures, vi: number, request: Record<string, unknown>): Promise<void> {
  const s = g.s;
  await open(g, vi, 'width');
  await g.type(String(request.width));
  for (const [label, key] of [['Height', 'height'], ['Resolution', undefined], ['Duration (s)', 'duration'], ['FPS', 'fps'], ['Seed', 'seed'], ['Steps', 'steps']] as const) {
    await g.press('Tab');
    await editorOf(s, label);
    if (key) await g.type(String(request[key]));
  }
  await g.press('Tab');
  await editorOf(s, 'Scheduler');
  await g.select(request.scheduler as string); // a select commits on change
  await s.page.locator('.value-editor').waitFor({ state: 'detached' });
  await open(g, vi, 'CFGScale');
  await g.type(String(request.CFGScale));
  await g.press('Enter');
  await s.page.locator('.value-editor').waitFor({ state: 'detached' });
}

/** The three nodes every task needs, each dragged out of its input, and the two prompts typed in place. */
async function taskWithPrompts(g: Gestures, request: Record<string, unknown>): Promise<number> {
  const s = g.s;
  const vi = await addTaskNode(g, 340, 30);
  await dragOut(g, vi, 'model', 20, 20);
  const positive = await dragOut(g, vi, 'positive', 20, 140);
  const negative = await dragOut(g, vi, 'negative', 20, 330);
  expect(JSON.parse(await s.probe('documentText')).nodes.find((n: { id: number }) => n.id === negative).title).toBe('Negative prompt');
  await open(g, positive, 'text');
  await g.type(request.positivePrompt as string);
  await open(g, negative, 'text'); // the click elsewhere commits the first
  await g.type(request.negativePrompt as string);
  return vi;
}

/** Reading the result, not building it: the payload inspector of the selected task node. */
async function payloadOf(s: Session, vi: number): Promise<Record<string, unknown>> {
  await clickTitle(s, vi);
  await s.page.click('[data-tab=inspector]');
  return parseJson(await s.page.locator('pre.payload').innerText()) as Record<string, unknown>;
}

afterAll(closeBrowser);

describe('fewer actions: seed requests built from an empty canvas, every gesture counted', () => {
  it('Volcanic Salt Flats Procession in at most 30 actions', async () => {
    const request = seed('Volcanic Salt Flats Procession');
    await withEditor('actions-volcanic', async (s) => {
      expect(await nodeIds(s)).toEqual([]);
      const g = new Gestures(s);
      const vi = await taskWithPrompts(g, request);
      await taskValues(g, vi, request); // its first click commits the negative prompt
      await s.shot('volcanic-built');

      const payload = await payloadOf(s, vi);
      expect(withoutUuid(payload)).toStrictEqual(withoutUuid(request));
      expect(Object.keys(payload)).toEqual(Object.keys(request));
      console.log(`Volcanic Salt Flats Procession: ${g.count} actions`);
      expect(g.count).toBeLessThanOrEqual(30);
    });
  }, 120_000);

  it('Wind-Carved Canyon Pilgrims (two frame images by URL, the second last) in at most 40 actions', async () => {
    const request = seed('Wind-Carved Canyon Pilgrims');
    const [first, last] = (request.inputs as { frameImages: { image: string; frame?: string }[] }).frameImages as [{ image: string }, { image: string; frame: string }];
    await withEditor('actions-wind-carved', async (s) => {
      expect(await nodeIds(s)).toEqual([]);
      const g = new Gestures(s);
      const vi = await taskWithPrompts(g, request);

      // the node on the task's input is the last image; the one on its "Frames before" comes first
      const lastNode = await dragOut(g, vi, 'frames', 650, 20);
      await open(g, lastNode, 'image');
      await g.type(last.image);
      await g.press('Tab');
      await editorOf(s, 'Frame');
      await g.select(last.frame);
      await s.page.locator('.value-editor').waitFor({ state: 'detached' });
      const firstNode = await dragOut(g, lastNode, 'frames', 650, 380);
      await open(g, firstNode, 'image');
      await g.type(first.image);
      await taskValues(g, vi, request); // its first click commits the image
      await s.shot('wind-carved-built');

      const payload = await payloadOf(s, vi);
      expect(withoutUuid(payload)).toStrictEqual(withoutUuid(request));
      expect(Object.keys(payload)).toEqual(Object.keys(request));
      console.log(`Wind-Carved Canyon Pilgrims: ${g.count} actions`);
      expect(g.count).toBeLessThanOrEqual(40);
    });
  }, 120_000);
});
