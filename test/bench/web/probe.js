/* global window, performance, requestAnimationFrame */
// Injected by editor-bench.ts into the editor and into the bare litegraph page alike: pans the
// LGraphCanvas found at `window.__wanBenchCanvas` and times it, the same way on both pages.
(() => {
  const canvasOf = () => {
    const c = window.__wanBenchCanvas;
    if (!c) throw new Error('no LGraphCanvas at window.__wanBenchCanvas');
    return c;
  };
  // Chromium records 2D canvas commands and rasterizes them later: reading one pixel back makes
  // the raster work happen inside the timed span.
  const flush = (c) => c.ctx.getImageData(0, 0, 1, 1);

  window.__wanBench = {
    info() {
      const c = canvasOf();
      return { nodes: c.graph._nodes.length, links: c.graph._links.size, width: c.canvas.width, height: c.canvas.height, cssWidth: c.canvas.clientWidth, cssHeight: c.canvas.clientHeight };
    },
    /** Puts the viewport at graph offset (x, y) and scale, and draws once. */
    setView(x, y, scale) {
      const c = canvasOf();
      c.ds.offset[0] = x;
      c.ds.offset[1] = y;
      c.ds.scale = scale;
      c.setDirty(true, true);
      c.draw(true, true);
      flush(c);
    },
    /** `frames` forced synchronous draws, the view moved by (dx, dy) screen pixels before each: ms per draw, and nodes drawn. */
    drawPan(frames, dx, dy) {
      const c = canvasOf();
      const times = [];
      let visible = 0;
      for (let i = 0; i < frames; i++) {
        c.ds.offset[0] += dx / c.ds.scale;
        c.ds.offset[1] += dy / c.ds.scale;
        const t0 = performance.now();
        c.draw(true, true);
        flush(c);
        times.push(performance.now() - t0);
        visible += c.visible_nodes.length;
      }
      return { times, visibleNodes: visible / frames };
    },
    /** The view moved by (dx, dy) screen pixels each animation frame, drawn by litegraph's own loop: ms between frames. */
    rafPan(frames, dx, dy) {
      const c = canvasOf();
      return new Promise((resolve) => {
        const stamps = [];
        const step = (t) => {
          stamps.push(t);
          if (stamps.length > frames) return resolve(stamps.slice(1).map((s, i) => s - stamps[i]));
          c.ds.offset[0] += dx / c.ds.scale;
          c.ds.offset[1] += dy / c.ds.scale;
          c.setDirty(true, true);
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
    },
  };
})();
