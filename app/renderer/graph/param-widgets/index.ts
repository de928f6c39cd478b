import { LiteGraph, type IWidget, type LGraphCanvas, type LGraphNode } from '@comfyorg/litegraph';
import type { Diagnostic } from '../../../core/diagnostics';
import type { GraphNode } from '../../../core/document';
import type { ParamSpec } from '../../../core/params';
import { setParam } from '../../editor/commands';
import type { Command } from '../../editor/history';
import { NODE_WIDTH } from '../look';
import { behaviourOf, formatValue, type EditorKind } from '../widgets';
import { fieldKind } from './field';
import type { WidgetKind } from './kind';
import { numberKind } from './number';
import { paintField, paintText } from './paint';
import { toggleKind } from './toggle';

// One litegraph widget per parameter. It holds no value: it reads the document's node each time
// it draws, so it always shows the document; a click becomes a command.

const KINDS: Record<EditorKind, WidgetKind> = { number: numberKind, seed: numberKind, toggle: toggleKind, combo: fieldKind, text: fieldKind, multiline: fieldKind };

export interface WidgetHost {
  /** The document's node, as it is now. */
  node(id: number): GraphNode | undefined;
  problem(nodeId: number, field: string): Diagnostic | undefined;
  /** Zoomed out, text cannot be read anyway: litegraph's own widgets skip it too. */
  lowQuality(): boolean;
  /** The parameter's spec with the limits of the model the node is connected to (Turbo: Results 1–4). */
  spec(nodeId: number, name: string): ParamSpec | undefined;
  exec(cmd: Command): void;
  /** Opens the value editor over the widget. */
  edit(nodeId: number, name: string, widget: IWidget): void;
}

/** A parameter widget also says what it shows, for the probe. */
export type ParamWidget = IWidget & { shown(): string };

export function paramWidget(host: WidgetHost, nodeId: number, name: string, spec: ParamSpec): ParamWidget {
  const kind = KINDS[behaviourOf(spec).editor];
  const valueOf = () => {
    const node = host.node(nodeId);
    return node && Object.hasOwn(node.params, name) ? node.params[name] : undefined;
  };
  const widget = {
    type: 'custom',
    name,
    value: '',
    y: 0,
    options: {},
    serialize: false,
    tooltip: spec.description,
    shown: () => formatValue(spec, valueOf()),
    draw: (ctx: CanvasRenderingContext2D, _node: LGraphNode, width: number, y: number, h: number) => {
      if (!host.node(nodeId)) return;
      const problem = host.problem(nodeId, name);
      paintField(ctx, width, y, h, problem);
      if (host.lowQuality()) return;
      kind.marks?.(ctx, width, y, h);
      const value = valueOf();
      paintText(ctx, width, y, h, { label: spec.label, value: kind.text(spec, value), unset: value === undefined, problem, pad: kind.pad });
    },
    computeSize: (width?: number) => [width ?? NODE_WIDTH, LiteGraph.NODE_WIDGET_HEIGHT] as [number, number],
    onPointerDown: (pointer: { onClick?: (e: PointerEvent) => void }, node: LGraphNode, canvas: LGraphCanvas) => {
      const x = canvas.graph_mouse[0]! - node.pos[0]!;
      const width = node.size[0]!;
      pointer.onClick = () => {
        const doc = host.node(nodeId);
        if (!doc) return;
        const value = valueOf();
        const click = kind.click(host.spec(nodeId, name) ?? spec, value, x, width);
        if (click === 'edit') host.edit(nodeId, name, widget as unknown as IWidget);
        // a step at the limit changes nothing, and leaves nothing to undo
        else if (click && click.set !== value) host.exec(setParam(doc, name, click.set, spec.label));
      };
      return true;
    },
  };
  return widget as unknown as ParamWidget;
}
