import type { Diagnostic } from '../../core/diagnostics';
import { h } from './dom';

// Every problem of the graph, errors first; a click focuses the node and the field.

export function renderErrors(el: HTMLElement, diagnostics: readonly Diagnostic[], focus: (d: Diagnostic) => void): void {
  if (!diagnostics.length) {
    el.replaceChildren(h('p', { class: 'empty-note' }, 'No problems: every task compiles.'));
    return;
  }
  const sorted = [...diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  el.replaceChildren(
    h(
      'ul',
      { class: 'errors-list', 'aria-label': 'Problems' },
      sorted.map((d) =>
        h(
          'li',
          { class: d.severity, tabindex: 0, dataset: { node: String(d.nodeId ?? ''), field: d.field ?? '' }, onclick: () => focus(d), onkeydown: (e: KeyboardEvent) => e.key === 'Enter' && focus(d) },
          h('div', {}, d.message),
          h('div', { class: 'where' }, [d.nodeId !== undefined ? `${d.nodeTitle ?? 'node'} #${d.nodeId}` : d.path ?? 'graph', d.field ? ` › ${d.field}` : '', d.code === 'service' ? ' · from the service' : ''].join('')),
        ),
      ),
    ),
  );
}
