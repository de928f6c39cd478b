import { formatValue, stepValue } from '../widgets';
import type { WidgetKind } from './kind';
import { MARGIN } from './paint';

// Numbers and seeds: arrows at either end step the value; the middle opens the editor.

const ARROW_ZONE = 40;

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
};
