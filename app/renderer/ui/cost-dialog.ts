import { plural, totalText, usd, type RunEstimate } from '../../core/run-cost';
import { h } from './dom';
import { dialog } from './overlay';

// Before a run of several tasks that goes beyond the artist's budgets (or whose cost is unknown):
// how many tasks, what each payload shape costs, the total and today's spend, and a choice. An
// unknown cost reads "unknown", never $0.

/** Resolves true when the artist chooses to run. */
export async function confirmRunCost(e: RunEstimate, over: readonly string[]): Promise<boolean> {
  const money = (n: number | undefined) => (n === undefined ? 'unknown' : usd(n));
  const shapes = h(
    'table',
    { class: 'cost-shapes', 'aria-label': 'Cost per payload shape' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Tasks'), h('th', {}, 'Each'), h('th', {}, 'Subtotal'), h('th', {}, 'Shape'))),
    h(
      'tbody',
      {},
      e.shapes.map((s) => h('tr', {}, h('td', {}, String(s.tasks)), h('td', {}, money(s.unitCost)), h('td', {}, money(s.unitCost === undefined ? undefined : s.unitCost * s.tasks)), h('td', {}, s.label, s.note ? h('div', { class: 'note' }, s.note) : null))),
    ),
  );
  const today = `Spent today (${e.today.day}, UTC): ${usd(e.today.spent)}${e.today.unreported ? ` and ${plural(e.today.unreported, 'result')} whose cost was not reported` : ''}.`;
  const answer = await dialog({
    title: `Run ${plural(e.tasks, 'task')}?`,
    name: 'Confirm the cost of the run',
    body: [
      h('p', { class: 'cost-total' }, `${plural(e.tasks, 'task')}, estimated total: `, h('strong', {}, totalText(e)), e.reused ? ` (${e.reused} reused, free)` : ''),
      e.shapes.length ? shapes : '',
      h('ul', { class: 'problems cost-over' }, over.map((reason) => h('li', {}, `Above your budget: ${reason}.`))),
      h('div', { class: 'note' }, today),
      e.sandbox ? h('div', { class: 'note' }, 'These are the local sandbox’s prices: nothing is billed.') : '',
    ],
    buttons: [
      { label: 'Cancel', value: 'cancel' },
      // not the primary button: Enter (or a Ctrl+Enter held down) must not spend above the budget
      { label: `Run ${plural(e.tasks, 'task')}`, value: 'run', danger: true },
    ],
  });
  return answer === 'run';
}
