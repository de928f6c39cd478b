import type { NodeDefinition } from '../../core/node-def';
import { h } from './dom';

// The node search: double-click on empty canvas, or drop a dragged link there (then only node
// types that can take the link are offered). Fuzzy over name, category and description; with
// nothing typed yet the task nodes come first, so Enter on an empty canvas starts a graph.

function fuzzyScore(query: string, text: string): number {
  const q = query.toLowerCase().trim();
  const t = text.toLowerCase();
  if (!q) return 1;
  if (t.startsWith(q)) return 100;
  const word = t.indexOf(` ${q}`);
  if (word >= 0) return 80;
  if (t.includes(q)) return 60;
  // every query letter in order, closer together scoring higher
  let at = -1;
  let gaps = 0;
  for (const ch of q) {
    if (ch === ' ') continue;
    const next = t.indexOf(ch, at + 1);
    if (next < 0) return 0;
    if (at >= 0) gaps += next - at - 1;
    at = next;
  }
  return Math.max(1, 40 - gaps);
}

export function rankNodes(defs: readonly NodeDefinition[], query: string): NodeDefinition[] {
  return defs
    .map((d) => ({ d, s: Math.max(fuzzyScore(query, d.title) * 2, fuzzyScore(query, d.category) * 1.5, fuzzyScore(query, d.type), fuzzyScore(query, d.description) * 0.5) }))
    .filter((x) => x.s > 0)
    // equal matches (all of them for an empty query): task nodes first, where a graph starts, then
    // the shorter title (nearer to what was typed: "frame" finds Frame Image before Frame From Video)
    .sort((a, b) => b.s - a.s || Number(!!b.d.producesTask) - Number(!!a.d.producesTask) || a.d.title.length - b.d.title.length || a.d.title.localeCompare(b.d.title))
    .map((x) => x.d);
}

/** Node types with a port that can take a link of `type` coming from `from`. */
export const compatible = (defs: readonly NodeDefinition[], type: string, from: 'output' | 'input') =>
  defs.filter((d) => Object.values(from === 'output' ? d.inputs : d.outputs).some((p) => p.type === type));

export function openSearch(opts: { defs: readonly NodeDefinition[]; x: number; y: number; title?: string; onPick(def: NodeDefinition): void }): () => void {
  const input = h('input', { class: 'search-input', type: 'text', placeholder: 'Search nodes…', 'aria-label': 'Search nodes' });
  const list = h('ul', { class: 'search-list', role: 'listbox' });
  const box = h('div', { class: 'search-box', style: `left:${Math.min(opts.x, innerWidth - 340)}px;top:${Math.min(opts.y, innerHeight - 360)}px` }, opts.title ? h('div', { class: 'search-title' }, opts.title) : null, input, list);
  let results: NodeDefinition[] = [];
  let active = 0;
  const render = () => {
    results = rankNodes(opts.defs, input.value);
    active = Math.min(active, Math.max(0, results.length - 1));
    list.replaceChildren(
      ...results.map((d, i) =>
        h(
          'li',
          { class: i === active ? 'active' : '', role: 'option', dataset: { type: d.type }, onpointerdown: (e: Event) => (e.preventDefault(), pick(d)) },
          h('span', { class: 'search-name' }, d.title),
          h('span', { class: 'search-cat' }, d.category),
        ),
      ),
      ...(results.length ? [] : [h('li', { class: 'empty' }, 'No node matches')]),
    );
  };
  const close = () => {
    box.remove();
    removeEventListener('pointerdown', outside, true);
  };
  const pick = (d: NodeDefinition) => {
    close();
    opts.onPick(d);
  };
  const outside = (e: Event) => {
    if (!box.contains(e.target as Node)) close();
  };
  input.addEventListener('input', () => ((active = 0), render()));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') active = Math.min(active + 1, results.length - 1);
    else if (e.key === 'ArrowUp') active = Math.max(active - 1, 0);
    else if (e.key === 'Enter' && results[active]) return pick(results[active]!);
    else if (e.key === 'Escape') return close();
    else return;
    e.preventDefault();
    render();
  });
  document.body.append(box);
  addEventListener('pointerdown', outside, true);
  render();
  input.focus();
  return close;
}
