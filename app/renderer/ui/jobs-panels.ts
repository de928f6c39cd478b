import { isFinished, type JobView } from '../../core/contract';
import { WAITING } from '../../core/job-states';
import { formatCost, formatDuration, h } from './dom';

// The queue (every job: state, elapsed time, cost, errors, cancel or retry) and the history of results
// (thumbnail, seed, cost, payload), both from the host's journal.

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
  cancelled: 'cancelled — may still be billed',
  lost: 'lost track — Retry to follow up',
  estimated: 'estimated',
};

export function elapsed(j: JobView, now: number): string {
  const start = j.submittedAt ?? j.createdAt;
  return formatDuration((j.finishedAt ?? now) - start);
}

export interface QueueActions {
  cancel(id: string): void;
  /** For a job waiting for the artist: results not yet saved, or lost track of. */
  retry(id: string): void;
}

export function renderQueue(el: HTMLElement, jobs: readonly JobView[], now: number, actions: QueueActions): void {
  if (!jobs.length) {
    el.replaceChildren(h('p', { class: 'empty-note' }, 'No jobs yet. Run the graph with Ctrl+Enter.'));
    return;
  }
  el.replaceChildren(
    h(
      'ul',
      { class: 'queue-list', 'aria-label': 'Queue' },
      jobs.map((j) =>
        h(
          'li',
          { dataset: { job: j.id, state: j.state } },
          h('div', {}, h('strong', {}, `${j.graphName ?? 'Untitled'} #${j.nodeId}`), j.sandbox ? ' · sandbox' : ''),
          h('div', {}, h('span', { class: `state state-${j.state}` }, STATE_WORDS[j.state]), ` · ${elapsed(j, now)}`, j.results.length ? ` · ${j.results.length} result${j.results.length > 1 ? 's' : ''}` : '', costText(j) ? ` · ${costText(j)}` : '', j.reusedFrom ? ' · reused, not paid again' : ''),
          j.error ? h('div', { class: 'state-failed' }, j.error.message) : null,
          ...j.results.filter((r) => r.error).map((r) => h('div', { class: 'state-failed' }, `result ${r.index + 1}: ${r.error!.message}`)),
          h(
            'div',
            {},
            WAITING.has(j.state) ? h('button', { type: 'button', onclick: () => actions.retry(j.id) }, 'Retry') : null,
            // paid results waiting to be saved are not given up by a click
            !isFinished(j) && j.state !== 'unsaved' ? h('button', { type: 'button', onclick: () => actions.cancel(j.id) }, 'Cancel') : null,
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

export function renderHistory(el: HTMLElement, jobs: readonly JobView[], actions: HistoryActions): void {
  const results = jobs.filter((j) => j.state === 'done').flatMap((j) => j.results.filter((r) => r.file).map((r) => ({ j, r })));
  if (!results.length) {
    el.replaceChildren(h('p', { class: 'empty-note' }, 'Finished videos appear here.'));
    return;
  }
  el.replaceChildren(
    h(
      'ul',
      { class: 'history-list', 'aria-label': 'History' },
      results.map(({ j, r }) =>
        h(
          'li',
          { dataset: { job: j.id } },
          h('video', { src: `${actions.mediaUrl(r.file!)}#t=0.5`, preload: 'metadata', muted: true, draggable: 'true', ondragstart: (e: DragEvent) => e.dataTransfer?.setData('application/x-wan-graph-video', r.file!) }),
          h(
            'div',
            {},
            h('div', {}, h('strong', {}, `${j.graphName ?? 'Untitled'} #${j.nodeId}`), j.sandbox ? ' · sandbox' : ''),
            h('div', {}, `seed ${r.seed}`, r.cost !== undefined ? ` · ${formatCost(r.cost)}${j.sandbox ? ' simulated' : ''}` : ' · cost not reported', ` · ${new Date(j.finishedAt ?? j.createdAt).toLocaleString()}`),
            h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => actions.restore(r.file!) }, 'Restore graph'), h('button', { type: 'button', onclick: () => actions.reveal(r.file!) }, 'Show in folder')),
            h('details', {}, h('summary', {}, 'Payload'), h('pre', {}, j.payload)),
          ),
        ),
      ),
    ),
  );
}
