import type { App } from './app';
import { serializeGraph } from '../core/save';
import type { Probe } from './probe-types';

// Read-only facts about what is on screen, for end-to-end tests and benchmarks to aim their
// clicks and drags and to compare documents. It changes nothing and holds no secrets.

export function installProbe(app: App): void {
  const view = app.view;
  const rect = (r: DOMRect) => ({ x: r.x, y: r.y, width: r.width, height: r.height });
  const probe: Probe = {
    documentText: () => serializeGraph({ ...app.editor.doc, layout: { ...app.editor.doc.layout, viewport: { offset: [0, 0], scale: 1 } } }),
    canvasFacts: () => view.facts(),
    previewFiles: () =>
      [...document.querySelectorAll<HTMLElement>('.preview[data-node]')].map((el) => ({ nodeId: Number(el.dataset.node), files: [...el.querySelectorAll<HTMLVideoElement>('video[data-file]')].map((v) => v.dataset.file!) })),
    nodeIds: () => app.editor.doc.nodes.map((n) => n.id),
    portPosition: (id, port, side) => view.portPosition(id, port, side),
    linkMiddles: () => view.linkMiddles(),
    titlePosition: (id) => view.titlePosition(id),
    widgetRect: (id, name) => rect(view.paramRect(id, name)),
    selectedIds: () => view.selectedIds(),
    tabs: () =>
      app.tabs.list.map((t) => ({ id: t.id, title: t.editor.title, path: t.editor.path ?? null, dirty: t.editor.dirty, running: app.runs.running(t), active: t === app.tabs.active, canUndo: t.editor.history.canUndo })),
    viewport: () => view.viewport(),
    thumbnail: (id) => {
      const t = app.thumbnailOf(id);
      if (!t) return { state: 'none' };
      if (t.state === 'shown') return { state: 'shown', width: t.img.naturalWidth, height: t.img.naturalHeight, src: t.img.src.slice(0, 100) };
      return t;
    },
  };
  (window as unknown as { wanGraphProbe: Probe }).wanGraphProbe = probe;
}
