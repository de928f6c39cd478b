import type { IWidget } from '@comfyorg/litegraph';

// What a node type adds to its view beyond ports and parameter widgets, by type, so generic view
// code never asks for a type by name.

type AreaName = 'preview' | 'thumbnail';

/** Draws what an area holds into its box (node coordinates): the Frame Image's picture. */
export type AreaPainter = (name: AreaName, ctx: CanvasRenderingContext2D, nodeId: number, box: [number, number, number, number]) => void;

export interface AreaHook {
  /** What the area holds: the preview layer lays its players over 'preview' areas; 'thumbnail' is drawn on the canvas. */
  name: AreaName;
  /** Height it takes in a node of its preferred size; it fills whatever height the node has, down to `minHeight`. */
  height: number;
  minHeight: number;
  /** What a 'preview' area shows: the task's latest results (a player), or its latest run laid out by the swept values (a Compare Grid). */
  shows?: 'results' | 'grid';
}

export interface NodeViewHooks {
  /** An area kept free below the widgets, where the editor lays a DOM element over the canvas. */
  area?: AreaHook;
  /** Width of a node of its preferred size, where the standard width is too narrow for what it holds. */
  width?: number;
}

export const NODE_VIEW_HOOKS: Readonly<Partial<Record<string, NodeViewHooks>>> = {
  VideoPreview: { area: { name: 'preview', height: 220, minHeight: 100 } },
  // a grid of clips side by side: wide enough for three columns to be seen at a glance
  CompareGrid: { area: { name: 'preview', height: 400, minHeight: 160, shows: 'grid' }, width: 560 },
  // no minimum: a graph saved before pictures were shown keeps its layout (the picture shows once the node has room)
  FrameImage: { area: { name: 'thumbnail', height: 150, minHeight: 0 } },
  // prompts are long lines: room for them, and for the count in the title bar beside the title
  PromptList: { width: 440 },
};

/** Node types whose view has an area of this name. */
export const typesWithArea = (name: AreaHook['name']): Set<string> =>
  new Set(Object.entries(NODE_VIEW_HOOKS).flatMap(([type, hooks]) => (hooks?.area?.name === name ? [type] : [])));

/** Node types whose 'preview' area shows this. */
export const typesShowing = (shows: NonNullable<AreaHook['shows']>): Set<string> =>
  new Set(Object.entries(NODE_VIEW_HOOKS).flatMap(([type, hooks]) => (hooks?.area?.name === 'preview' && (hooks.area.shows ?? 'results') === shows ? [type] : [])));

/** An area as a litegraph widget: it takes the height the node leaves free. */
export type AreaWidget = IWidget & { area: AreaHook['name']; computedHeight?: number };

export function areaWidget(hook: AreaHook, paint?: AreaPainter): AreaWidget {
  const widget = {
    type: 'custom',
    name: `$${hook.name}`,
    area: hook.name,
    value: '',
    y: 0,
    options: {},
    serialize: false,
    computedHeight: hook.height,
    draw: (ctx: CanvasRenderingContext2D, node: { id: unknown }, width: number, y: number) => {
      if (widget.computedHeight < 24) return; // no room left for it
      ctx.fillStyle = '#1b1b1b';
      ctx.fillRect(10, y + 4, width - 20, widget.computedHeight - 8);
      paint?.(hook.name, ctx, Number(node.id), [10, y + 4, width - 20, widget.computedHeight - 8]);
    },
    computeLayoutSize: () => ({ minHeight: hook.minHeight, maxHeight: 1e6, minWidth: 0 }),
  };
  return widget as unknown as AreaWidget;
}

/** Height a node of this type is given beyond what litegraph computes, when the document stores no size. */
export const preferredExtraHeight = (type: string): number => {
  const area = NODE_VIEW_HOOKS[type]?.area;
  return area ? area.height - area.minHeight : 0;
};
