import type { Session } from './harness';

// What an artist does, as pointer and keyboard input: the probe only says where things are.

export async function canvasBox(s: Session) {
  return (await s.page.locator('#canvas').boundingBox())!;
}

/** Double-click empty canvas at (x, y) relative to the canvas, search, pick the first match. */
export async function addNode(s: Session, query: string, x: number, y: number): Promise<number> {
  const box = await canvasBox(s);
  const before = await s.probe('nodeIds');
  await s.page.mouse.dblclick(box.x + x, box.y + y);
  await s.page.locator('.search-input').fill(query);
  await s.page.keyboard.press('Enter');
  return newNode(s, before);
}

async function newNode(s: Session, before: number[]): Promise<number> {
  await s.page.waitForFunction((n) => (window as unknown as { wanGraphProbe: { nodeIds(): number[] } }).wanGraphProbe.nodeIds().length > n, before.length);
  const after = await s.probe('nodeIds');
  return after.find((id) => !before.includes(id))!;
}

/** Drags a link out of a port and lets go on empty canvas; the filtered search picks `query`. */
export async function dragOutNew(s: Session, nodeId: number, port: string, side: 'input' | 'output', query: string, x: number, y: number): Promise<number> {
  const from = await s.probe('portPosition', nodeId, port, side);
  const box = await canvasBox(s);
  const before = await s.probe('nodeIds');
  await drag(s, from, { x: box.x + x, y: box.y + y });
  await s.page.locator('.search-input').fill(query);
  await s.page.keyboard.press('Enter');
  return newNode(s, before);
}

export async function drag(s: Session, from: { x: number; y: number }, to: { x: number; y: number }, steps = 12): Promise<void> {
  await s.page.mouse.move(from.x, from.y);
  await s.page.mouse.down();
  await s.page.mouse.move(from.x + (to.x - from.x) / steps, from.y + (to.y - from.y) / steps);
  await s.page.mouse.move(to.x, to.y, { steps });
  await s.page.mouse.up();
  await gestureRecorded(s);
}

/**
 * The editor records what a gesture changed in a task queued when the pointer is let go (once
 * litegraph is done with it); a task queued after it runs after it, so the document is current.
 */
export async function gestureRecorded(s: Session): Promise<void> {
  await s.page.evaluate(() => new Promise((done) => setTimeout(done)));
}

export async function portAt(s: Session, nodeId: number, port: string, side: 'input' | 'output') {
  return (await s.probe('portPosition', nodeId, port, side)) as { x: number; y: number };
}

export async function connect(s: Session, from: [number, string], to: [number, string]): Promise<void> {
  await drag(s, await portAt(s, from[0], from[1], 'output'), await portAt(s, to[0], to[1], 'input'));
}

export async function widgetRect(s: Session, nodeId: number, name: string) {
  return s.probe('widgetRect', nodeId, name);
}

/** Clicks a widget in its middle and enters a value in the editor that opens (a prompt's text area is typed into in place, Ctrl+Enter). */
export async function setWidget(s: Session, nodeId: number, name: string, value: string): Promise<void> {
  const r = await widgetRect(s, nodeId, name);
  await s.page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
  const inline = s.page.locator('.inline-text textarea');
  await s.page.locator('.value-editor, .inline-text').first().waitFor();
  if (await inline.count()) {
    await inline.fill(value);
    await s.page.keyboard.press('Control+Enter');
    await inline.waitFor({ state: 'detached' });
    return;
  }
  const editor = s.page.locator('.value-editor');
  const control = editor.locator('.value-input');
  const tag = await control.evaluate((el) => el.tagName);
  if (tag === 'SELECT') await control.selectOption(value);
  else {
    await control.fill(value);
    if (tag === 'TEXTAREA') await editor.locator('button.primary').click();
    else await s.page.keyboard.press('Enter');
  }
  await editor.waitFor({ state: 'detached' });
}

/** Clicks one of a number widget's arrows. */
export async function stepWidget(s: Session, nodeId: number, name: string, direction: 1 | -1): Promise<void> {
  const r = await widgetRect(s, nodeId, name);
  await s.page.mouse.click(direction > 0 ? r.x + r.width - 8 : r.x + 8, r.y + r.height / 2);
}

export async function clickTitle(s: Session, nodeId: number): Promise<void> {
  const at = await s.probe('titlePosition', nodeId);
  await s.page.mouse.click(at.x, at.y);
  await gestureRecorded(s);
}

export const documentText = (s: Session) => s.probe('documentText');

export async function openExample(s: Session, name: string): Promise<void> {
  await s.page.click('[data-action=examples]');
  await s.page.click(`.menu button:has-text("${name}")`);
  // it opens in a tab of its own: wait until that tab is in front
  await s.page.waitForFunction((n) => (JSON.parse((window as unknown as { wanGraphProbe: { documentText(): string } }).wanGraphProbe.documentText()) as { name?: string }).name?.includes(n), name);
}

/** Ctrl+O, the file's path typed into the open dialog, Open. */
export async function openByDialog(s: Session, path: string): Promise<void> {
  await s.page.keyboard.press('Control+o');
  await s.page.locator('.dialog input[aria-label="File path"]').fill(path);
  await s.page.click('.dialog button.primary');
}
