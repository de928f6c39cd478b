import type { HostApi } from '../../core/contract';
import { FILE_EXTENSION } from '../../core/document';
import { h } from './dom';
import { dialog, toast } from './overlay';

// Open and save dialogs for browser mode: the host lists folders (graph files only) and the
// artist picks or types a path. The desktop app uses the system's dialogs instead.

export async function pickGraphFile(api: HostApi, mode: 'open' | 'save', suggested?: string): Promise<string | undefined> {
  if (api.desktop) return (await api.desktop[mode === 'open' ? 'dialog.open' : 'dialog.save']({ ...(suggested && { defaultPath: suggested }) })).path;
  const pathInput = h('input', { type: 'text', 'aria-label': 'File path', value: suggested ?? '' });
  const list = h('ul', { class: 'file-list', 'aria-label': 'Files' });
  const where = h('div', { class: 'note' });
  /** The folder listed: a bare name typed for saving goes there. */
  let folder: string | undefined;
  const show = async (dir?: string) => {
    try {
      const listing = await api['file.list']({ ...(dir && { dir }) });
      folder = listing.dir;
      where.textContent = listing.dir;
      list.replaceChildren(
        ...(listing.parent ? [h('li', { class: 'dir', onclick: () => show(listing.parent) }, '..')] : []),
        ...listing.entries.map((e) =>
          h(
            'li',
            {
              class: e.kind,
              dataset: { path: e.path },
              onclick: () => (e.kind === 'dir' ? show(e.path) : (pathInput.value = e.path)),
              ondblclick: () => e.kind === 'graph' && ((pathInput.value = e.path), backdropAccept()),
            },
            e.name,
          ),
        ),
      );
      // the field is never rewritten while the artist may be typing in it: the folder is applied on Save
      if (mode === 'save') pathInput.placeholder = `${listing.dir}/untitled${FILE_EXTENSION}`;
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  };
  const backdropAccept = () => (document.querySelector('.dialog .actions button.primary') as HTMLButtonElement | null)?.click();
  const start = suggested?.replace(/[\\/][^\\/]*$/, '');
  void show(start && start !== suggested ? start : undefined);
  const answer = dialog({
    title: mode === 'open' ? 'Open graph' : 'Save graph as',
    body: [where, list, h('label', {}, mode === 'open' ? 'File' : 'Save to', pathInput)],
    buttons: [
      { label: 'Cancel', value: 'cancel' },
      { label: mode === 'open' ? 'Open' : 'Save', value: 'ok', primary: true },
    ],
  });
  if ((await answer) !== 'ok') return undefined;
  let path = pathInput.value.trim() || (mode === 'save' ? pathInput.placeholder : '');
  if (!path) return undefined;
  if (mode === 'save' && folder && !/[\\/]/.test(path)) path = `${folder}/${path}`;
  if (mode === 'save' && !path.endsWith(FILE_EXTENSION)) path = path.replace(/\.json$/, '') + FILE_EXTENSION;
  return path;
}
