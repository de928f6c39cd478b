import type { PlanStepView, PlanView } from '../../core/contract';
import { shareableText } from '../../core/support/shareable';
import type { PlanRecord, StepState } from '../jobs/plan-runner';

// A chain as the editor's queue shows it: its steps in the order they can run (a shot, the frame
// taken from it, the next shot, …, the join), each with its state, its reason and what it still
// waits for. Reasons are told as errors are: no key, no URL query.

interface Step {
  id: string;
  kind: PlanStepView['kind'];
  nodeId: number;
  label: string;
  needs: readonly string[];
  parts?: number;
}

function stepsOf(plan: PlanRecord): Step[] {
  const shot = (t: PlanRecord['tasks'][number]) => `shot of node ${t.nodeId}${t.coordinates.length ? ` (${t.coordinates.map((c) => c.label).join(', ')})` : ''}`;
  const all: Step[] = [
    ...plan.tasks.map((t) => ({ id: t.step, kind: 'task' as const, nodeId: t.nodeId, label: shot(t), needs: t.needs })),
    ...plan.steps.map((s) => ({ id: s.id, kind: s.kind, nodeId: s.nodeId, label: s.label, needs: s.needs, ...(s.kind === 'join' && { parts: s.parts.length }) })),
  ];
  // each step after what it needs, otherwise in the compile's order
  const placed = new Set<string>();
  const ordered: Step[] = [];
  while (ordered.length < all.length) {
    const before = ordered.length;
    for (const s of all) {
      if (placed.has(s.id) || !s.needs.every((n) => placed.has(n))) continue;
      placed.add(s.id);
      ordered.push(s);
    }
    if (ordered.length === before) return [...ordered, ...all.filter((s) => !placed.has(s.id))];
  }
  return ordered;
}

export function planView(plan: PlanRecord, states: ReadonlyMap<string, StepState>, sandbox: boolean, redact: (s: string) => string = (s) => s): PlanView {
  const steps = stepsOf(plan);
  const labelOf = new Map(steps.map((s) => [s.id, s.label]));
  return {
    id: plan.id,
    ...(plan.graphName !== undefined && { graphName: plan.graphName }),
    ...(plan.docId !== undefined && { docId: plan.docId }),
    sandbox,
    createdAt: plan.createdAt,
    steps: steps.map((s) => {
      const st = states.get(s.id) ?? { state: 'waiting' as const };
      return {
        id: s.id,
        kind: s.kind,
        nodeId: s.nodeId,
        label: shareableText(s.label),
        state: st.state,
        ...(st.reason !== undefined && { reason: shareableText(redact(st.reason)) }),
        waitsFor: st.state === 'waiting' ? s.needs.filter((n) => states.get(n)?.state !== 'done').map((n) => shareableText(labelOf.get(n) ?? n)) : [],
        ...(st.jobId !== undefined && { jobId: st.jobId }),
        ...(st.output !== undefined && { output: st.output }),
        ...(st.note !== undefined && { note: st.note }),
        ...(s.parts !== undefined && { parts: s.parts }),
      };
    }),
  };
}
