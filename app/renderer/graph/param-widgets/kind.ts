import type { ParamSpec, ParamValue } from '../../../core/params';

// A kind of parameter widget: how it shows its value, what it draws of its own, and what a click
// on it does. Each kind lives in its own file; `index.ts` picks one per parameter.

export interface DragPixels {
  coarse: number;
  fine: number;
}

type Click = { set: ParamValue } | 'edit' | undefined;

export interface WidgetKind {
  /** Room kept at either end of the field for the kind's own marks. */
  pad: number;
  /** The value as drawn. */
  text(spec: ParamSpec, value: unknown): string;
  /** The kind's own marks inside the field. */
  marks?(ctx: CanvasRenderingContext2D, width: number, y: number, h: number): void;
  /** A click `x` graph units from the node's left edge: a new value, the editor, or nothing. */
  click(spec: ParamSpec, value: unknown, x: number, width: number): Click;
  /**
   * A horizontal drag across the field: the value the drag has moved `start` to. `pixels` are the
   * screen pixels dragged so far (signed), those with Shift held (fine steps) apart, so pressing
   * or releasing Shift mid-drag never jumps. Kinds without it are not dragged.
   */
  drag?(spec: ParamSpec, start: unknown, pixels: DragPixels): ParamValue | undefined;
}
