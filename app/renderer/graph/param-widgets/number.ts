import { fineNudgeOf, formatValue, moveValue, nudgeOf, stepValue } from '../widgets';
import type { WidgetKind } from './kind';
import { MARGIN } from './paint';

// Numbers and seeds: arrows at either end step the value by its nudge; a click in the middle
// opens the editor; a horizontal drag moves it one nudge every few pixels (Shift: a tenth).

const ARROW_ZONE = 40;
/** Screen pixels of drag per nudge: slow enough to land on a value, fast enough to cross a range. */
const PIXELS_PER_NOTCH = 6;

export const numberKind: WidgetKind = {
  pad: 22,
  text: formatValue,
  marks(ctx, width, y, h) {
    ctx.fillStyle = '#bbb';
    ctx.beginPath();
    ctx.moveTo(MARGIN + 16, y + 5);
    ctx.lineTo(MARGIN + 6, y + h * 0.5);
    ctx.lineTo(MARGIN + 16, y + h - 5);
    ctx.moveTo(width - MARGIN - 16, y + 5);
    ctx.lineTo(width - MARGIN - 6, y + h * 0.5);
    ctx.lineTo(width - MARGIN - 16, y + h - 5);
    ctx.fill();
  },
  click(spec, value, x, width) {
    const arrow = x < ARROW_ZONE ? -1 : x > width - ARROW_ZONE ? 1 : 0;
    if (!arrow) return 'edit';
    const next = stepValue(spec, value, arrow);
    return next === undefined ? undefined : { set: next };
  },
  drag(spec, start, pixels) {
    const notches = (px: number) => Math.trunc(px / PIXELS_PER_NOTCH);
    return moveValue(spec, start, notches(pixels.coarse) * nudgeOf(spec) + notches(pixels.fine) * fineNudgeOf(spec));
  },
};
