import { keyOf } from '../../core/support/shortcuts';
import { h } from './dom';

// The strip of workflow tabs above the canvas: each tab's name (in full on hover, with its file),
// a dot while it has unsaved changes, a badge while one of its runs is going, and a close button;
// a middle click closes too. "+" opens a new graph.

export interface TabItem {
  id: string;
  title: string;
  path: string | undefined;
  dirty: boolean;
  running: boolean;
  active: boolean;
}

export interface TabStripActions {
  activate(id: string): void;
  close(id: string): void;
  create(): void;
}

/** Names shown in the strip: tabs that would read the same are numbered. */
export function tabLabels(items: readonly Pick<TabItem, 'title'>[]): string[] {
  const seen = new Map<string, number>();
  return items.map(({ title }) => {
    const n = (seen.get(title) ?? 0) + 1;
    seen.set(title, n);
    return n === 1 ? title : `${title} (${n})`;
  });
}

export class TabStrip {
  #shown = '';

  constructor(
    readonly el: HTMLElement,
    readonly actions: TabStripActions,
  ) {
    el.setAttribute('role', 'tablist');
    el.setAttribute('aria-label', 'Open graphs');
    // a middle click must not start the browser's auto-scroll
    el.addEventListener('mousedown', (e) => e.button === 1 && e.preventDefault());
  }

  /** Rebuilt only when something shown changed, so a click never lands on a button being replaced. */
  render(items: readonly TabItem[]): void {
    const key = JSON.stringify(items);
    if (key === this.#shown) return;
    this.#shown = key;
    const labels = tabLabels(items);
    const tabs = items.map((t, i) => {
      const close = h('button', { type: 'button', class: 'doc-tab-close', title: `Close tab (${keyOf('closeTab')})`, 'aria-label': `Close ${labels[i]}`, onclick: (e: Event) => (e.stopPropagation(), this.actions.close(t.id)) }, '×');
      const state = t.running ? 'running' : t.dirty ? 'unsaved changes' : '';
      return h(
        'div',
        {
          class: `doc-tab${t.active ? ' active' : ''}${t.dirty ? ' dirty' : ''}${t.running ? ' running' : ''}`,
          role: 'tab',
          tabindex: t.active ? '0' : '-1',
          'aria-selected': String(t.active),
          title: `${labels[i]}${t.path ? `\n${t.path}` : ' (not saved to a file)'}${state ? `\n${state}` : ''}`,
          dataset: { tab: t.id },
          onclick: () => this.actions.activate(t.id),
          onmouseup: (e: MouseEvent) => e.button === 1 && (e.preventDefault(), this.actions.close(t.id)),
        },
        t.running ? h('span', { class: 'doc-tab-badge', 'aria-label': 'running' }) : null,
        h('span', { class: 'doc-tab-name' }, labels[i]!),
        t.dirty ? h('span', { class: 'doc-tab-dirty', 'aria-label': 'unsaved changes' }, '●') : null,
        close,
      );
    });
    this.el.replaceChildren(...tabs, h('button', { type: 'button', class: 'doc-tab-new', title: 'New graph in a new tab', 'aria-label': 'New tab', onclick: () => this.actions.create() }, '+'));
    this.el.querySelector('.doc-tab.active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}
