import { LiteGraph, type LGraphNode } from '@comfyorg/litegraph';
import type { Diagnostic } from '../../core/diagnostics';
import type { GraphNode } from '../../core/document';
import { ERROR_COLOR, MODE_BADGES, WARNING_COLOR, type FEED_ACCENTS } from './colors';
import { fitText } from './param-widgets/paint';
import { NODE_WIDTH } from './sizes';

// Drawn over each node: an outline when it has problems, and in its title bar (never over a
// field) its id, the problem count, the BYPASSED/MUTED badge, which input it feeds (positive or
// negative prompt, also a stripe down its left edge), what its sweep counts (see counts.ts) and,
// zoomed out too far for litegraph's own text, the title.

type Accent = (typeof FEED_ACCENTS)[string];

/** A sweep's count in the title bar ("9 values", "× 9 tasks"). */
const COUNT_COLOR = '#ffd180';
const ID_COLOR = '#9a9a9a';

/**
 * `lowZoom` is the zoom when it is under litegraph's low-quality threshold, where litegraph draws no
 * text: the title is then drawn here, large enough to read, so a graph fitted into view small still
 * says what each node is.
 */
export function drawForeground(ctx: CanvasRenderingContext2D, view: LGraphNode, node: GraphNode | undefined, problems: ReadonlyMap<string, Diagnostic> | undefined, feeds: readonly Accent[] = [], count?: string, lowZoom?: number): void {
  const title = LiteGraph.NODE_TITLE_HEIGHT;
  const collapsed = !!view.flags.collapsed;
  const height = collapsed ? 0 : view.size[1];
  const width = collapsed ? (view._collapsed_width ?? NODE_WIDTH) : view.size[0];
  ctx.save();
  if (feeds[0]) {
    ctx.fillStyle = feeds[0].color;
    ctx.beginPath();
    ctx.roundRect(-1, -title + 3, 4, height + title - 6, 2);
    ctx.fill();
  }
  // the title bar's right end, filled from the right: node id, problem count, mode badge, feed tags
  let right = width - 8;
  ctx.textBaseline = 'middle';
  // the id the queue, the Payload tab and the Problems list name the node by ("node 7")
  if (node && !collapsed) {
    ctx.font = '11px sans-serif';
    ctx.fillStyle = ID_COLOR;
    ctx.textAlign = 'right';
    const text = `#${node.id}`;
    ctx.fillText(text, right, -title * 0.5);
    right -= ctx.measureText(text).width + 8;
  }
  if (problems?.size) {
    const error = [...problems.values()].some((d) => d.severity === 'error');
    ctx.strokeStyle = error ? ERROR_COLOR : WARNING_COLOR;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.roundRect(-5, -title - 5, width + 10, height + title + 10, 10);
    ctx.stroke();
    ctx.fillStyle = ctx.strokeStyle;
    ctx.font = 'bold 13px sans-serif';
    ctx.textAlign = 'right';
    const text = `⚠ ${problems.size}`;
    ctx.fillText(text, right, -title * 0.5);
    right -= ctx.measureText(text).width + 8;
  }
  if (!collapsed) {
    const badge = node && MODE_BADGES[node.mode];
    if (badge) right = pill(ctx, badge.text, badge.color, right, title);
    for (const accent of feeds) right = pill(ctx, accent.tag, accent.color, right, title);
    if (count) right = pill(ctx, count, COUNT_COLOR, right, title);
    if (lowZoom) titleAtLowZoom(ctx, view.title, right, title, lowZoom);
  }
  ctx.restore();
}

/** The title, at least 11 screen pixels high where the title bar has room, cut with an ellipsis at `right`. */
function titleAtLowZoom(ctx: CanvasRenderingContext2D, text: string, right: number, title: number, zoom: number): void {
  // rounded, so that fitted titles are kept while the zoom changes
  const size = Math.round(Math.min(11 / zoom, title * 0.8));
  // after the collapse box, where litegraph starts its own title
  const room = right - title;
  if (room <= size) return;
  const shown = fitText(ctx, `${size}px sans-serif`, text, room);
  ctx.fillStyle = LiteGraph.NODE_TITLE_COLOR;
  ctx.textAlign = 'left';
  ctx.fillText(shown, title, -title * 0.5);
}

/** A tag in the title bar ending at `right`; returns where the next one ends. */
function pill(ctx: CanvasRenderingContext2D, text: string, color: string, right: number, title: number): number {
  ctx.font = 'bold 10px sans-serif';
  const w = ctx.measureText(text).width + 10;
  const h = 15;
  ctx.fillStyle = 'rgba(18,18,18,0.85)';
  ctx.beginPath();
  ctx.roundRect(right - w, -title * 0.5 - h / 2, w, h, 7);
  ctx.fill();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.fillStyle = color;
  ctx.textAlign = 'center';
  ctx.fillText(text, right - w / 2, -title * 0.5 + 0.5);
  return right - w - 5;
}
