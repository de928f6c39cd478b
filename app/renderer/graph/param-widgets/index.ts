import { LiteGraph, type CanvasPointer, type IWidget, type LGraphCanvas, type LGraphNode } from '@comfyorg/litegraph';
import type { NodeDefinition } from '../../../core/node-def';
import type { ParamSpec, ParamValue } from '../../../core/params';
import { setParam } from '../../editor/commands';
import { linkedText } from '../../editor/param-links';
import type { Command } from '../../editor/history';
import { NODE_WIDTH } from '../sizes';
import { behaviourOf, formatValue, type EditorKind } from '../widgets';
import { fieldKind } from './field';
import type { DragPixels, WidgetKind } from './kind';
import { numberKind } from './number';
import { paintField, paintText } from './paint';
import { textAreaWidget, type TextAreaHost } from './text-area';
import { toggleKind } from './toggle';

// One litegraph widget per parameter. It holds no value: it reads the document's node each time
// it draws, so it always shows the document; a click becomes a command. A parameter driven by a
// link says where its value comes from instead (litegraph greys it and passes it no clicks).

const KINDS: Record<Exclude<EditorKind, 'multiline'>, WidgetKind> = { number: numberKind, seed: numberKind, toggle: toggleKind, combo: fieldKind, text: fieldKind };

/** What the widgets ask of the canvas: what a text area asks, and more. */
export interface WidgetHost extends TextAreaHost {
  /** The parameter's spec with the limits of the model the node is connected to (Turbo: Results 1–4). */
  spec(nodeId: number, name: string): ParamSpec | undefined;
  exec(cmd: Command): void;
  /** Something changed that only the view knows of (a drag in progress): draw again. */
  redraw(): void;
}

/** A parameter widget also says what it shows, for the probe. */
export type ParamWidget = IWidget & { shown(): string };

interface Drag {
  start: unknown;
  pixels: DragPixels;
  lastX: number;
  /** The value the drag has reached, shown until the pointer is released (view state). */
  value: ParamValue | undefined;
}

export function paramWidget(host: WidgetHost, def: NodeDefinition, nodeId: number, name: string): ParamWidget {
  const spec = def.params[name]!;
  const editor = behaviourOf(spec).editor;
  if (editor === 'multiline') return textAreaWidget(host, nodeId, name, spec);
  const kind = KINDS[editor];
  let drag: Drag | undefined;
  const docValue = () => {
    const node = host.node(nodeId);
    return node && Object.hasOwn(node.params, name) ? node.params[name] : undefined;
  };
  const valueOf = () => (drag?.value !== undefined ? drag.value : docValue());
  const widget = {
    type: 'custom',
    name,
    value: '',
    y: 0,
    options: {},
    serialize: false,
    tooltip: spec.description,
    shown: () => {
      const source = host.source(nodeId, name);
      return source ? linkedText(source, formatValue(spec, valueOf())) : formatValue(spec, valueOf());
    },
    draw: (ctx: CanvasRenderingContext2D, _node: LGraphNode, width: number, y: number, h: number) => {
      if (!host.node(nodeId)) return;
      const problem = host.problem(nodeId, name);
      paintField(ctx, width, y, h, problem);
      if (host.lowQuality()) return;
      const value = valueOf();
      const source = host.source(nodeId, name);
      // no arrows or marks on a linked row: its label lines up with the plain fields'
      if (source) return paintText(ctx, width, y, h, { label: spec.label, value: linkedText(source, kind.text(spec, value)), unset: false, problem, pad: fieldKind.pad });
      kind.marks?.(ctx, width, y, h);
      paintText(ctx, width, y, h, { label: spec.label, value: kind.text(spec, value), unset: value === undefined, problem, pad: kind.pad });
    },
    computeSize: (width?: number) => [width ?? NODE_WIDTH, LiteGraph.NODE_WIDGET_HEIGHT] as [number, number],
    onPointerDown: (pointer: CanvasPointer, node: LGraphNode, canvas: LGraphCanvas) => {
      const x = canvas.graph_mouse[0]! - node.pos[0]!;
      const width = node.size[0]!;
      pointer.onClick = () => {
        const doc = host.node(nodeId);
        if (!doc) return;
        const value = docValue();
        const click = kind.click(host.spec(nodeId, name) ?? spec, value, x, width);
        if (click === 'edit') host.edit(nodeId, name, widget as unknown as IWidget);
        // a step at the limit changes nothing, and leaves nothing to undo
        else if (click && click.set !== value) host.exec(setParam(doc, name, click.set, spec.label, def));
      };
      if (kind.drag) {
        // a drag shows the value it reaches as it goes and records it once, when released
        pointer.onDragStart = (_p, e) => void (drag = { start: docValue(), pixels: { coarse: 0, fine: 0 }, lastX: pointer.eDown?.clientX ?? e?.clientX ?? 0, value: undefined });
        pointer.onDrag = (e) => {
          if (!drag) return;
          drag.pixels[e.shiftKey ? 'fine' : 'coarse'] += e.clientX - drag.lastX;
          drag.lastX = e.clientX;
          drag.value = kind.drag!(host.spec(nodeId, name) ?? spec, drag.start, drag.pixels);
          host.redraw();
        };
        pointer.onDragEnd = () => {
          const reached = drag?.value;
          drag = undefined;
          const doc = host.node(nodeId);
          if (doc && reached !== undefined && !sameValue(reached, docValue())) host.exec(setParam(doc, name, reached, spec.label, def));
          host.redraw();
        };
      }
      return true;
    },
  };
  return widget as unknown as ParamWidget;
}

const sameValue = (a: unknown, b: unknown) => a === b || (typeof a !== typeof b && (typeof a === 'bigint' || typeof b === 'bigint') && String(a) === String(b));
