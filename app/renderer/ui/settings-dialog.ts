import { DEFAULT_MAX_TASKS } from '../../core/compile';
import type { HostApi, SettingsView } from '../../core/contract';
import { BudgetUsd } from '../../core/run-cost';
import { h } from './dom';
import { dialog, toast } from './overlay';

// Settings: where runs go, the API key (set, replace, clear — never shown back), concurrency,
// the library folder, the most tasks a run may send, and the budgets above which a run of several
// tasks asks first.

/** A budget field: empty is no limit (null), a number is checked by the contract's own rule. */
function budgetField(label: string, value: number | undefined) {
  const input = h('input', { type: 'number', min: 0, step: 0.01, inputmode: 'decimal', 'aria-label': label, placeholder: 'no limit', value: value === undefined ? '' : String(value) });
  const error = h('div', { class: 'note field-error', role: 'alert' });
  /** The value to send, or the problem in words. */
  const read = (): { value: number | null } | { problem: string } => {
    // a number input gives '' for text it cannot read: that is no empty field
    if (input.validity.badInput) return { problem: `${label}: not a number` };
    if (input.value.trim() === '') return { value: null };
    const parsed = BudgetUsd.safeParse(Number(input.value));
    return parsed.success ? { value: parsed.data } : { problem: `${label}: ${parsed.error.issues[0]!.message}` };
  };
  input.addEventListener('input', () => {
    const r = read();
    error.textContent = 'problem' in r ? r.problem : '';
  });
  return { row: h('label', {}, label, input), error, read };
}

export async function openSettings(api: HostApi, view: SettingsView): Promise<SettingsView | undefined> {
  const endpoint = h('select', { 'aria-label': 'Endpoint' }, h('option', { value: 'runware' }, 'Runware'), h('option', { value: 'sandbox' }, 'Local sandbox (free, placeholder videos)'), h('option', { value: 'custom' }, 'Custom URL'));
  endpoint.value = view.settings.endpoint;
  const customUrl = h('input', { type: 'text', 'aria-label': 'Custom endpoint URL', placeholder: 'https://…', value: view.settings.customUrl ?? '' });
  const customRow = h('label', {}, 'Custom endpoint URL', customUrl);
  const syncCustom = () => (customRow.style.display = endpoint.value === 'custom' ? '' : 'none');
  endpoint.addEventListener('change', syncCustom);
  syncCustom();
  const keyInput = h('input', { type: 'password', autocomplete: 'off', 'aria-label': 'API key', placeholder: view.key.set ? 'Type a new key to replace it' : 'Paste your Runware API key' });
  // where the key store cannot protect the key, keeping it for the session is the default
  const remember = h('input', { type: 'checkbox', checked: view.key.protected });
  const keyState = view.key.set ? `A key is set (${view.key.source === 'environment' ? 'from RUNWARE_API_KEY' : view.key.source === 'session' ? 'for this session' : 'in the key store'}).` : 'No key is set: runs go to the local sandbox, where nothing is billed.';
  const concurrency = h('input', { type: 'number', min: 1, max: 16, step: 1, 'aria-label': 'Concurrency', value: String(view.settings.concurrency) });
  const library = h('input', { type: 'text', 'aria-label': 'Library folder', value: view.settings.libraryDir ?? '', placeholder: view.libraryDir });
  const perRun = budgetField('Budget per run (USD)', view.settings.budgetPerRun);
  const perDay = budgetField('Budget per day (USD)', view.settings.budgetPerDay);
  const maxTasks = h('input', { type: 'number', min: 1, max: 10_000, step: 1, 'aria-label': 'Max tasks per run', value: String(view.settings.maxTasksPerRun ?? DEFAULT_MAX_TASKS) });
  let clearKey = false;
  const clearButton = h('button', { type: 'button', class: 'danger', disabled: !view.key.set || view.key.source === 'environment', onclick: () => ((clearKey = true), (keyStateEl.textContent = 'The key will be cleared when you save.')) }, 'Clear key');
  const keyStateEl = h('div', { class: 'note key-state' }, keyState);
  const answer = await dialog({
    title: 'Settings',
    name: 'Settings',
    body: [
      h('label', {}, 'Endpoint', endpoint),
      customRow,
      h('div', { class: 'note' }, view.target.notice),
      h('label', {}, 'API key', keyInput),
      keyStateEl,
      view.key.note ? h('div', { class: 'note' }, view.key.note) : '',
      h('div', { class: 'row' }, h('label', { style: 'display:flex;gap:6px;align-items:center' }, remember, 'Remember the key'), clearButton),
      h('label', {}, 'Jobs at once', concurrency),
      h('label', {}, 'Library folder', library),
      h('label', {}, 'Max tasks per run', maxTasks),
      h('div', { class: 'note' }, 'A sweep makes one task per combination of its lists; a run that would send more is stopped before anything is sent.'),
      perRun.row,
      perRun.error,
      perDay.row,
      perDay.error,
      h('div', { class: 'note' }, 'A run of several tasks estimated above a budget, or of unknown cost, asks before it is sent. Empty: no limit.'),
    ],
    buttons: [
      { label: 'Cancel', value: 'cancel' },
      { label: 'Save', value: 'save', primary: true },
    ],
  });
  if (answer !== 'save') return undefined;
  const budgets = [perRun.read(), perDay.read()];
  const problem = budgets.find((b) => 'problem' in b);
  if (problem && 'problem' in problem) {
    toast(`Settings not saved: ${problem.problem}`, 'error');
    return undefined;
  }
  const [budgetPerRun, budgetPerDay] = budgets.map((b) => ('value' in b ? b.value : null));
  try {
    const n = Number(concurrency.value);
    const limit = Number(maxTasks.value);
    let next = await api['settings.set']({
      endpoint: endpoint.value as SettingsView['settings']['endpoint'],
      ...(endpoint.value === 'custom' && { customUrl: customUrl.value.trim() }),
      concurrency: Number.isInteger(n) && n >= 1 && n <= 16 ? n : view.settings.concurrency,
      ...(library.value.trim() && { libraryDir: library.value.trim() }),
      budgetPerRun,
      budgetPerDay,
      ...(Number.isInteger(limit) && limit >= 1 && limit <= 10_000 && { maxTasksPerRun: limit }),
    });
    if (clearKey) next = await api['key.clear']({});
    if (keyInput.value.trim()) next = await api['key.set']({ key: keyInput.value.trim(), remember: remember.checked });
    keyInput.value = '';
    return next;
  } catch (e) {
    toast(`Settings not saved: ${(e as Error).message}`, 'error');
    return undefined;
  }
}
