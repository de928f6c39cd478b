import { LGraph, LGraphCanvas, LGraphGroup, LGraphNode, LiteGraph, type IWidget } from '@comfyorg/litegraph';
import '@comfyorg/litegraph/style.css';
import type { CompileResult } from '../../core/compile';
import type { Diagnostic } from '../../core/diagnostics';
import { VALUE_PORT } from '../../core/node-def';
import { linkRefusal, setParam, type PendingLink } from '../editor/commands';
import type { Editor } from '../editor/editor';
import type { Op } from '../editor/ops';
import type { CanvasFacts } from '../probe-types';
import { nodeCounts } from './counts';
import { drawForeground } from './foreground';
import { gestureCommand, sizesNow } from './gestures';
import { InlineText } from './inline-text';
import type { AreaPainter, AreaWidget } from './node-hooks';
import { counterText, type TextAreaWidget } from './param-widgets/text-area';
import { ViewSync } from './reconcile';
import { viewFacts } from './view-facts';
import { fitViewport } from '../viewport-fit';

// litegraph is a view of the document, reached only through this class. Edits made by commands
// (undo and redo included) and loaded documents are made visible by `reconcile.ts`; edits made in
// the view (drags, links, resizes) are read back after each gesture by `gestures.ts` and recorded
// as one command. Parameter widgets are in `param-widgets/`, per-type extras in `node-hooks.ts`.

export interface ViewHooks {
  /** A widget was clicked in its middle: open the value editor over it (screen rectangle). */
  editParam(nodeId: number, name: string, rect: DOMRect): void;
  /** Double-click on empty canvas, or a link dropped there (then only compatible nodes, and link it). */
  openSearch(clientX: number, clientY: number, graphPos: [number, number], link?: PendingLink): void;
  contextMenu(clientX: number, clientY: number, graphPos: [number, number], nodeId: number | undefined): void;
  /** Runs after each frame: inline previews follow their nodes. */
  afterDraw(): void;
  /** Draws what a node type's area holds on the canvas (a Frame Image's picture). */
  paintArea?: AreaPainter;
  /** Something the artist tried did not happen; says why (a link dropped on a port of another type). */
  notice(message: string): void;
}


const round = (n: number) => Math.round(n);

export class CanvasView {
  // litegraph stays inside this class: the rest of the editor asks it questions in graph terms
  private readonly graph = new LGraph();
  private readonly canvas: LGraphCanvas;
  readonly #sync: ViewSync;
  #problems = new Map<number, Map<string, Diagnostic>>();
  #sizesAtDown = new Map<number, [number, number]>();
  #applying = 0;
  #inline: InlineText | undefined;

  constructor(
    readonly element: HTMLCanvasElement,
    /** The document shown: the front tab's (see show). */
    public editor: Editor,
    readonly hooks: ViewHooks,
  ) {
    LiteGraph.release_link_on_empty_shows_menu = false;
    const portColors = editor.registry.portColors();
    for (const [type, color] of portColors) LGraphCanvas.link_type_colors[type] = color;
    // litegraph would draw at once, into a canvas not sized yet (and measure the page half built):
    // it starts drawing on the first frame, when the page has given the canvas its size (resize)
    this.canvas = new LGraphCanvas(element, this.graph, { skip_render: true });
    this.canvas.allow_searchbox = false;
    this.canvas.render_canvas_border = false;
    this.canvas.show_info = false;
    this.#loadGrid();
    for (const [type, color] of portColors) {
      this.canvas.default_connection_color_byType[type] = color;
      this.canvas.default_connection_color_byTypeOff[type] = color;
    }
    this.canvas.onDrawOverlay = () => {
      this.#inline?.follow();
      this.hooks.afterDraw();
    };
    this.#sync = new ViewSync(
      this.graph,
      editor.registry,
      {
        node: (id) => this.#sync.docNodes.get(id),
        source: (id, name) => this.#sync.sources.get(`${id}:${name}`),
        problem: (id, field) => this.#problems.get(id)?.get(field),
        lowQuality: () => this.canvas.low_quality,
        spec: (id, name) => this.editor.paramSpec(id, name),
        exec: (cmd) => this.editor.exec(cmd),
        edit: (nodeId, name, widget) => this.hooks.editParam(nodeId, name, this.widgetRect(nodeId, widget)),
        editText: (nodeId, name, widget) => this.#editText(nodeId, name, widget),
        redraw: () => this.canvas.setDirty(true, false),
      },
      (view, ctx) => {
        const id = Number(view.id);
        drawForeground(ctx, view, this.#sync.docNodes.get(id), this.#problems.get(id), this.#sync.feeds.get(id), this.#countOf(id), this.canvas.low_quality ? this.canvas.ds.scale : undefined);
      },
      (name, ctx, id, box) => this.hooks.paintArea?.(name, ctx, id, box),
    );

    element.addEventListener('dblclick', (e) => {
      const pos = this.graphPosAt(e.clientX, e.clientY);
      if (!this.graph.getNodeOnPos(pos[0], pos[1], this.graph._nodes)) this.hooks.openSearch(e.clientX, e.clientY, pos);
    });
    this.canvas.linkConnector.events.addEventListener('dropped-on-canvas', (e) => {
      const ev = e.detail as unknown as PointerEvent;
      const first = this.canvas.linkConnector.renderLinks[0];
      // an existing link dragged off its input and let go on nothing is removed, as in litegraph
      if (!first || ('link' in first && first.link)) return;
      const nodeId = Number(first.node.id);
      const fromOutput = this.canvas.linkConnector.state.connectingTo === 'input';
      this.hooks.openSearch(ev.clientX, ev.clientY, this.graphPosAt(ev.clientX, ev.clientY), {
        nodeId,
        port: first.fromSlot.name,
        type: String(first.fromSlot.type),
        from: fromOutput ? 'output' : 'input',
      });
      e.preventDefault();
    });
    // a value let go on a node's body, off any parameter: litegraph would give it to the node's
    // first parameter; which one it is for is the artist's to say, by dropping it on that row
    this.canvas.linkConnector.events.addEventListener('dropped-on-node', (e) => {
      const first = this.canvas.linkConnector.renderLinks[0];
      if (!first || this.canvas.linkConnector.state.connectingTo !== 'input' || String(first.fromSlot.type) !== VALUE_PORT.name) return;
      e.preventDefault();
      const { node, event } = e.detail as unknown as { node: LGraphNode; event: { canvasX: number; canvasY: number } };
      const row = node.getWidgetOnPos(event.canvasX, event.canvasY, true);
      const why = row && linkRefusal(this.editor.doc, this.editor.registry, { node: Number(first.node.id), port: first.fromSlot.name }, { node: Number(node.id), port: row.name });
      this.hooks.notice(why || 'Drop the value on the parameter it is for: its row, or the dot at its left');
    });
    // a link let go on a port that cannot take it: say why (litegraph just drops it)
    this.canvas.linkConnector.events.addEventListener('after-drop-links', (e) => {
      const { renderLinks, event } = e.detail as unknown as { renderLinks: { node: LGraphNode; fromSlot: { name: string } }[]; event: { canvasX: number; canvasY: number } };
      const first = renderLinks[0];
      if (!first) return;
      const why = this.#refusal(first.node, first.fromSlot.name, this.canvas.linkConnector.state.connectingTo === 'input', event.canvasX, event.canvasY);
      if (why) this.hooks.notice(why);
    });
    // the wheel over a text area longer than its box scrolls the text, not the canvas
    element.parentElement!.addEventListener(
      'wheel',
      (e) => {
        const [x, y] = this.graphPosAt(e.clientX, e.clientY);
        const view = this.graph.getNodeOnPos(x, y, this.graph._nodes);
        const widget = view && !view.flags.collapsed ? (view.getWidgetOnPos(x, y, true) as Partial<TextAreaWidget> | undefined) : undefined;
        if (!view || !widget?.scrollBy) return;
        const dy = e.deltaMode === 1 ? e.deltaY * 17 : e.deltaY / this.canvas.ds.scale;
        if (!widget.scrollBy(dy, view.size[0])) return;
        e.preventDefault();
        e.stopPropagation();
        this.canvas.setDirty(true, false);
      },
      { capture: true, passive: false },
    );
    // A gesture ends: record what it changed (moves, resizes, links) as one command. litegraph
    // stops the event at the canvas, so it is caught on the way down and read once litegraph is done.
    // Only a gesture that began on the canvas: a click on what lies over it (a preview's buttons) is none.
    let onCanvas = false;
    element.parentElement!.addEventListener('pointerup', () => onCanvas && setTimeout(() => this.recordGesture()), true);
    element.parentElement!.addEventListener('pointerdown', (e) => {
      onCanvas = e.target === element;
      if (onCanvas) this.#sizesAtDown = sizesNow(this.#sync.nodes);
    }, true);
    // Right-click opens the editor's menu instead of litegraph's.
    element.parentElement!.addEventListener(
      'pointerdown',
      (e) => {
        if (e.button !== 2) return;
        e.stopPropagation();
        e.preventDefault();
        const pos = this.graphPosAt(e.clientX, e.clientY);
        const node = this.graph.getNodeOnPos(pos[0], pos[1], this.graph._nodes);
        this.hooks.contextMenu(e.clientX, e.clientY, pos, node ? Number(node.id) : undefined);
      },
      true,
    );
    element.parentElement!.addEventListener('contextmenu', (e) => e.preventDefault());
    requestAnimationFrame(() => this.canvas.startRendering());
  }

  /**
   * litegraph loads its grid picture on its first draw and, once loaded, draws everything again at
   * once. Loaded from the start, it is there for the first frame; should it come later, the next
   * frame draws it.
   */
  #loadGrid(): void {
    const src = this.canvas.background_image;
    if (!src) return;
    const grid = new Image();
    grid.name = src; // how litegraph knows its picture
    grid.addEventListener('load', () => !this.canvas._pattern && this.canvas.setDirty(true, true));
    grid.src = src;
    this.canvas._bg_img = grid;
  }

  // ---------------------------------------------------------------- document → view

  /** Makes the view show the document: after loading (no `ops`), or after commands ran. */
  reconcile(ops?: readonly Op[]): void {
    this.#applying++;
    try {
      const doc = this.editor.doc;
      this.#sync.apply(doc, ops);
      if (!ops) {
        this.canvas.ds.offset[0] = doc.layout.viewport.offset[0];
        this.canvas.ds.offset[1] = doc.layout.viewport.offset[1];
        this.canvas.ds.scale = doc.layout.viewport.scale;
      }
      this.canvas.setDirty(true, true);
    } finally {
      this.#applying--;
    }
  }

  /** Shows another document (a workflow tab): built anew from it, nothing of the one before stays. */
  show(editor: Editor): void {
    this.#inline?.close(true);
    this.editor = editor;
    this.canvas.deselectAll();
    this.#problems = new Map();
    this.reconcile();
  }

  /** Draws again on the next frame (a picture arrived). */
  redraw(): void {
    this.canvas.setDirty(true, false);
  }

  // ---------------------------------------------------------------- view → document

  /** Reads back what a gesture changed and records it as one command. */
  recordGesture(): void {
    if (this.#applying) return;
    const cmd = gestureCommand({ graph: this.graph, nodes: this.#sync.nodes, groups: this.#sync.groups, sizesAtDown: this.#sizesAtDown }, this.editor.doc, this.editor.registry);
    if (cmd.ops.length) this.editor.exec(cmd);
    // a link the document refused (a value node already typed otherwise) leaves the view again
    this.reconcile([]);
  }

  // ---------------------------------------------------------------- probe and positions

  /** What litegraph holds, for the probe, with the count each node's title bar shows. */
  facts(): CanvasFacts {
    const facts = viewFacts(this.graph);
    for (const n of facts.nodes) n.count = this.#countOf(n.id) ?? null;
    return facts;
  }

  /** The counts shown in title bars, worked out once per compile result (each edit makes a new one). */
  #counts: { of: CompileResult; counts: Map<number, string> } | undefined;
  #countOf(nodeId: number): string | undefined {
    const compiled = this.editor.compiled;
    if (this.#counts?.of !== compiled) this.#counts = { of: compiled, counts: nodeCounts(this.editor.doc, this.editor.registry, compiled) };
    return this.#counts.counts.get(nodeId);
  }

  /** Where a widget is on screen (a text area: its whole box). */
  widgetRect(nodeId: number, widget: IWidget): DOMRect {
    const view = this.#sync.nodes.get(nodeId)!;
    const box = this.element.getBoundingClientRect();
    const scale = this.canvas.ds.scale;
    const area = (widget as Partial<TextAreaWidget>).box?.(view.size[0]);
    const [x = 0, y = 0] = this.canvas.ds.convertOffsetToCanvas([view.pos[0] + (area?.[0] ?? 15), view.pos[1] + (area?.[1] ?? widget.y)]);
    return new DOMRect(box.left + x, box.top + y, (area?.[2] ?? view.size[0] - 30) * scale, (area?.[3] ?? LiteGraph.NODE_WIDGET_HEIGHT) * scale);
  }

  /** The parameter after (or before) `name` in its node, wrapping round: Tab in the value editor moves there. */
  nextParam(nodeId: number, name: string, back: boolean): { name: string; rect: DOMRect } | undefined {
    const view = this.#sync.nodes.get(nodeId);
    const widgets = (view?.widgets ?? []).filter((w) => !(w as { area?: string }).area);
    const at = widgets.findIndex((w) => w.name === name);
    if (!view || at < 0 || view.flags.collapsed) return undefined;
    const next = widgets[(at + (back ? -1 : 1) + widgets.length) % widgets.length]!;
    return { name: next.name, rect: this.widgetRect(nodeId, next as IWidget) };
  }

  /** Edits a text area in place; recorded as one command in the document it was opened on. */
  #editText(nodeId: number, name: string, widget: TextAreaWidget): void {
    this.#inline?.close(true);
    const editor = this.editor;
    const node = this.#sync.docNodes.get(nodeId);
    const spec = node && editor.registry.get(node.type)?.params[name];
    if (!node || !spec) return;
    const value = node.params[name];
    this.#inline = new InlineText({
      value: typeof value === 'string' ? value : '',
      label: spec.label,
      scroll: widget.scroll,
      counter: (text) => counterText(spec, text),
      place: () => {
        const view = this.#sync.nodes.get(nodeId);
        return view && !view.flags.collapsed && editor === this.editor && view.widgets?.includes(widget as unknown as IWidget) ? { rect: this.widgetRect(nodeId, widget), scale: this.canvas.ds.scale } : undefined;
      },
      commit: (text) => {
        const now = editor.doc.nodes.find((n) => n.id === nodeId);
        // an emptied optional text is unset; a required one keeps the empty text and its problem
        if (now) editor.exec(setParam(now, name, text === '' && spec.optional ? undefined : text, spec.label, editor.registry.get(now.type)));
      },
      closed: () => {
        this.#inline = undefined;
        this.canvas.setDirty(true, false);
      },
    });
  }

  /** Why a link dragged from `from`'s port cannot go to the port under (x, y), or undefined when it can (or nothing is there). */
  #refusal(from: LGraphNode, port: string, toInput: boolean, x: number, y: number): string | undefined {
    const target = this.graph.getNodeOnPos(x, y, this.graph._nodes);
    if (!target || target === from) return undefined;
    // over a parameter's row, its input (as litegraph drops a link there)
    const row = toInput ? target.getWidgetOnPos(x, y, true) : undefined;
    const slot = toInput ? (target.getInputOnPos([x, y]) ?? (row && target.getSlotFromWidget(row))) : target.getOutputOnPos([x, y]);
    if (!slot) return undefined;
    const ends = toInput
      ? { from: { node: Number(from.id), port }, to: { node: Number(target.id), port: slot.name } }
      : { from: { node: Number(target.id), port: slot.name }, to: { node: Number(from.id), port } };
    return linkRefusal(this.editor.doc, this.editor.registry, ends.from, ends.to);
  }

  /** The screen rectangle of a preview node's player, or undefined when it is not on screen. */
  previewRect(nodeId: number): DOMRect | undefined {
    const view = this.#sync.nodes.get(nodeId);
    const area = view?.widgets?.find((w) => (w as AreaWidget).area === 'preview') as AreaWidget | undefined;
    if (!view || !area || view.flags.collapsed) return undefined;
    const [x = 0, y = 0] = this.canvas.ds.convertOffsetToCanvas([view.pos[0] + 10, view.pos[1] + area.y + 4]);
    const scale = this.canvas.ds.scale;
    return new DOMRect(x, y, (view.size[0] - 20) * scale, ((area.computedHeight ?? 0) - 8) * scale);
  }

  // ---------------------------------------------------------------- problems, selection, viewport

  setProblems(diagnostics: readonly Diagnostic[]): void {
    const byNode = new Map<number, Map<string, Diagnostic>>();
    for (const d of diagnostics) {
      if (d.nodeId === undefined) continue;
      const fields = byNode.get(d.nodeId) ?? new Map<string, Diagnostic>();
      const key = d.field ?? '';
      const had = fields.get(key);
      if (!had || (had.severity === 'warning' && d.severity === 'error')) fields.set(key, d);
      byNode.set(d.nodeId, fields);
    }
    this.#problems = byNode;
    this.canvas.setDirty(true, false);
  }

  problemsOf(nodeId: number): Diagnostic[] {
    return [...(this.#problems.get(nodeId)?.values() ?? [])];
  }

  selectedIds(): number[] {
    return [...this.canvas.selectedItems].filter((i): i is LGraphNode => i instanceof LGraphNode).map((n) => Number(n.id));
  }

  selectedGroupIds(): number[] {
    return [...this.canvas.selectedItems].filter((i): i is LGraphGroup => i instanceof LGraphGroup).map((g) => Number(g.id));
  }

  select(ids: readonly number[]): void {
    const nodes = ids.map((id) => this.#sync.nodes.get(id)).filter((n): n is LGraphNode => !!n);
    this.canvas.deselectAll();
    if (nodes.length) this.canvas.selectNodes(nodes);
    this.canvas.setDirty(true, true);
  }

  /** Centres a node and selects it; with a field, returns where that field's widget is. */
  focus(nodeId: number, field?: string): DOMRect | undefined {
    const view = this.#sync.nodes.get(nodeId);
    if (!view) return undefined;
    if (view.flags.collapsed) view.collapse(true);
    this.canvas.centerOnNode(view);
    this.select([nodeId]);
    this.canvas.draw(true, true);
    const widget = field ? view.widgets?.find((w) => w.name === field) : undefined;
    return widget ? this.widgetRect(nodeId, widget as IWidget) : undefined;
  }

  /** Client coordinates of a point of the graph. */
  clientAt(graphX: number, graphY: number): { x: number; y: number } {
    const box = this.element.getBoundingClientRect();
    const [x = 0, y = 0] = this.canvas.ds.convertOffsetToCanvas([graphX, graphY]);
    return { x: box.left + x, y: box.top + y };
  }

  /** Where the pointer last was, in graph coordinates. */
  pointerPos(): [number, number] {
    return [round(this.canvas.graph_mouse[0] ?? 0), round(this.canvas.graph_mouse[1] ?? 0)];
  }

  /** The box around the given nodes, title bars included; undefined for none. */
  boundsOf(ids: readonly number[]): [number, number, number, number] | undefined {
    const boxes = ids.flatMap((id) => { const n = this.#sync.nodes.get(id); return n ? [[...n.boundingRect] as [number, number, number, number]] : []; });
    if (!boxes.length) return undefined;
    const x0 = Math.min(...boxes.map((b) => b[0]));
    const y0 = Math.min(...boxes.map((b) => b[1]));
    const x1 = Math.max(...boxes.map((b) => b[0] + b[2]));
    const y1 = Math.max(...boxes.map((b) => b[1] + b[3]));
    return [x0, y0, x1 - x0, y1 - y0];
  }

  groupAt(pos: [number, number]): number | undefined {
    const group = this.graph.getGroupOnPos(pos[0], pos[1]);
    return group ? Number(group.id) : undefined;
  }

  /** Client coordinates of a port's dot. */
  portPosition(nodeId: number, port: string, side: 'input' | 'output'): { x: number; y: number } {
    const n = this.#view(nodeId);
    const [x = 0, y = 0] = side === 'input' ? n.getInputPos(n.findInputSlot(port)) : n.getOutputPos(n.findOutputSlot(port));
    return this.clientAt(x, y);
  }

  /**
   * Each link's middle as last drawn, and the middle between its ports now (graph units): apart
   * when links were drawn before their ports were placed.
   */
  linkMiddles(): { link: string; drawn: [number, number]; ports: [number, number] }[] {
    return [...this.graph._links.values()].flatMap((l) => {
      const a = this.graph.getNodeById(l.origin_id);
      const b = this.graph.getNodeById(l.target_id);
      if (!a || !b) return [];
      const [ax = 0, ay = 0] = a.getOutputPos(l.origin_slot);
      const [bx = 0, by = 0] = b.getInputPos(l.target_slot);
      return [{ link: `${a.id}:${a.outputs[l.origin_slot]?.name}>${b.id}:${b.inputs[l.target_slot]?.name}`, drawn: [l._pos[0]!, l._pos[1]!], ports: [(ax + bx) / 2, (ay + by) / 2] }];
    });
  }

  /** Client coordinates of a point on a node's title bar. */
  titlePosition(nodeId: number): { x: number; y: number } {
    const n = this.#view(nodeId);
    return this.clientAt(n.pos[0]! + 60, n.pos[1]! - LiteGraph.NODE_TITLE_HEIGHT / 2);
  }

  /** Client rectangle of a parameter's widget. */
  paramRect(nodeId: number, name: string): DOMRect {
    const widget = this.#view(nodeId).widgets?.find((w) => w.name === name);
    if (!widget) throw new Error(`node ${nodeId} has no widget ${name}`);
    return this.widgetRect(nodeId, widget as IWidget);
  }

  #view(nodeId: number): LGraphNode {
    const n = this.#sync.nodes.get(nodeId);
    if (!n) throw new Error(`no node ${nodeId}`);
    return n;
  }

  graphPosAt(clientX: number, clientY: number): [number, number] {
    const box = this.element.getBoundingClientRect();
    const [x = 0, y = 0] = this.canvas.ds.convertCanvasToOffset([clientX - box.left, clientY - box.top]);
    return [round(x), round(y)];
  }

  nodeAt(clientX: number, clientY: number): number | undefined {
    const [x, y] = this.graphPosAt(clientX, clientY);
    const node = this.graph.getNodeOnPos(x, y, this.graph._nodes);
    return node ? Number(node.id) : undefined;
  }

  /** The viewport as the document keeps it (saved with the file, not an undoable edit). */
  viewport(): { offset: [number, number]; scale: number } {
    return { offset: [round(this.canvas.ds.offset[0]), round(this.canvas.ds.offset[1])], scale: Number(this.canvas.ds.scale.toFixed(4)) };
  }

  /** `.`: every node (or the selection) in view. */
  fitView(): void {
    const items = this.canvas.selectedItems.size ? [...this.canvas.selectedItems] : [...this.#sync.nodes.values()];
    if (!items.length) return;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    // litegraph measures nodes only as it draws: a graph just opened is not drawn yet
    for (const item of items) if (item instanceof LGraphNode) item.updateArea(this.canvas.ctx);
    for (const item of items) {
      const b = [...item.boundingRect] as [number, number, number, number];
      x0 = Math.min(x0, b[0]);
      y0 = Math.min(y0, b[1]);
      x1 = Math.max(x1, b[0] + b[2]);
      y1 = Math.max(y1, b[1] + b[3]);
    }
    // readable where the graph fits at a readable zoom (viewport-fit.ts); the canvas element is the visible area
    const fit = fitViewport([x0, y0, x1 - x0, y1 - y0], this.element.clientWidth, this.element.clientHeight, { readable: this.canvas.low_quality_zoom_threshold, minScale: this.canvas.ds.min_scale });
    this.canvas.ds.scale = fit.scale;
    [this.canvas.ds.offset[0], this.canvas.ds.offset[1]] = fit.offset;
    this.canvas.setDirty(true, true);
  }

  /** The canvas takes its column's size. Only a new size is given: any size given clears the canvas for a full redraw. */
  resize(): void {
    const parent = this.element.parentElement!;
    const dpr = window.devicePixelRatio || 1;
    const { clientWidth: w, clientHeight: h } = parent;
    const width = Math.max(1, Math.floor(w * dpr));
    const height = Math.max(1, Math.floor(h * dpr));
    const style = { width: `${w}px`, height: `${h}px` };
    const el = this.element;
    if (el.width === width && el.height === height && el.style.width === style.width && el.style.height === style.height) return;
    if (el.width !== width) el.width = width;
    if (el.height !== height) el.height = height;
    Object.assign(el.style, style);
    this.canvas.setDirty(true, true);
  }
}
