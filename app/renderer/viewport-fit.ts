// Where "Fit view" (and opening a graph) puts the viewport: the graph centred in the visible
// canvas at the largest zoom that shows it whole, never above 1:1. Below litegraph's
// low-quality threshold text is not drawn, so the zoom goes under it only when the graph needs
// that to fit; a graph that fits at a readable zoom is shown readable.

export interface Viewport {
  offset: [number, number];
  scale: number;
}

export interface FitOptions {
  /** The zoom under which litegraph stops drawing text (LGraphCanvas.low_quality_zoom_threshold). */
  readable: number;
  /** Room left around the graph, in screen pixels. */
  margin?: number;
  minScale?: number;
  maxScale?: number;
}

/** The viewport that shows `bounds` (graph units: x, y, width, height) in a canvas of `width` × `height` screen pixels. */
export function fitViewport(bounds: readonly [number, number, number, number], width: number, height: number, opts: FitOptions): Viewport {
  const margin = opts.margin ?? 24;
  const [x, y, w, h] = bounds;
  const room = [Math.max(1, width - 2 * margin), Math.max(1, height - 2 * margin)] as const;
  const fit = Math.min(room[0] / Math.max(w, 1), room[1] / Math.max(h, 1));
  const scale = Math.max(opts.minScale ?? 0.1, Math.min(fit, opts.maxScale ?? 1));
  return { scale, offset: [width / (2 * scale) - (x + w / 2), height / (2 * scale) - (y + h / 2)] };
}
