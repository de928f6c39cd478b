import type { HostApi } from '../core/contract';
import type { Registry } from '../core/node-def';
import { useSweptValues } from './editor/commands';
import type { Editor } from './editor/editor';
import type { GridHost } from './ui/compare-grid';
import { axisName } from './ui/grid-model';
import { toast } from './ui/overlay';
import { fpsOf } from './ui/previews';

// What a Compare Grid's view asks of the editor, for the tab in front: favourites in the library,
// "use these values" as one undoable edit of its document, and the export into the library.

/** What the grid's requests use: the editor's shell (App) gives it; `editor` is the tab in front. */
export interface GridEditor {
  readonly api: HostApi;
  readonly registry: Registry;
  readonly editor: Pick<Editor, 'doc' | 'exec' | 'paramSpec'>;
}

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

export function gridHost(app: GridEditor, layer: HTMLElement): GridHost {
  const { api } = app;
  return {
    layer,
    mediaUrl: (file) => api.mediaUrl(file),
    fps: fpsOf,
    axisName: (axis) => axisName(app.editor.doc, app.registry, axis),
    favourites: async (paths) => {
      try {
        return (await api['library.favourites']({ paths })).favourites;
      } catch {
        return []; // the stars stay empty; starring says what is wrong
      }
    },
    setFavourite: async (path, favourite) => {
      try {
        await api['library.favourite']({ path, favourite });
        return true;
      } catch (e) {
        toast(`Not ${favourite ? 'starred' : 'unstarred'}: ${(e as Error).message}`, 'error');
        return false;
      }
    },
    useValues: (job) => {
      const editor = app.editor;
      const cmd = useSweptValues(editor.doc, app.registry, job.nodeId, job.coordinates ?? [], (id, name) => editor.paramSpec(id, name));
      if (typeof cmd === 'string') return toast(`Values not used: ${cmd}`, 'error');
      editor.exec(cmd);
      toast(`${cmd.label}: the sweep is gone from the graph (Undo brings it back)`);
    },
    exportGrid: async (input) => {
      try {
        const out = await api['grid.export'](input);
        toast(`Grid exported to the library: ${fileName(out.video)} and ${fileName(out.image)}`);
      } catch (e) {
        toast(`Not exported: ${(e as Error).message}`, 'error');
      }
    },
  };
}
