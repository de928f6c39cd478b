import { describeAllowed, paramProblem, textLength, type ParamSpec, type ParamValue } from '../../core/params';
import { behaviourOf, formatValue, parseTyped } from '../graph/widgets';
import { h } from './dom';

// The editor that opens over a widget: the right control for the parameter's kind, its allowed
// values said plainly, the problem with what is typed shown before it is committed, and "Unset"
// for optional parameters.

export interface ValueEditorOptions {
  spec: ParamSpec;
  value: unknown;
  rect: DOMRect;
  commit(value: ParamValue | undefined): void;
  /** For an image: a Browse… button; the value it picks is committed at once. */
  browse?: () => Promise<ParamValue | undefined>;
  /** Tab (Shift+Tab back): the value is committed and the editor of the node's next field opens. */
  tab?(back: boolean): void;
}

let open: (() => void) | undefined;

export function openValueEditor({ spec, value, rect, commit, browse, tab }: ValueEditorOptions): void {
  open?.();
  const behaviour = behaviourOf(spec);
  const problem = h('div', { class: 'value-problem', role: 'alert' });
  const hint = h('div', { class: 'value-hint' }, spec.description, spec.kind !== 'string' ? ` (${describeAllowed(spec)})` : '');
  let control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  const UNSET = '\u0000unset';

  if (behaviour.editor === 'combo' && !(spec.kind === 'string' && !spec.suggestions)) {
    const select = h('select', { class: 'value-input', 'aria-label': spec.label });
    if (spec.optional) select.append(h('option', { value: UNSET }, spec.default !== undefined ? `unset (${formatValue(spec, spec.default)})` : 'unset'));
    for (const choice of behaviour.choices ?? []) select.append(h('option', { value: String(choice) }, formatValue(spec, choice)));
    if (spec.kind === 'string' && value !== undefined && !behaviour.choices?.includes(value as string)) select.append(h('option', { value: String(value) }, String(value)));
    select.value = value === undefined ? UNSET : String(value);
    control = select;
  } else if (behaviour.editor === 'multiline') {
    control = h('textarea', { class: 'value-input value-text', rows: 8, 'aria-label': spec.label });
    control.value = typeof value === 'string' ? value : '';
  } else {
    control = h('input', { class: 'value-input', type: 'text', 'aria-label': spec.label, inputmode: behaviour.editor === 'number' || behaviour.editor === 'seed' ? 'decimal' : undefined });
    control.value = value === undefined ? '' : String(value);
    control.placeholder = spec.default !== undefined ? `unset (${formatValue(spec, spec.default)})` : 'unset';
  }

  const read = (): ParamValue | undefined | Error => {
    if (control instanceof HTMLSelectElement) {
      if (control.value === UNSET) return undefined;
      const choice = behaviour.choices?.find((c) => String(c) === control.value);
      return (choice ?? control.value) as ParamValue;
    }
    return parseTyped(spec, control.value);
  };
  /** Set once the artist tried to commit a value that cannot be taken: the problem then also says how to leave. */
  let tried = false;
  const check = (): boolean => {
    const v = read();
    const message = v instanceof Error ? v.message : v === undefined ? (spec.optional ? '' : `${spec.label} is required`) : (paramProblem(spec, v) ?? '');
    problem.textContent = message && tried ? `${message}. Not set: correct it, or press Esc to leave it as it was.` : message;
    box.classList.toggle('invalid', !!message && tried);
    if (spec.kind === 'string' && control instanceof HTMLTextAreaElement) counter.textContent = `${textLength(control.value)}${spec.maxLength ? ` / ${spec.maxLength}` : ''} characters`;
    return !message;
  };
  const counter = h('span', { class: 'value-count' });
  const done = () => {
    if (!check()) {
      tried = true;
      check();
      control.focus();
      return;
    }
    const v = read() as ParamValue | undefined;
    close();
    if (!same(v, value)) commit(v);
  };
  const box = h(
    'div',
    { class: `value-editor${behaviour.editor === 'multiline' ? ' wide' : ''}`, role: 'dialog', 'aria-label': `Edit ${spec.label}` },
    h('div', { class: 'value-head' }, h('strong', {}, spec.label), counter),
    control,
    problem,
    hint,
    h(
      'div',
      { class: 'value-actions' },
      browse
        ? h('button', { type: 'button', class: 'value-browse', onclick: () => void browse().then((picked) => picked !== undefined && (close(), commit(picked))) }, 'Browse…')
        : null,
      spec.optional ? h('button', { type: 'button', onclick: () => (close(), value !== undefined && commit(undefined)) }, 'Unset') : null,
      h('button', { type: 'button', onclick: () => close() }, 'Cancel'),
      h('button', { type: 'button', class: 'primary', onclick: done }, 'OK'),
    ),
  );
  const width = behaviour.editor === 'multiline' ? Math.max(rect.width, 460) : Math.max(rect.width, 280);
  box.style.left = `${Math.max(8, Math.min(rect.left, innerWidth - width - 8))}px`;
  box.style.top = `${Math.max(8, Math.min(rect.top, innerHeight - (behaviour.editor === 'multiline' ? 320 : 170)))}px`;
  box.style.width = `${width}px`;
  control.addEventListener('input', check);
  control.addEventListener('change', () => control instanceof HTMLSelectElement && done());
  // keys reach the editor wherever the focus is (the control, a button, nothing): Escape always leaves
  const keys = (ke: KeyboardEvent) => {
    const tag = (ke.target as HTMLElement | null)?.tagName;
    if (ke.key === 'Tab' && tab && tag !== 'BUTTON') {
      // the value is kept (or its problem shown), then the node's next field opens
      ke.preventDefault();
      ke.stopPropagation();
      const ok = check();
      done();
      if (ok) tab(ke.shiftKey);
    } else if (ke.key === 'Escape') {
      ke.preventDefault();
      ke.stopPropagation();
      close();
    } else if (ke.key === 'Enter' && tag !== 'BUTTON' && (tag !== 'TEXTAREA' || ke.ctrlKey || ke.metaKey)) {
      ke.preventDefault();
      ke.stopPropagation();
      done();
    } else if (box.contains(ke.target as Node)) ke.stopPropagation(); // typing here is not a canvas shortcut
  };
  const outside = (e: Event) => {
    if (!box.contains(e.target as Node)) done();
  };
  const close = () => {
    box.remove();
    removeEventListener('pointerdown', outside, true);
    removeEventListener('keydown', keys, true);
    open = undefined;
  };
  open = close;
  document.body.append(box);
  addEventListener('pointerdown', outside, true);
  addEventListener('keydown', keys, true);
  check();
  control.focus();
  if (control instanceof HTMLInputElement) control.select();
}

const same = (a: unknown, b: unknown) => a === b || (typeof a !== 'object' && typeof b !== 'object' && String(a) === String(b) && typeof a === typeof b);
