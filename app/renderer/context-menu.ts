import { keyOf, type Action } from '../core/support/shortcuts';
import { copyNodes } from './editor/clipboard';
import { removeGroups, renameGroup as renameGroupCommand, setCollapsed, setTitle } from './editor/commands';
import type { Editor } from './editor/editor';
import type { CanvasView } from './graph/canvas-view';
import type { Runs } from './runs';
import { h } from './ui/dom';
import { dialog, showMenu, type MenuItem } from './ui/overlay';

// The canvas's right-click menus: on a node (rename, collapse, modes, clipboard, run this task)
// and on empty canvas or a group (add, paste, fit, rename or delete the group).

/** What the menus act on: the editor's shell (App) gives it. */
export interface MenuTarget {
  do(action: Action): void;
  paste(text: string, at?: [number, number]): void;
  search(x: number, y: number, pos: [number, number]): void;
  groupSelection(): void;
  readonly editor: Pick<Editor, 'doc' | 'registry' | 'exec'>;
  readonly view: Pick<CanvasView, 'selectedIds' | 'select' | 'groupAt' | 'fitView'>;
  readonly runs: Pick<Runs, 'run'>;
}

export function contextMenu(app: MenuTarget, x: number, y: number, pos: [number, number], nodeId: number | undefined): void {
  const editor = app.editor;
  if (nodeId !== undefined) {
    if (!app.view.selectedIds().includes(nodeId)) app.view.select([nodeId]);
    const node = editor.doc.nodes.find((n) => n.id === nodeId)!;
    const isTask = editor.registry.get(node.type)?.producesTask;
    const collapsed = editor.doc.layout.nodes[nodeId]?.collapsed ?? false;
    const items: (MenuItem | 'separator')[] = [
      { label: 'Rename…', action: () => void rename(app, nodeId) },
      { label: collapsed ? 'Expand' : 'Collapse', action: () => editor.exec(setCollapsed(editor.doc, nodeId, !collapsed)) },
      { label: node.mode === 'bypassed' ? 'Un-bypass' : 'Bypass', key: keyOf('bypass'), action: () => app.do('bypass') },
      { label: node.mode === 'muted' ? 'Unmute' : 'Mute', key: keyOf('mute'), action: () => app.do('mute') },
      'separator',
      { label: 'Duplicate', key: keyOf('duplicate'), action: () => app.do('duplicate') },
      { label: 'Copy', key: 'Ctrl+C', action: () => void navigator.clipboard.writeText(copyNodes(editor.doc, app.view.selectedIds()) ?? '') },
      { label: 'Delete', key: keyOf('delete'), action: () => app.do('delete') },
    ];
    if (isTask) items.push('separator', { label: 'Run this task', action: () => void app.runs.run([nodeId]) });
    return showMenu(x, y, items);
  }
  const group = app.view.groupAt(pos);
  const items: (MenuItem | 'separator')[] = [
    { label: 'Add node…', key: 'double-click', action: () => app.search(x, y, pos) },
    { label: 'Add group', key: keyOf('group'), action: () => app.groupSelection() },
    { label: 'Paste', key: 'Ctrl+V', action: () => void navigator.clipboard.readText().then((t) => app.paste(t, pos)) },
    { label: 'Fit view', key: keyOf('fitView'), action: () => app.view.fitView() },
  ];
  if (group !== undefined) {
    const id = group;
    items.push('separator', { label: 'Rename group…', action: () => void renameGroup(app, id) }, { label: 'Delete group', action: () => editor.exec(removeGroups([id])) });
  }
  showMenu(x, y, items);
}

async function rename(app: MenuTarget, nodeId: number): Promise<void> {
  const editor = app.editor;
  const node = editor.doc.nodes.find((n) => n.id === nodeId);
  if (!node) return;
  const input = h('input', { type: 'text', value: node.title, maxlength: 200, 'aria-label': 'Title' });
  const answer = await dialog({ title: 'Rename node', body: [input], buttons: [{ label: 'Cancel', value: 'cancel' }, { label: 'Rename', value: 'ok', primary: true }] });
  if (answer === 'ok' && input.value !== node.title) editor.exec(setTitle(nodeId, input.value.slice(0, 200)));
}

async function renameGroup(app: MenuTarget, id: number): Promise<void> {
  const editor = app.editor;
  const group = editor.doc.groups.find((g) => g.id === id);
  if (!group) return;
  const input = h('input', { type: 'text', value: group.title, maxlength: 200, 'aria-label': 'Group title' });
  const answer = await dialog({ title: 'Rename group', body: [input], buttons: [{ label: 'Cancel', value: 'cancel' }, { label: 'Rename', value: 'ok', primary: true }] });
  if (answer === 'ok') editor.exec(renameGroupCommand(editor.doc, id, input.value.slice(0, 200)));
}
