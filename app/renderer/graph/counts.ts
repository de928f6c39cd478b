import type { CompileResult } from '../../core/compile';
import type { GraphDocument } from '../../core/document';
import type { Registry } from '../../core/node-def';
import { validateNodeParams } from '../../core/validate';

// What a node says of its sweep, in its title bar: a sweep node how many items it offers ("9
// values", "12 prompts (4 lines expanded)"), a task node how many tasks it makes when more than
// one ("× 9 tasks"), read from the compile result the editor has after each edit. Free of
// litegraph, so tests can derive what the canvas must show.

export function nodeCounts(doc: GraphDocument, registry: Registry, compiled: CompileResult): Map<number, string> {
  const out = new Map<number, string>();
  const tasks = new Map<number, number>();
  for (const t of compiled.tasks) tasks.set(t.nodeId, (tasks.get(t.nodeId) ?? 0) + 1);
  for (const [id, n] of tasks) if (n > 1) out.set(id, `× ${n} tasks`);
  for (const node of doc.nodes) {
    const def = registry.get(node.type);
    if (!def?.sweep || node.mode !== 'active') continue;
    // as the compiler reads them: the valid parameters only (a list it cannot read shows its problem instead)
    const items = def.sweep(validateNodeParams(node, def, []));
    if (!('problem' in items)) out.set(node.id, items.summary ?? `${items.count} items`);
  }
  return out;
}
