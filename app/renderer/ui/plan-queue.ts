import type { JobView, PlanStepView, PlanView } from '../../core/contract';
import { isStepOver } from '../../core/job-states';
import { h } from './dom';

// Chains in the queue: each chain with its steps in the order they can run (shot, frame taken,
// next shot, …, join), what each is doing or waits for, and why one stopped. Cancelling a step
// cancels every step that needs it; a chain can be cancelled whole.

export interface PlanActions {
  cancel(plan: string, step?: string): void;
}

/** A job's state as the queue says it. */
type JobText = (job: JobView) => string;

const STEP_WORDS: Record<PlanStepView['state'], string> = {
  waiting: 'waiting',
  running: 'running',
  done: 'done',
  failed: 'failed',
  blocked: 'blocked',
  cancelled: 'cancelled',
};


/** A step's state in words: a shot under way says what its job is doing. */
function stepText(step: PlanStepView, job: JobView | undefined, jobText: JobText): string {
  if (step.state === 'running' && job) return jobText(job);
  if (step.state === 'running') return step.kind === 'frame' ? 'taking the frame' : step.kind === 'join' ? 'joining' : 'queued';
  return STEP_WORDS[step.state];
}

function stepItem(plan: PlanView, step: PlanStepView, job: JobView | undefined, jobText: JobText, actions: PlanActions) {
  // a bare "cancelled" says nothing the state does not
  const reason = step.reason !== STEP_WORDS[step.state] ? step.reason : undefined;
  const detail = reason ?? step.note ?? (step.waitsFor.length ? `waits for ${step.waitsFor.join(' and ')}` : undefined);
  return h(
    'li',
    { dataset: { step: step.id, state: step.state } },
    h('span', { class: 'step-label' }, step.label),
    h('span', { class: `state state-${step.state}` }, stepText(step, job, jobText)),
    isStepOver(step.state) ? null : h('button', { type: 'button', class: 'step-cancel', title: 'Cancel this step and every step that needs it', onclick: () => actions.cancel(plan.id, step.id) }, 'Cancel'),
    detail ? h('div', { class: step.state === 'waiting' || step.state === 'done' ? 'step-waits' : `state-${step.state}` }, detail) : null,
  );
}

export function planItems(plans: readonly PlanView[], jobs: ReadonlyMap<string, JobView>, jobText: JobText, actions: PlanActions): HTMLElement[] {
  return plans.map((plan) => {
    const done = plan.steps.filter((s) => s.state === 'done').length;
    const open = plan.steps.some((s) => !isStepOver(s.state));
    return h(
      'li',
      { class: 'plan', dataset: { plan: plan.id } },
      h('div', {}, h('strong', {}, `${plan.graphName ?? 'Untitled'} · chain`), plan.sandbox ? ' · sandbox' : '', ` · ${done} of ${plan.steps.length} steps done`),
      h('ol', { class: 'plan-steps', 'aria-label': 'Steps' }, plan.steps.map((s) => stepItem(plan, s, s.jobId ? jobs.get(s.jobId) : undefined, jobText, actions))),
      open ? h('div', {}, h('button', { type: 'button', class: 'plan-cancel', onclick: () => actions.cancel(plan.id) }, 'Cancel chain')) : null,
    );
  });
}
