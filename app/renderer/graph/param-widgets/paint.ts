import type { Diagnostic } from '../../../core/diagnostics';
import { ERROR_COLOR, WARNING_COLOR } from '../colors';

// What every parameter widget draws: a rounded field outlined by its problem, the label on the
// left and the value on the right, cut to fit. Text widths are remembered, as values rarely change.

export const MARGIN = 15;
const FONT = '12px sans-serif';
const FONT_UNSET = 'italic 12px sans-serif';

export function paintField(ctx: CanvasRenderingContext2D, width: number, y: number, h: number, problem: Diagnostic | undefined): void {
  ctx.fillStyle = '#222';
  ctx.strokeStyle = problem ? (problem.severity === 'error' ? ERROR_COLOR : WARNING_COLOR) : '#555';
  ctx.beginPath();
  ctx.roundRect(MARGIN, y, width - MARGIN * 2, h, h * 0.5);
  ctx.fill();
  ctx.stroke();
}

export interface FieldText {
  label: string;
  value: string;
  unset: boolean;
  problem: Diagnostic | undefined;
  /** Room kept at either end for the kind's own marks. */
  pad: number;
}

export function paintText(ctx: CanvasRenderingContext2D, width: number, y: number, h: number, t: FieldText): void {
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillStyle = t.problem?.severity === 'error' ? ERROR_COLOR : '#999';
  ctx.fillText(t.label, MARGIN + t.pad, y + h * 0.5);
  const font = t.unset ? FONT_UNSET : FONT;
  const room = width - MARGIN * 2 - t.pad * 2 - measure(ctx, FONT, t.label) - 12;
  ctx.textAlign = 'right';
  ctx.fillStyle = t.unset ? '#777' : '#ddd';
  ctx.font = font;
  ctx.fillText(fitText(ctx, font, t.value, room), width - MARGIN - t.pad, y + h * 0.5);
}

const widths = new Map<string, number>();
const fitted = new Map<string, string>();

function measure(ctx: CanvasRenderingContext2D, font: string, text: string): number {
  const key = `${font}|${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    if (widths.size > 5000) widths.clear();
    ctx.font = font;
    w = ctx.measureText(text).width;
    widths.set(key, w);
  }
  return w;
}

/** The text cut to fit `room` pixels, with an ellipsis. */
export function fitText(ctx: CanvasRenderingContext2D, font: string, text: string, room: number): string {
  const key = `${font}|${Math.round(room)}|${text}`;
  let out = fitted.get(key);
  if (out === undefined) {
    if (fitted.size > 5000) fitted.clear();
    ctx.font = font;
    out = text;
    if (ctx.measureText(text).width > room) {
      let lo = 0;
      let hi = text.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ctx.measureText(text.slice(0, mid) + '…').width <= room) lo = mid;
        else hi = mid - 1;
      }
      out = text.slice(0, lo) + '…';
    }
    fitted.set(key, out);
  }
  return out;
}
