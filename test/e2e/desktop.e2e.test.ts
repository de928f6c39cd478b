import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { BridgeApi } from '../../app/core/contract';

// The desktop app itself: the built app launched in Electron, an example opened from the native
// menu and run against the sandbox, its video played from media://. Electron's binary cannot be
// fetched on every machine; where it is missing, this says so and skips.

const ELECTRON_DIR = join(process.cwd(), 'node_modules', 'electron');
function electronBinary(): string | undefined {
  try {
    const bin = join(ELECTRON_DIR, 'dist', readFileSync(join(ELECTRON_DIR, 'path.txt'), 'utf8').trim());
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

const bin = electronBinary();
const built = existsSync(join(process.cwd(), 'out', 'main', 'index.js'));
const why = !bin ? "Electron's binary is not installed here (npm start fetches it where the machine can download it)" : !built ? 'the app is not built (npm run build)' : '';
if (why) console.warn(`desktop smoke test skipped: ${why}`);

let app: ElectronApplication | undefined;
afterAll(async () => {
  await app?.close();
});

describe('the desktop app', () => {
  it.skipIf(!!why)(`opens an example from its menu and runs it on the sandbox${why ? ` — skipped: ${why}` : ''}`, async () => {
    const home = await mkdtemp(join(tmpdir(), 'wan-desktop-'));
    const { RUNWARE_API_KEY: _key, ...env } = process.env;
    app = await _electron.launch({
      executablePath: bin!,
      // Chromium's own OS sandbox cannot start as root (CI containers); the window's sandbox option stays on
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), process.cwd()],
      env: { ...env, WAN_GRAPH_HOME: home },
    });
    const page = await app.firstWindow();
    await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
    expect(page.url()).toBe('app://editor/index.html');
    // no Node in the page: only the named functions of the preload
    // (evaluated in the page: nothing from this file's scope is there)
    type Page = { require?: unknown; process?: unknown; wanGraph?: BridgeApi };
    expect(await page.evaluate(() => [typeof (globalThis as Page).require, typeof (globalThis as Page).process, typeof (globalThis as Page).wanGraph?.['app.info']])).toEqual(['undefined', 'undefined', 'function']);
    expect(await page.evaluate(async () => (await (globalThis as Page).wanGraph!['app.info']({})))).toMatchObject({ ok: true, value: { shell: 'desktop' } });
    await expect.poll(() => page.locator('#target').innerText()).toContain('sandbox');

    await app.evaluate(({ Menu }) => {
      type Item = { label: string; submenu?: { items: Item[] }; click: () => void };
      const items = (Menu.getApplicationMenu()!.items as unknown as Item[]).find((m) => m.label === '&File')!.submenu!.items;
      const examples = items.find((i) => i.label === 'Open Example')!.submenu!.items;
      examples.find((i) => /aurora/i.test(i.label))!.click();
    });
    await page.waitForFunction(() => (window as unknown as { wanGraphProbe: { nodeIds(): number[] } }).wanGraphProbe.nodeIds().length > 0);

    await page.keyboard.press('Control+Enter');
    const video = page.locator('.preview video').first();
    await video.waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('.preview video');
      return !!v && v.readyState >= 2 && v.currentTime > 0.3;
    }, undefined, { timeout: 60_000 });
    expect(await video.getAttribute('src')).toMatch(/^media:\/\/library\/\?path=/);
  });
});
