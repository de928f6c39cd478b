import type { CompileResult } from '../../core/compile';
import type { GraphDocument, GraphNode } from '../../core/document';
import type { Registry, SweepItems } from '../../core/node-def';
import { validateNodeParams } from '../../core/validate';

// What a node says of its sweep, in its title bar: a sweep node how many items it offers ("9
// values", "12 prompts (4 lines expanded)"), a task node how many tasks it makes when more than
// one and the graph runs ("× 9 tasks"), read from the compile result the editor has after each
// edit; and, where the pointer rests on a sweep node, its items as they will run ({a|b} expanded).
// Free of litegraph, so tests can derive what the canvas must show.

export function nodeCounts(doc: GraphDocument, registry: Registry, compiled: CompileResult): Map<number, string> {
  const out = new Map<number, string>();
  const tasks = new Map<number, number>();
  // only what a run would send: with an error in the graph nothing is sent (a list with a value
  // out of range leaves fewer tasks than its lists multiply to, which no count should suggest)
  if (compiled.ok) for (const t of compiled.tasks) tasks.set(t.nodeId, (tasks.get(t.nodeId) ?? 0) + 1);
  for (const [id, n] of tasks) if (n > 1) out.set(id, `× ${n} tasks`);
  for (const node of doc.nodes) {
    const items = sweepItemsOf(node, registry);
    if (items) out.set(node.id, items.summary ?? `${items.count} items`);
  }
  return out;
}

type Items = Exclude<SweepItems, { problem: string }>;

/** A sweep node's items as the compiler reads them (its valid parameters); undefined for another node, an inactive one, or a list it cannot read (which shows its problem instead). */
export function sweepItemsOf(node: GraphNode, registry: Registry): Items | undefined {
  const def = registry.get(node.type);
  if (!def?.sweep || node.mode !== 'active') return undefined;
  const items = def.sweep(validateNodeParams(node, def, []));
  return !items || 'problem' in items ? undefined : items;
}

/** What the pointer resting on a sweep node shows: its count, then its items as they will run, numbered (the first `max`). */
export function itemLines(items: Items, max = 12): string[] {
  const shown = Array.from({ length: Math.min(items.count, max) }, (_, i) => `${i + 1}. ${items.label(i)}`);
  return [`${items.summary ?? `${items.count} items`}:`, ...shown, ...(items.count > max ? [`… and ${items.count - max} more`] : [])];
}
