import { DEFAULT_MAX_TASKS } from '../../core/compile';
import type { HostApi, SettingsView } from '../../core/contract';
import { h } from './dom';
import { dialog, toast } from './overlay';

// Settings: where runs go, the API key (set, replace, clear — never shown back), concurrency, the
// library folder and the most tasks a run may send.

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
    ],
    buttons: [
      { label: 'Cancel', value: 'cancel' },
      { label: 'Save', value: 'save', primary: true },
    ],
  });
  if (answer !== 'save') return undefined;
  try {
    const n = Number(concurrency.value);
    const limit = Number(maxTasks.value);
    let next = await api['settings.set']({
      endpoint: endpoint.value as SettingsView['settings']['endpoint'],
      ...(endpoint.value === 'custom' && { customUrl: customUrl.value.trim() }),
      concurrency: Number.isInteger(n) && n >= 1 && n <= 16 ? n : view.settings.concurrency,
      ...(library.value.trim() && { libraryDir: library.value.trim() }),
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
