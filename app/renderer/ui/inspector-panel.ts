import type { CompiledTask } from '../../core/compile';
import { stringifyJson } from '../../core/json';
import { h } from './dom';
import { toast } from './overlay';

// The payload inspector: the compiled JSON of the selected task (or of the tasks the selected
// node feeds), live, copyable, and as a curl command that reads the key from the environment.

export const RUNWARE_URL = 'https://api.runware.ai/v1';

/** The task as the Payload tab shows it and "Copy JSON" copies it: the compiled task, nothing added. */
export const payloadJson = (task: Record<string, unknown>): string => stringifyJson(task);

export function curlCommand(task: Record<string, unknown>): string {
  const body = stringifyJson([task], 0).replace(/'/g, `'\\''`);
  return `curl -X POST ${RUNWARE_URL} \\\n  -H "Authorization: Bearer $RUNWARE_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${body}'`;
}

/** The tasks a node shows: its own, or those it contributes to. */
export function tasksOf(tasks: readonly CompiledTask[], nodeId: number | undefined): CompiledTask[] {
  if (nodeId === undefined) return [...tasks];
  const own = tasks.filter((t) => t.nodeId === nodeId);
  if (own.length) return own;
  return tasks.filter((t) => [...t.origins.values()].some((o) => o.nodeId === nodeId));
}

const copy = async (text: string, what: string) => {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} copied`);
  } catch {
    toast(`Could not copy the ${what.toLowerCase()}: the clipboard was refused`, 'error');
  }
};

export function renderInspector(el: HTMLElement, tasks: readonly CompiledTask[], selected: number | undefined, ok: boolean): void {
  const shown = tasksOf(tasks, selected);
  if (!shown.length) {
    el.replaceChildren(h('p', { class: 'empty-note' }, tasks.length ? 'The selected node feeds no task.' : ok ? 'No task yet: add a Video Inference node.' : 'Fix the problems listed under Problems to see the payload.'));
    return;
  }
  el.replaceChildren(
    h(
      'div',
      { class: 'inspector' },
      shown.map((t) => {
        const json = payloadJson(t.task);
        return h(
          'section',
          { dataset: { task: String(t.nodeId) } },
          h('div', { class: 'row' }, h('strong', {}, `Task of node #${t.nodeId}`), h('button', { type: 'button', onclick: () => copy(json, 'JSON') }, 'Copy JSON'), h('button', { type: 'button', onclick: () => copy(curlCommand(t.task), 'curl command') }, 'Copy as curl')),
          h('div', { class: 'note' }, 'The taskUUID is replaced by a fresh one at each run.'),
          h('pre', { class: 'payload', 'aria-label': `Payload of node ${t.nodeId}` }, json),
        );
      }),
    ),
  );
}
