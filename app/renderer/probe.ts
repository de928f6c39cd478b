import type { App } from './app';
import { serializeGraph } from '../core/save';
import type { Probe } from './probe-types';

// Read-only facts about what is on screen, for end-to-end tests and benchmarks to aim their
// clicks and drags and to compare documents. It changes nothing and holds no secrets.


export function installProbe(app: App): void {
  const toClient = (graphX: number, graphY: number) => {
    const box = app.view.element.getBoundingClientRect();
    const [x = 0, y = 0] = app.view.canvas.ds.convertOffsetToCanvas([graphX, graphY]);
    return { x: box.left + x, y: box.top + y };
  };
  const node = (id: number) => {
    const n = app.view.graph.getNodeById(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  };
  const probe: Probe = {
    documentText: () => serializeGraph({ ...app.editor.doc, layout: { ...app.editor.doc.layout, viewport: { offset: [0, 0], scale: 1 } } }),
    nodeIds: () => app.editor.doc.nodes.map((n) => n.id),
    portPosition: (id, port, side) => {
      const n = node(id);
      const slot = side === 'input' ? n.findInputSlot(port) : n.findOutputSlot(port);
      const [x = 0, y = 0] = side === 'input' ? n.getInputPos(slot) : n.getOutputPos(slot);
      return toClient(x, y);
    },
    titlePosition: (id) => {
      const n = node(id);
      return toClient(n.pos[0]! + 60, n.pos[1]! - 15);
    },
    widgetRect: (id, name) => {
      const widget = node(id).widgets?.find((w) => w.name === name);
      if (!widget) throw new Error(`node ${id} has no widget ${name}`);
      const r = app.view.widgetRect(id, widget as never);
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    },
    selectedIds: () => app.view.selectedIds(),
  };
  (window as unknown as { wanGraphProbe: Probe }).wanGraphProbe = probe;
}
