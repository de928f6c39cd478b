import { RUNWARE_URL } from '../../core/support/endpoint';
import type { CompiledTask } from '../../core/compile';
import { classifyImageRef } from '../../core/image-ref';
import { stringifyJson } from '../../core/support/json';
import { placeholdersIn, showPlaceholders } from '../../core/plan';
import { h } from './dom';
import { toast } from './overlay';

// The payload inspector: the compiled JSON of the selected task (or of the tasks the selected
// node feeds), live, copyable, and as a curl command that reads the key from the environment.
// Several tasks (a sweep, or a node feeding several task nodes) are stepped through one at a
// time, each with the swept values that made it.

/**
 * The task as the Payload tab shows it and "Copy JSON" copies it: the compiled task, nothing
 * added; a value a step of the run gives (a frame taken from a video) shows where it comes from.
 */
export const payloadJson = (task: Record<string, unknown>): string => stringifyJson(showPlaceholders(task));

/** What the payload panel says about values a step of the run fills in, or undefined. */
function placeholdersNote(task: Record<string, unknown>): string | undefined {
  const found = placeholdersIn(task);
  if (!found.length) return undefined;
  return `${found.map((p) => `“← ${p.label}”`).join(' and ')} ${found.length === 1 ? 'is' : 'are'} made by this run before the task is sent: taken from the video, uploaded, and put in its place.`;
}

/** Frame images given as files on this machine: not something the service can read; the runner uploads (or inlines) them when the task runs. */
export function localImages(task: Record<string, unknown>): { index: number; path: string }[] {
  const frames = (task.inputs as { frameImages?: unknown } | undefined)?.frameImages;
  if (!Array.isArray(frames)) return [];
  return frames.flatMap((item: unknown, index) => {
    const image = typeof item === 'string' ? item : (item as { image?: unknown } | null)?.image;
    const ref = typeof image === 'string' ? classifyImageRef(image) : undefined;
    return ref?.kind === 'file' ? [{ index, path: ref.path }] : [];
  });
}

const uploadPlaceholder = (index: number) => `IMAGE_UUID_${index + 1}`;

/** What the payload panel says about local frame images, or undefined when there are none. */
export function localImagesNote(task: Record<string, unknown>): string | undefined {
  const local = localImages(task);
  if (!local.length) return undefined;
  const which = local.map((l) => `frame image ${l.index + 1} (${l.path})`).join(' and ');
  return `${which[0]!.toUpperCase()}${which.slice(1)} ${local.length === 1 ? 'is a file' : 'are files'} on this machine: uploaded when the task runs. Copy as curl leaves ${local.map((l) => uploadPlaceholder(l.index)).join(', ')} for you to fill with the imageUUID of an upload (taskType imageUpload).`;
}

/**
 * The task as a curl command that reads the key from the environment. A local frame image cannot
 * travel in it: its place holds a named placeholder, and comments at the top say how to fill it.
 */
export function curlCommand(task: Record<string, unknown>): string {
  const local = localImages(task);
  let sent = task;
  if (local.length) {
    sent = structuredClone(task);
    const frames = (sent.inputs as { frameImages: unknown[] }).frameImages;
    for (const { index } of local) {
      const item = frames[index];
      frames[index] = typeof item === 'string' ? uploadPlaceholder(index) : { ...(item as object), image: uploadPlaceholder(index) };
    }
  }
  const head = local.map((l) => `# ${uploadPlaceholder(l.index)}: ${l.path} is a file on this machine; Wan Graph uploads it when the task runs.\n#   Upload it first (taskType "imageUpload") and put the imageUUID you get here.\n`).join('');
  const body = stringifyJson([showPlaceholders(sent)], 0).replace(/'/g, `'\\''`);
  return `${head}curl -X POST ${RUNWARE_URL} \\\n  -H "Authorization: Bearer $RUNWARE_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${body}'`;
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

/** The selected node, as the payload panel needs it: its id and the task nodes it is wired into. */
export interface InspectedNode {
  id: number;
  /** A task node itself (a Video Inference). */
  isTask: boolean;
  wiredInto: readonly number[];
}

/** What the panel says when the selection shows no payload. */
export function emptyNote(tasks: readonly CompiledTask[], selected: InspectedNode | undefined, ok: boolean): string {
  if (selected?.isTask) return 'The task of this node does not compile yet: fix the problems listed under Problems to see its payload.';
  if (!tasks.length) return ok ? 'No task yet: add a Video Inference node.' : 'Fix the problems listed under Problems to see the payload.';
  if (!selected?.wiredInto.length) return 'The selected node feeds no task: link it into a Video Inference node.';
  const into = selected.wiredInto.map((id) => `#${id}`).join(', ');
  // wired in, yet nothing of it is in a payload: every value it could add is unset
  return tasks.some((t) => selected.wiredInto.includes(t.nodeId))
    ? `The selected node is linked into the task of node ${into} but adds nothing to it: its values are all unset. Set one to add it to the payload.`
    : `The selected node is linked into node ${into}, whose task does not compile yet: see Problems.`;
}

/** The shown task's coordinates as labels ("Seed 2 · CFG scale 1.5"), each axis named by `axisName`; a label of several words (a prompt) quoted, a long one cut short. */
export function coordinatesText(task: CompiledTask, axisName: (nodeId: number) => string): string {
  const short = (s: string) => (s.length > 48 ? `${s.slice(0, 47)}…` : s);
  return task.coordinates.map((c) => `${axisName(c.nodeId)} ${/\s/.test(c.label) ? `“${short(c.label)}”` : short(c.label)}`).join(' · ');
}

/** Where the panel is in a node's tasks, and how it moves and names the sweep's axes. */
export interface TaskStepping {
  /** The task shown, from 0 (kept within the tasks there are). */
  at: number;
  go(at: number): void;
  axisName(nodeId: number): string;
}

export function renderInspector(el: HTMLElement, tasks: readonly CompiledTask[], selected: InspectedNode | undefined, ok: boolean, stepping: TaskStepping): void {
  const shown = tasksOf(tasks, selected?.id);
  if (!shown.length) {
    el.replaceChildren(h('p', { class: 'empty-note' }, emptyNote(tasks, selected, ok)));
    return;
  }
  // one task at a time: what is shown is exactly what is copied, and sent
  const at = Math.min(Math.max(0, stepping.at), shown.length - 1);
  const t = shown[at]!;
  const json = payloadJson(t.task);
  const coordinates = coordinatesText(t, stepping.axisName);
  const steps =
    shown.length > 1
      ? h(
          'div',
          { class: 'task-steps' },
          h('button', { type: 'button', 'aria-label': 'Previous task', disabled: at === 0, onclick: () => stepping.go(at - 1) }, '‹'),
          h('span', { class: 'task-step', 'aria-live': 'polite' }, `${at + 1} / ${shown.length}`),
          h('button', { type: 'button', 'aria-label': 'Next task', disabled: at === shown.length - 1, onclick: () => stepping.go(at + 1) }, '›'),
          coordinates ? h('span', { class: 'task-coordinates', title: t.coordinates.map((c) => `${stepping.axisName(c.nodeId)}: ${c.label}`).join('\n') }, coordinates) : null,
        )
      : null;
  el.replaceChildren(
    h(
      'div',
      { class: 'inspector' },
      steps,
      h(
        'section',
        { dataset: { task: String(t.nodeId), index: String(at) } },
        h('div', { class: 'row' }, h('strong', {}, `Task of node #${t.nodeId}`), h('button', { type: 'button', onclick: () => copy(json, 'JSON') }, 'Copy JSON'), h('button', { type: 'button', onclick: () => copy(curlCommand(t.task), 'curl command') }, 'Copy as curl')),
        shown.length === 1 && coordinates ? h('div', { class: 'note task-coordinates' }, coordinates) : null,
        h('div', { class: 'note' }, 'The taskUUID is replaced by a fresh one at each run.'),
        localImagesNote(t.task) ? h('div', { class: 'note local-images' }, localImagesNote(t.task)) : null,
        placeholdersNote(t.task) ? h('div', { class: 'note step-values' }, placeholdersNote(t.task)) : null,
        h('pre', { class: 'payload', 'aria-label': `Payload of node ${t.nodeId}` }, json),
      ),
    ),
  );
}
