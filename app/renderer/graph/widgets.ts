import type { ParamSpec, ParamValue } from '../../core/params';

// Widgets derive from each parameter's spec through one table: what the value looks like on the
// canvas, what the arrows step by, and which editor opens on click. Unset optional parameters
// read "unset" (with the service's default beside it), so unset and set-to-default differ.

export type EditorKind = 'number' | 'seed' | 'combo' | 'toggle' | 'text' | 'multiline';

export interface WidgetBehaviour {
  editor: EditorKind;
  /** Numbers step with the arrows at either end. */
  step?: number;
  /** The choices of a combo, as values. */
  choices?: readonly (string | number | boolean)[];
}

export function behaviourOf(spec: ParamSpec): WidgetBehaviour {
  switch (spec.kind) {
    case 'int':
    case 'float':
      return { editor: 'number', step: nudgeOf(spec) };
    case 'seed':
      return { editor: 'seed', step: 1 };
    case 'enum':
      return { editor: 'combo', choices: spec.values };
    case 'bool':
      // an optional toggle has three states (unset, on, off): a combo says so honestly
      return spec.optional ? { editor: 'combo', choices: [true, false] } : { editor: 'toggle' };
    case 'string':
      return { editor: spec.multiline ? 'multiline' : spec.suggestions?.length ? 'combo' : 'text', ...(spec.suggestions?.length && { choices: spec.suggestions.map((s) => s.value) }) };
  }
}

const decimals = (step: number) => (String(step).split('.')[1] ?? '').length;

/** The value as the widget shows it. */
export function formatValue(spec: ParamSpec, value: unknown): string {
  if (value === undefined) return spec.default !== undefined ? `unset (${formatValue(spec, spec.default)})` : 'unset';
  if (spec.kind === 'float' && typeof value === 'number') return value.toFixed(Math.max(decimals(spec.step), 0));
  if (spec.kind === 'bool') return value === true ? 'on' : value === false ? 'off' : String(value);
  if (spec.kind === 'string' && spec.suggestions) {
    const named = spec.suggestions.find((s) => s.value === value);
    if (named) return named.label;
  }
  if (typeof value === 'string') return value.replace(/\s+/g, ' ');
  return String(value);
}

/** What one arrow click moves a number by: the spec's `nudge`, else 1 for whole numbers and the grid step for decimals. */
export function nudgeOf(spec: ParamSpec): number {
  if (spec.kind === 'float') return spec.nudge ?? spec.step;
  return spec.nudge ?? 1;
}

/** A drag's fine steps (Shift): a tenth of a nudge, never finer than the value's own grid. */
export function fineNudgeOf(spec: ParamSpec): number {
  const grid = spec.kind === 'float' ? spec.step : 1;
  const tenth = nudgeOf(spec) / 10;
  return tenth <= grid ? grid : spec.kind === 'float' ? Number((Math.round(tenth / grid) * grid).toFixed(decimals(grid))) : Math.round(tenth);
}

/** One arrow click: the value moved by a nudge, kept in range and on the step grid; an unset value takes its default (or minimum) first. */
export function stepValue(spec: ParamSpec, value: unknown, direction: 1 | -1): ParamValue | undefined {
  if (value === undefined && spec.kind !== 'seed') return moveValue(spec, undefined, 0);
  return moveValue(spec, value, direction * nudgeOf(spec));
}

/** Where a number starts from: its value, or for an unset one its default, else its minimum, else 0. */
function startOf(spec: ParamSpec, value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (spec.kind === 'seed') return spec.min;
  if (typeof spec.default === 'number') return spec.default;
  return (spec.kind === 'int' || spec.kind === 'float' ? spec.min : undefined) ?? 0;
}

/**
 * The value moved by `delta` (in the value's units: a drag adds up its notches, an arrow click
 * is one nudge), kept in range and on the value's grid. Undefined for a parameter that is not a number.
 */
export function moveValue(spec: ParamSpec, value: unknown, delta: number): ParamValue | undefined {
  const start = startOf(spec, value);
  if (spec.kind === 'seed') {
    let next = BigInt(start) + BigInt(Math.round(delta));
    if (next < spec.min) next = spec.min;
    if (next > spec.max) next = spec.max;
    return next <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(next) : next;
  }
  if (spec.kind !== 'int' && spec.kind !== 'float') return undefined;
  const grid = spec.kind === 'int' ? 1 : spec.step;
  const clamped = Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, Number(start) + delta));
  return spec.kind === 'int' ? Math.round(clamped) : Number((Math.round(clamped / grid) * grid).toFixed(decimals(grid)));
}

/**
 * Text typed into a widget's editor, read as the parameter's value. Returns undefined for an
 * empty entry (unset) and an Error the editor shows for anything the spec cannot take.
 */
export function parseTyped(spec: ParamSpec, text: string): ParamValue | undefined | Error {
  const t = text.trim();
  if (spec.kind !== 'string' && t === '') return undefined;
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const n = Number(t);
      return Number.isFinite(n) ? n : new Error(`“${t}” is not a number`);
    }
    case 'seed':
      return /^\d+$/.test(t) ? (BigInt(t) <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : BigInt(t)) : new Error('a seed is a whole number, 0 or more');
    case 'enum': {
      const hit = spec.values.find((v) => String(v) === t);
      return hit ?? new Error(`not one of ${spec.values.join(', ')}`);
    }
    case 'bool':
      return t === 'true' || t === 'on' ? true : t === 'false' || t === 'off' ? false : new Error('on or off');
    case 'string':
      return text === '' ? undefined : text;
  }
}
