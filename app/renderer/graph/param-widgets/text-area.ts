import type { IWidget, LGraphNode } from '@comfyorg/litegraph';
import type { Diagnostic } from '../../../core/diagnostics';
import type { GraphNode } from '../../../core/document';
import { textLength, type ParamSpec } from '../../../core/params';
import { ERROR_COLOR, WARNING_COLOR } from '../colors';
import { linkedText } from '../../editor/param-links';
import { formatValue } from '../widgets';
import { MARGIN } from './paint';

// Long text (prompts) in a text area that fills the height its node leaves free, as in ComfyUI:
// the text wrapped over lines, scrolled by the wheel when longer than the area, a counter when
// near the limit. A click edits it in place (`inline-text.ts`); the ⤢ mark opens the editor.
// How far it is scrolled is the view's own state, never the document's.

/** What a text area asks of the canvas. */
export interface TextAreaHost {
  /** The document's node, as it is now. */
  node(id: number): GraphNode | undefined;
  /** The node whose link drives this parameter, if one does (its widget then says so and takes no clicks). */
  source(nodeId: number, name: string): GraphNode | undefined;
  problem(nodeId: number, field: string): Diagnostic | undefined;
  /** Zoomed out, text cannot be read anyway: litegraph's own widgets skip it too. */
  lowQuality(): boolean;
  /** Opens the value editor over the widget. */
  edit(nodeId: number, name: string, widget: IWidget): void;
  /** Edits a text area in place. */
  editText(nodeId: number, name: string, widget: TextAreaWidget): void;
}

export const TEXT = {
  font: '13px sans-serif',
  fontSize: 13,
  line: 17,
  pad: 7,
  /** Room kept on the right for the ⤢ mark and the scroll bar, so no text goes under them. */
  right: 26,
  /** Lines shown at least, and in a node of its preferred size. */
  minLines: 2,
  preferredLines: 6,
  /** The counter shows from this share of the limit on. */
  counterFrom: 0.8,
  /** The ⤢ mark's square, in the top right corner. */
  expand: 16,
} as const;

const heightFor = (lines: number) => lines * TEXT.line + TEXT.pad * 2 + 4;
const TEXT_AREA_MIN_HEIGHT = heightFor(TEXT.minLines);
/** Height a text area adds to a node of its preferred size beyond its minimum. */
export const TEXT_AREA_EXTRA_HEIGHT = heightFor(TEXT.preferredLines) - TEXT_AREA_MIN_HEIGHT;

export type TextAreaWidget = IWidget & {
  shown(): string;
  /** Pixels scrolled (graph units): view state. */
  scroll: number;
  computedHeight?: number;
  /** The text box in node coordinates: x, y, width, height. */
  box(nodeWidth: number): [number, number, number, number];
  /** Scrolls by `dy` graph units; false when the text fits and there is nothing to scroll. */
  scrollBy(dy: number, nodeWidth: number): boolean;
};

/** "2 612 / 3000" when the text is near or over its limit, else undefined. */
export function counterText(spec: ParamSpec, text: string): { text: string; over: boolean } | undefined {
  if (spec.kind !== 'string' || spec.maxLength === undefined) return undefined;
  const n = textLength(text);
  return n >= spec.maxLength * TEXT.counterFrom ? { text: `${n} / ${spec.maxLength}`, over: n > spec.maxLength } : undefined;
}

/** Text broken into lines that fit `width` pixels: at its own line breaks, then between words, then inside words too long for a line. */
export function wrapText(text: string, width: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  const fits = (s: string) => measure(s.trimEnd()) <= width;
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/(?<=\s)/)) {
      if (line && !fits(line + word)) {
        out.push(line.trimEnd());
        line = '';
      }
      line += word;
      // a word longer than a whole line is cut where it stops fitting (code points, never halves of one)
      while (!fits(line) && [...line].length > 1) {
        const chars = [...line];
        let lo = 1;
        let hi = chars.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (fits(chars.slice(0, mid).join(''))) lo = mid;
          else hi = mid - 1;
        }
        out.push(chars.slice(0, lo).join(''));
        line = chars.slice(lo).join('');
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}

// wrapping is measured text: kept per text and width, as the text rarely changes between frames
const wrapped = new Map<string, string[]>();
function linesOf(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const key = `${Math.round(width)}|${text}`;
  let lines = wrapped.get(key);
  if (!lines) {
    if (wrapped.size > 500) wrapped.clear();
    ctx.font = TEXT.font;
    lines = wrapText(text, width, (s) => ctx.measureText(s).width);
    wrapped.set(key, lines);
  }
  return lines;
}

/** A measuring context for scroll limits outside of drawing. */
let measurer: CanvasRenderingContext2D | undefined;
const measuring = () => (measurer ??= document.createElement('canvas').getContext('2d')!);

export function textAreaWidget(host: TextAreaHost, nodeId: number, name: string, spec: ParamSpec): TextAreaWidget {
  const valueOf = (): string => {
    const v = host.node(nodeId)?.params[name];
    return typeof v === 'string' ? v : '';
  };
  const box = (nodeWidth: number): [number, number, number, number] => [MARGIN, widget.y + 2, nodeWidth - MARGIN * 2, (widget.computedHeight ?? TEXT_AREA_MIN_HEIGHT) - 4];
  const inner = (nodeWidth: number) => {
    const [, , w, h] = box(nodeWidth);
    return { width: w - TEXT.pad - TEXT.right, height: h - TEXT.pad * 2 };
  };
  const maxScroll = (ctx: CanvasRenderingContext2D, nodeWidth: number) => {
    const { width, height } = inner(nodeWidth);
    return Math.max(0, linesOf(ctx, valueOf(), width).length * TEXT.line - height);
  };
  const widget = {
    type: 'custom',
    name,
    value: '',
    y: 0,
    options: {},
    serialize: false,
    tooltip: spec.description,
    scroll: 0,
    computedHeight: TEXT_AREA_MIN_HEIGHT,
    shown: () => {
      const source = host.source(nodeId, name);
      const own = formatValue(spec, host.node(nodeId)?.params[name]);
      return source ? linkedText(source, own) : own;
    },
    box,
    scrollBy(dy: number, nodeWidth: number): boolean {
      const max = maxScroll(measuring(), nodeWidth);
      if (!max) return false;
      widget.scroll = Math.min(max, Math.max(0, widget.scroll + dy));
      return true;
    },
    computeLayoutSize: () => ({ minHeight: TEXT_AREA_MIN_HEIGHT, maxHeight: 1e6, minWidth: 0 }),
    draw(ctx: CanvasRenderingContext2D, node: LGraphNode) {
      if (!host.node(nodeId)) return;
      const [x, y, w, h] = box(node.size[0]);
      const problem = host.problem(nodeId, name);
      ctx.save();
      ctx.fillStyle = '#1e1e1e';
      ctx.strokeStyle = problem ? (problem.severity === 'error' ? ERROR_COLOR : WARNING_COLOR) : '#555';
      ctx.beginPath();
      ctx.roundRect(x, y, w, h, 6);
      ctx.fill();
      ctx.stroke();
      if (host.lowQuality()) return ctx.restore();
      const source = host.source(nodeId, name);
      // driven by a link from an active node: the text below is not what is used
      const text = source?.mode === 'active' ? '' : valueOf();
      const { width, height } = inner(node.size[0]);
      ctx.beginPath();
      ctx.rect(x + 1, y + 1, w - 2, h - 2);
      ctx.clip();
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      if (source?.mode === 'active') {
        ctx.font = TEXT.font;
        ctx.fillStyle = '#ddd';
        ctx.fillText(`${spec.label} ${linkedText(source, '')}`, x + TEXT.pad, y + TEXT.pad);
      } else if (!text) {
        ctx.font = `italic ${TEXT.font}`;
        ctx.fillStyle = '#777';
        ctx.fillText(`${spec.label} — click to type`, x + TEXT.pad, y + TEXT.pad);
      } else {
        const lines = linesOf(ctx, text, width);
        const max = Math.max(0, lines.length * TEXT.line - height);
        widget.scroll = Math.min(widget.scroll, max);
        ctx.font = TEXT.font;
        ctx.fillStyle = '#ddd';
        const first = Math.floor(widget.scroll / TEXT.line);
        for (let i = first; i < lines.length; i++) {
          const ly = y + TEXT.pad + i * TEXT.line - widget.scroll;
          if (ly > y + h) break;
          ctx.fillText(lines[i]!, x + TEXT.pad, ly + 2);
        }
        if (max > 0) {
          // where the view is in the text: a thin bar on the right
          const track = h - 8;
          const thumb = Math.max(14, (track * height) / (lines.length * TEXT.line));
          ctx.fillStyle = '#666';
          ctx.beginPath();
          ctx.roundRect(x + w - 6, y + 4 + ((track - thumb) * widget.scroll) / max, 3, thumb, 1.5);
          ctx.fill();
        }
      }
      const counter = counterText(spec, text);
      if (counter) {
        ctx.font = 'bold 11px sans-serif';
        const cw = ctx.measureText(counter.text).width + 10;
        ctx.fillStyle = 'rgba(20,20,20,0.9)';
        ctx.beginPath();
        ctx.roundRect(x + w - cw - 10, y + h - 19, cw, 15, 4);
        ctx.fill();
        ctx.fillStyle = counter.over ? ERROR_COLOR : WARNING_COLOR;
        ctx.textBaseline = 'middle';
        ctx.fillText(counter.text, x + w - cw - 5, y + h - 11.5);
      }
      // the ⤢ mark: the pop-up editor, for long edits (none while a link gives the value)
      if (source?.mode === 'active') return ctx.restore();
      ctx.fillStyle = 'rgba(20,20,20,0.85)';
      ctx.fillRect(x + w - TEXT.expand - 8, y + 2, TEXT.expand, TEXT.expand);
      ctx.font = '12px sans-serif';
      ctx.fillStyle = '#aaa';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('⤢', x + w - TEXT.expand / 2 - 8, y + 2 + TEXT.expand / 2);
      ctx.restore();
    },
    onPointerDown: (pointer: { onClick?: (e: PointerEvent) => void }, node: LGraphNode, canvas: { graph_mouse: ArrayLike<number> }) => {
      const [x, y, w] = box(node.size[0]);
      const px = canvas.graph_mouse[0]! - node.pos[0]!;
      const py = canvas.graph_mouse[1]! - node.pos[1]!;
      const onExpand = px >= x + w - TEXT.expand - 10 && py <= y + TEXT.expand + 4;
      pointer.onClick = () => {
        if (!host.node(nodeId)) return;
        if (onExpand) host.edit(nodeId, name, widget as unknown as IWidget);
        else host.editText(nodeId, name, widget as unknown as TextAreaWidget);
      };
      return true;
    },
  };
  return widget as unknown as TextAreaWidget;
}
