import { isFinished, type JobView, type PlanView, type ResultView } from '../../core/contract';
import { WAITING } from '../../core/job-states';
import { formatCost, formatDuration, h } from './dom';
import { planItems, type PlanActions } from './plan-queue';

// The queue (every chain and its steps, then every job: state, elapsed time, cost, errors, cancel
// or retry) and the history of results (thumbnail, seed, cost, payload), both from the host's journals.

/**
 * What a job's results cost, as the service reported it. A task that did not ask for the cost
 * (includeCost) has results of unknown cost: that is said, never shown as $0.
 */
export function costText(j: JobView): string {
  if (j.reusedFrom) return '';
  const made = j.results.filter((r) => !r.error);
  const known = made.filter((r) => r.cost !== undefined);
  const parts: string[] = [];
  if (known.length) parts.push(`${formatCost(known.reduce((s, r) => s + r.cost!, 0))}${j.sandbox ? ' simulated' : ''}`);
  if (known.length < made.length) parts.push('cost not reported');
  return parts.join(' + ');
}

const STATE_WORDS: Record<JobView['state'], string> = {
  queued: 'queued',
  uploading: 'uploading images',
  submitting: 'submitting',
  processing: 'generating',
  downloading: 'downloading',
  unsaved: 'paid, not yet saved',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  lost: 'lost track — Retry to follow up',
  estimated: 'estimated',
};

/**
 * The state as the queue says it. A cancelled job's own reason (the host's: whether it may still
 * be billed, which only a paid endpoint may) stands in for the bare word, so it is said once.
 */
export const stateText = (j: JobView): string => (j.state === 'cancelled' && j.error ? j.error.message : STATE_WORDS[j.state]);

export function elapsed(j: JobView, now: number): string {
  const start = j.submittedAt ?? j.createdAt;
  return formatDuration((j.finishedAt ?? now) - start);
}

export interface QueueActions extends PlanActions {
  cancelJob(id: string): void;
  /** For a job waiting for the artist: results not yet saved, or lost track of. */
  retry(id: string): void;
}

/** Chains first (newest first), then every job. */
export function renderQueue(el: HTMLElement, jobs: readonly JobView[], plans: readonly PlanView[], now: number, actions: QueueActions): void {
  if (!jobs.length && !plans.length) {
    el.replaceChildren(h('p', { class: 'empty-note' }, 'No jobs yet. Run the graph with Ctrl+Enter.'));
    return;
  }
  el.replaceChildren(
    h(
      'ul',
      { class: 'queue-list', 'aria-label': 'Queue' },
      planItems(plans, new Map(jobs.map((j) => [j.id, j])), stateText, actions),
      jobs.map((j) =>
        h(
          'li',
          { dataset: { job: j.id, state: j.state } },
          h('div', {}, h('strong', {}, `${j.graphName ?? 'Untitled'} #${j.nodeId}`), j.sandbox ? ' · sandbox' : ''),
          h('div', {}, h('span', { class: `state state-${j.state}` }, stateText(j)), ` · ${elapsed(j, now)}`, j.results.length ? ` · ${j.results.length} result${j.results.length > 1 ? 's' : ''}` : '', costText(j) ? ` · ${costText(j)}` : '', j.reusedFrom ? ' · reused from cache, not paid again' : ''),
          j.error && stateText(j) !== j.error.message ? h('div', { class: 'state-failed' }, j.error.message) : null,
          ...j.results.filter((r) => r.error).map((r) => h('div', { class: 'state-failed' }, `result ${r.index + 1}: ${r.error!.message}`)),
          h(
            'div',
            {},
            WAITING.has(j.state) ? h('button', { type: 'button', onclick: () => actions.retry(j.id) }, 'Retry') : null,
            // paid results waiting to be saved are not given up by a click
            !isFinished(j) && j.state !== 'unsaved' ? h('button', { type: 'button', onclick: () => actions.cancelJob(j.id) }, 'Cancel') : null,
          ),
        ),
      ),
    ),
  );
}

export interface HistoryActions {
  mediaUrl(file: string): string;
  restore(file: string): void;
  reveal(file: string): void;
}

export interface HistoryEntry {
  /** The run that made the video (or the earliest listed run that has it). */
  j: JobView;
  r: ResultView;
  /** Later runs that reused this video from the cache instead of paying for it again. */
  reuses: number;
  /** The newest run that made or reused it: entries are listed newest first by it. */
  last: number;
}

/** Each video once, however many runs reused it from the cache; newest use first. */
export function historyEntries(jobs: readonly JobView[]): HistoryEntry[] {
  const byFile = new Map<string, HistoryEntry>();
  const done = jobs.filter((j) => j.state === 'done').sort((a, b) => a.createdAt - b.createdAt);
  for (const j of done) {
    for (const r of j.results) {
      if (!r.file) continue;
      const seen = byFile.get(r.file);
      if (seen) {
        seen.reuses++;
        seen.last = Math.max(seen.last, j.createdAt);
      } else byFile.set(r.file, { j, r, reuses: 0, last: j.createdAt });
    }
  }
  return [...byFile.values()].sort((a, b) => b.last - a.last);
}

const reuseNote = ({ j, reuses }: HistoryEntry): string | undefined =>
  reuses ? `reused from cache by ${reuses} later run${reuses === 1 ? '' : 's'}, not paid again` : j.reusedFrom ? 'reused from cache, not paid again' : undefined;

export function renderHistory(el: HTMLElement, jobs: readonly JobView[], actions: HistoryActions): void {
  const results = historyEntries(jobs);
  if (!results.length) {
    el.replaceChildren(h('p', { class: 'empty-note' }, 'Finished videos appear here.'));
    return;
  }
  el.replaceChildren(
    h(
      'ul',
      { class: 'history-list', 'aria-label': 'History' },
      results.map((entry) => {
        const { j, r } = entry;
        const reused = reuseNote(entry);
        return (
        h(
          'li',
          { dataset: { job: j.id } },
          h('video', { src: `${actions.mediaUrl(r.file!)}#t=0.5`, preload: 'metadata', muted: true, draggable: 'true', ondragstart: (e: DragEvent) => e.dataTransfer?.setData('application/x-wan-graph-video', r.file!) }),
          h(
            'div',
            {},
            h('div', {}, h('strong', {}, `${j.graphName ?? 'Untitled'} #${j.nodeId}`), j.sandbox ? ' · sandbox' : ''),
            h('div', {}, `seed ${r.seed}`, j.reusedFrom ? '' : r.cost !== undefined ? ` · ${formatCost(r.cost)}${j.sandbox ? ' simulated' : ''}` : ' · cost not reported', ` · ${new Date(j.finishedAt ?? j.createdAt).toLocaleString()}`),
            reused ? h('div', { class: 'reused' }, reused) : null,
            h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => actions.restore(r.file!) }, 'Restore graph'), h('button', { type: 'button', onclick: () => actions.reveal(r.file!) }, 'Show in folder')),
            h('details', {}, h('summary', {}, 'Payload'), h('pre', {}, j.payload)),
          ),
        )
        );
      }),
    ),
  );
}
