import { LiteGraph, type LGraphNode } from '@comfyorg/litegraph';
import type { Diagnostic } from '../../core/diagnostics';
import type { GraphNode } from '../../core/document';
import { ERROR_COLOR, NODE_COLORS, NODE_WIDTH, WARNING_COLOR } from './look';

// Drawn over each node: an outline and count when it has problems, and the BYPASSED/MUTED badge.

export function drawForeground(ctx: CanvasRenderingContext2D, view: LGraphNode, node: GraphNode | undefined, problems: ReadonlyMap<string, Diagnostic> | undefined): void {
  const title = LiteGraph.NODE_TITLE_HEIGHT;
  const height = view.flags.collapsed ? 0 : view.size[1];
  const width = view.flags.collapsed ? (view._collapsed_width ?? NODE_WIDTH) : view.size[0];
  if (problems?.size) {
    const error = [...problems.values()].some((d) => d.severity === 'error');
    ctx.save();
    ctx.strokeStyle = error ? ERROR_COLOR : WARNING_COLOR;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.roundRect(-5, -title - 5, width + 10, height + title + 10, 10);
    ctx.stroke();
    ctx.fillStyle = ctx.strokeStyle;
    ctx.font = 'bold 13px sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(`⚠ ${problems.size}`, width - 8, -title * 0.5);
    ctx.restore();
  }
  const badge = node && NODE_COLORS[node.mode].badge;
  if (badge && !view.flags.collapsed) {
    ctx.save();
    ctx.fillStyle = 'rgba(255,255,255,0.55)';
    ctx.font = 'bold 11px sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(badge, width - 8, height - 4);
    ctx.restore();
  }
}
