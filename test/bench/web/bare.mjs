/* global window, document */
import { LGraph, LGraphCanvas, LGraphNode } from '@comfyorg/litegraph';
import '@comfyorg/litegraph/style.css';

// The benchmark's baseline: litegraph as it comes, drawing the editor's graph with its own
// widgets and its default look. `window.bareLitegraph.load(spec, width, height)` builds the graph
// (the spec is made by editor-bench.ts: titles, slots, widgets, links and positions) and leaves
// the LGraphCanvas at `window.__wanBenchCanvas`, where probe.js finds it.

const element = document.getElementById('canvas');
const graph = new LGraph();
const canvas = new LGraphCanvas(element, graph);
// the two display settings the editor changes (both only hide things)
canvas.render_canvas_border = false;
canvas.show_info = false;
const noop = () => undefined;

window.bareLitegraph = {
  load(spec, width, height) {
    element.width = width;
    element.height = height;
    element.style.width = `${width}px`;
    element.style.height = `${height}px`;
    const byId = new Map();
    for (const n of spec.nodes) {
      const node = new LGraphNode(n.title);
      node.id = n.id;
      node.type = n.type;
      for (const s of n.inputs) node.addInput(s.name, s.type).label = s.label;
      for (const s of n.outputs) node.addOutput(s.name, s.type).label = s.label;
      for (const w of n.widgets) node.addWidget(w.type, w.name, w.value, noop, w.options).label = w.label;
      graph.add(node);
      node.pos = [n.pos[0], n.pos[1]];
      node.size = [n.size[0], n.size[1]];
      byId.set(n.id, node);
    }
    for (const l of spec.links) {
      const a = byId.get(l.from);
      const b = byId.get(l.to);
      a.connect(a.findOutputSlot(l.fromPort), b, b.findInputSlot(l.toPort));
    }
    canvas.ds.offset[0] = 0;
    canvas.ds.offset[1] = 0;
    canvas.ds.scale = 1;
    canvas.setDirty(true, true);
    window.__wanBenchCanvas = canvas;
    return { nodes: graph._nodes.length, links: graph._links.size };
  },
};
document.body.dataset.ready = 'true';
