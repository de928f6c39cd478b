import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, withEditor } from './harness';

// How the editor starts: the page is built whole before the canvas is measured, so the canvas is
// sized once. Each new size of a canvas clears it and costs a full redraw (and one of the hidden
// canvas litegraph draws the background on), which made the start slow; no clock is read here,
// only what the page did.

afterAll(closeBrowser);

/** Records every size given to the graph canvas and the size it had at each drawing call. */
const RECORDER = `(() => {
  const log = (window.__canvasLog = { sized: [], drawnAt: [] });
  const isGraphCanvas = (c) => c instanceof HTMLCanvasElement && c.id === 'canvas';
  for (const dim of ['width', 'height']) {
    const own = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, dim);
    Object.defineProperty(HTMLCanvasElement.prototype, dim, {
      ...own,
      set(v) {
        if (isGraphCanvas(this)) log.sized.push(dim + ' ' + v);
        own.set.call(this, v);
      },
    });
  }
  for (const call of ['fillRect', 'clearRect', 'drawImage', 'fillText']) {
    const own = CanvasRenderingContext2D.prototype[call];
    CanvasRenderingContext2D.prototype[call] = function (...args) {
      const at = this.canvas.width + 'x' + this.canvas.height;
      if (isGraphCanvas(this.canvas) && log.drawnAt.at(-1) !== at) log.drawnAt.push(at);
      return own.apply(this, args);
    };
  }
})();`;

interface CanvasLog {
  sized: string[];
  drawnAt: string[];
}

describe('start', () => {
  it('sizes the canvas once, before litegraph first draws it; the notice of where runs go moves nothing', async () => {
    await withEditor('start-canvas-sized-once', async (s) => {
      await s.page.context().addInitScript(RECORDER);
      await s.reopen();
      // the notice arrives with the settings, the status bar fills on the first frame: both are shown, two more frames drawn
      await s.page.locator('#target').filter({ hasText: /\S/ }).waitFor();
      await s.page.locator('#status').filter({ hasText: 'nodes' }).waitFor();
      await s.page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
      const log = await s.page.evaluate(() => (window as unknown as { __canvasLog: CanvasLog }).__canvasLog);
      const size = await s.page.evaluate(() => {
        const canvas = document.getElementById('canvas') as HTMLCanvasElement;
        const wrap = canvas.parentElement!;
        return { backing: `${canvas.width}x${canvas.height}`, wrap: `${Math.floor(wrap.clientWidth * devicePixelRatio)}x${Math.floor(wrap.clientHeight * devicePixelRatio)}` };
      });
      expect(size.backing).toBe(size.wrap);
      const [w, h] = size.backing.split('x');
      expect(log.sized).toEqual([`width ${w}`, `height ${h}`]);
      expect(log.drawnAt).toEqual([size.backing]);
    });
  });
});
