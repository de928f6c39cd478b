import { LGraph, LGraphCanvas, LGraphEventMode, LGraphGroup, LGraphNode, LiteGraph, type IWidget } from '@comfyorg/litegraph';
import '@comfyorg/litegraph/style.css';
import type { Diagnostic } from '../../core/diagnostics';
import type { GraphNode, NodeMode } from '../../core/document';
import type { NodeDefinition, PortType } from '../../core/node-def';
import type { ParamSpec } from '../../core/params';
import { connect, layoutChanges, nextId, type PendingLink } from '../editor/commands';
import type { Editor } from '../editor/editor';
import type { Command } from '../editor/history';
import { touchedNodes, type GroupBounding, type NodeLayout, type Op } from '../editor/ops';
import { ERROR_COLOR, NODE_COLORS, NODE_WIDTH, PORT_COLORS, WARNING_COLOR } from './look';
import { behaviourOf, formatValue, stepValue } from './widgets';
import { fitViewport } from '../viewport-fit';

// litegraph is a view of the document, reached only through this class. Edits made in the view
// (drags, links, resizes) are read back after each gesture and recorded as one command; edits
// made by commands (including undo and redo) are reconciled into the view. litegraph's own
// classes are used as they are: node types are configured instances, not subclasses.

export interface ViewHooks {
  /** A widget was clicked in its middle: open the value editor over it (screen rectangle). */
  editParam(nodeId: number, name: string, rect: DOMRect): void;
  /** Double-click on empty canvas, or a link dropped there (then only compatible nodes, and link it). */
  openSearch(clientX: number, clientY: number, graphPos: [number, number], link?: PendingLink): void;
  contextMenu(clientX: number, clientY: number, graphPos: [number, number], nodeId: number | undefined): void;
  /** Runs after each frame: inline previews follow their nodes. */
  afterDraw(): void;
}


const FONT = '12px sans-serif';
const FONT_UNSET = 'italic 12px sans-serif';
const MODE_OF: Record<NodeMode, LGraphEventMode> = { active: LGraphEventMode.ALWAYS, muted: LGraphEventMode.NEVER, bypassed: LGraphEventMode.BYPASS };
const round = (n: number) => Math.round(n);

export class CanvasView {
  // litegraph stays inside this class: the rest of the editor asks it questions in graph terms
  private readonly graph = new LGraph();
  private readonly canvas: LGraphCanvas;
  readonly #nodes = new Map<number, LGraphNode>();
  readonly #groups = new Map<number, LGraphGroup>();
  /** The document's nodes by id, refreshed at each reconcile: widgets draw from it every frame. */
  #docNodes = new Map<number, GraphNode>();
  #problems = new Map<number, Map<string, Diagnostic>>();
  /** Node sizes when the pointer went down: litegraph grows nodes to fit as it draws, so only a change during a gesture is the artist's. */
  #sizesAtDown = new Map<number, [number, number]>();
  #applying = 0;
  /** Preview nodes reserve this much height for the inline player. */
  previewHeight = (_nodeId: number) => 220;

  constructor(
    readonly element: HTMLCanvasElement,
    /** The document shown: the front tab's (see show). */
    public editor: Editor,
    readonly hooks: ViewHooks,
  ) {
    LiteGraph.release_link_on_empty_shows_menu = false;
    for (const [type, color] of Object.entries(PORT_COLORS)) LGraphCanvas.link_type_colors[type] = color;
    this.canvas = new LGraphCanvas(element, this.graph);
    this.canvas.allow_searchbox = false;
    this.canvas.render_canvas_border = false;
    this.canvas.show_info = false;
    for (const [type, color] of Object.entries(PORT_COLORS)) {
      this.canvas.default_connection_color_byType[type] = color;
      this.canvas.default_connection_color_byTypeOff[type] = color;
    }
    this.canvas.onDrawOverlay = () => this.hooks.afterDraw();

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
        type: first.fromSlot.type as PortType,
        from: fromOutput ? 'output' : 'input',
      });
      e.preventDefault();
    });
    // A gesture ends: record what it changed (moves, resizes, links) as one command. litegraph
    // stops the event at the canvas, so it is caught on the way down and read once litegraph is done.
    element.parentElement!.addEventListener('pointerup', () => setTimeout(() => this.recordGesture()), true);
    element.parentElement!.addEventListener('pointerdown', () => (this.#sizesAtDown = new Map([...this.#nodes].map(([id, n]) => [id, [round(n.size[0]), round(n.size[1])]]))), true);
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
    this.canvas.startRendering();
  }

  // ---------------------------------------------------------------- document → view

  /** Makes the view show the document: after loading, or after commands ran. */
  reconcile(ops?: readonly Op[]): void {
    this.#applying++;
    try {
      const doc = this.editor.doc;
      this.#docNodes = new Map(doc.nodes.map((n) => [n.id, n]));
      const touched = ops ? new Set(ops.flatMap(touchedNodes)) : undefined;
      const keep = new Set(doc.nodes.map((n) => n.id));
      for (const [id, view] of this.#nodes) {
        if (!keep.has(id)) {
          this.graph.remove(view);
          this.#nodes.delete(id);
        }
      }
      for (const node of doc.nodes) {
        const view = this.#nodes.get(node.id);
        if (!view) this.#add(node);
        else if (!touched || touched.has(node.id)) this.#update(view, node);
      }
      this.#reconcileLinks();
      this.#reconcileGroups();
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

  /** Shows another document (a workflow tab): nothing of the one before stays; the view, viewport included, is rebuilt from it. */
  show(editor: Editor): void {
    this.editor = editor;
    this.#applying++;
    try {
      this.canvas.deselectAll();
      for (const view of this.#nodes.values()) this.graph.remove(view);
      for (const view of this.#groups.values()) this.graph.remove(view);
      this.#nodes.clear();
      this.#groups.clear();
      this.#problems = new Map();
    } finally {
      this.#applying--;
    }
    this.reconcile();
  }

  #add(node: GraphNode) {
    const def = this.editor.registry.get(node.type);
    const view = new LGraphNode(node.title || def?.title || node.type);
    view.id = node.id;
    view.type = node.type;
    if (def) {
      for (const [name, port] of Object.entries(def.inputs)) {
        const slot = view.addInput(name, port.type);
        slot.label = port.optional ? port.label : `${port.label} *`;
        slot.color_on = slot.color_off = PORT_COLORS[port.type];
      }
      for (const [name, port] of Object.entries(def.outputs)) {
        const slot = view.addOutput(name, port.type);
        slot.label = port.label;
        slot.color_on = slot.color_off = PORT_COLORS[port.type];
      }
      for (const [name, spec] of Object.entries(def.params)) view.addCustomWidget(this.#widget(node.id, name, spec));
      if (def.type === 'VideoPreview') view.addCustomWidget(this.#previewArea(node.id));
    }
    view.onDrawForeground = (ctx) => this.#drawForeground(view, ctx);
    this.graph.add(view);
    this.#nodes.set(node.id, view);
    this.#update(view, node);
  }

  #update(view: LGraphNode, node: GraphNode) {
    view.title = node.title;
    view.mode = MODE_OF[node.mode];
    const look = NODE_COLORS[node.mode];
    view.color = look.color;
    view.bgcolor = look.bgcolor;
    const layout = this.editor.doc.layout.nodes[node.id];
    view.pos = [layout?.pos[0] ?? 0, layout?.pos[1] ?? 0];
    const auto = view.computeSize();
    view.size = layout?.size ? [layout.size[0], layout.size[1]] : [Math.max(NODE_WIDTH, auto[0]), auto[1]];
    const collapsed = layout?.collapsed ?? false;
    if (!!view.flags.collapsed !== collapsed) view.collapse(true);
  }

  #reconcileLinks() {
    const key = (a: number, ap: string, b: number, bp: string) => `${a}:${ap}>${b}:${bp}`;
    const wanted = new Set(this.editor.doc.links.map((l) => key(l.from.node, l.from.port, l.to.node, l.to.port)));
    for (const link of [...this.graph._links.values()]) {
      const a = this.graph.getNodeById(link.origin_id);
      const b = this.graph.getNodeById(link.target_id);
      const k = a && b ? key(Number(a.id), a.outputs[link.origin_slot]?.name ?? '', Number(b.id), b.inputs[link.target_slot]?.name ?? '') : '';
      if (!wanted.has(k) && b) b.disconnectInput(link.target_slot);
    }
    for (const l of this.editor.doc.links) {
      const a = this.#nodes.get(l.from.node);
      const b = this.#nodes.get(l.to.node);
      if (!a || !b) continue;
      const out = a.findOutputSlot(l.from.port);
      const inp = b.findInputSlot(l.to.port);
      if (out < 0 || inp < 0) continue;
      const existing = b.inputs[inp]!.link;
      const current = existing != null ? this.graph._links.get(existing) : undefined;
      if (current && current.origin_id === a.id && current.origin_slot === out) continue;
      a.connect(out, b, inp);
    }
  }

  #reconcileGroups() {
    const doc = this.editor.doc;
    const keep = new Set(doc.groups.map((g) => g.id));
    for (const [id, view] of this.#groups) {
      if (!keep.has(id)) {
        this.graph.remove(view);
        this.#groups.delete(id);
      }
    }
    for (const g of doc.groups) {
      let view = this.#groups.get(g.id);
      if (!view) {
        view = new LGraphGroup(g.title, g.id);
        this.graph.add(view);
        this.#groups.set(g.id, view);
      }
      view.title = g.title;
      if (g.color) view.color = g.color;
      const b = doc.layout.groups[g.id]?.bounding ?? [0, 0, 300, 200];
      view.pos = [b[0], b[1]];
      view.size = [b[2], b[3]];
    }
  }

  // ---------------------------------------------------------------- view → document

  /** Reads back what a gesture changed and records it as one command. */
  recordGesture(): void {
    if (this.#applying) return;
    const doc = this.editor.doc;
    const nodes = new Map<number, NodeLayout>();
    for (const [id, view] of this.#nodes) {
      const before = doc.layout.nodes[id];
      const pos: [number, number] = [round(view.pos[0]), round(view.pos[1])];
      const size: [number, number] = [round(view.size[0]), round(view.size[1])];
      const shown = this.#sizesAtDown.get(id);
      const resized = !view.flags.collapsed && !!shown && (size[0] !== shown[0] || size[1] !== shown[1]);
      const collapsed = !!view.flags.collapsed;
      const layout: NodeLayout = { pos, ...((resized || before?.size) && { size: resized ? size : before!.size }), ...(collapsed && { collapsed }) };
      nodes.set(id, layout);
    }
    const groups = new Map<number, GroupBounding>();
    for (const [id, view] of this.#groups) groups.set(id, [round(view.pos[0]), round(view.pos[1]), round(view.size[0]), round(view.size[1])]);
    const cmd = layoutChanges(doc, nodes, groups);
    const links = this.#linkChanges();
    const all: Command = { label: links.ops.length && !cmd.ops.length ? links.label : cmd.label, ops: [...links.ops, ...cmd.ops] };
    if (all.ops.length) this.editor.exec(all);
  }

  /** Links the artist made, moved or removed in the view, as operations on the document. */
  #linkChanges(): Command {
    const doc = this.editor.doc;
    const seen = new Set<string>();
    const viewLinks: { from: { node: number; port: string }; to: { node: number; port: string } }[] = [];
    for (const link of this.graph._links.values()) {
      const a = this.graph.getNodeById(link.origin_id);
      const b = this.graph.getNodeById(link.target_id);
      if (!a || !b) continue;
      const l = { from: { node: Number(a.id), port: a.outputs[link.origin_slot]!.name }, to: { node: Number(b.id), port: b.inputs[link.target_slot]!.name } };
      seen.add(`${l.from.node}:${l.from.port}>${l.to.node}:${l.to.port}`);
      viewLinks.push(l);
    }
    const ops: Op[] = doc.links.filter((l) => !seen.has(`${l.from.node}:${l.from.port}>${l.to.node}:${l.to.port}`)).map((l): Op => ({ kind: 'removeLink', id: l.id }));
    const have = new Set(doc.links.map((l) => `${l.from.node}:${l.from.port}>${l.to.node}:${l.to.port}`));
    let linkId = nextId(doc.links);
    for (const l of viewLinks) {
      if (have.has(`${l.from.node}:${l.from.port}>${l.to.node}:${l.to.port}`)) continue;
      const made = connect(doc, this.editor.registry, l.from, l.to);
      if (typeof made === 'string') continue; // refused: the reconcile takes it out of the view again
      // replaced links are already among the removals above, so only the new link is added
      ops.push({ kind: 'addLink', link: { id: linkId++, from: l.from, to: l.to } });
    }
    const added = ops.filter((o) => o.kind === 'addLink').length;
    return { label: added ? 'Connect' : 'Disconnect', ops };
  }

  // ---------------------------------------------------------------- widgets

  #widget(nodeId: number, name: string, spec: ParamSpec): IWidget {
    const behaviour = behaviourOf(spec);
    const H = LiteGraph.NODE_WIDGET_HEIGHT;
    const widget = {
      type: 'custom',
      name,
      value: '',
      y: 0,
      options: {},
      serialize: false,
      tooltip: spec.description,
      draw: (ctx: CanvasRenderingContext2D, _node: LGraphNode, width: number, y: number, h: number) => this.#drawWidget(ctx, nodeId, name, spec, width, y, h, behaviour.editor),
      computeSize: (width?: number) => [width ?? NODE_WIDTH, H] as [number, number],
      onPointerDown: (pointer: { onClick?: (e: PointerEvent) => void }, node: LGraphNode, canvas: LGraphCanvas) => {
        const x = canvas.graph_mouse[0]! - node.pos[0]!;
        const width = node.size[0]!;
        pointer.onClick = () => this.#clickWidget(nodeId, name, spec, x, width, widget as unknown as IWidget);
        return true;
      },
    };
    return widget as unknown as IWidget;
  }

  #drawWidget(ctx: CanvasRenderingContext2D, nodeId: number, name: string, spec: ParamSpec, width: number, y: number, h: number, editor: string) {
    const node = this.#docNodes.get(nodeId);
    if (!node) return;
    const value = Object.hasOwn(node.params, name) ? node.params[name] : undefined;
    const problem = this.#problems.get(nodeId)?.get(name);
    const margin = 15;
    ctx.fillStyle = '#222';
    ctx.strokeStyle = problem ? (problem.severity === 'error' ? ERROR_COLOR : WARNING_COLOR) : '#555';
    ctx.beginPath();
    ctx.roundRect(margin, y, width - margin * 2, h, h * 0.5);
    ctx.fill();
    ctx.stroke();
    // zoomed out, text cannot be read anyway: litegraph's own widgets skip it too
    if (this.canvas.low_quality) return;
    const numeric = editor === 'number' || editor === 'seed';
    if (numeric) {
      ctx.fillStyle = '#bbb';
      ctx.beginPath();
      ctx.moveTo(margin + 16, y + 5);
      ctx.lineTo(margin + 6, y + h * 0.5);
      ctx.lineTo(margin + 16, y + h - 5);
      ctx.moveTo(width - margin - 16, y + 5);
      ctx.lineTo(width - margin - 6, y + h * 0.5);
      ctx.lineTo(width - margin - 16, y + h - 5);
      ctx.fill();
    }
    const pad = numeric ? 22 : 10;
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    ctx.fillStyle = problem?.severity === 'error' ? ERROR_COLOR : '#999';
    ctx.fillText(spec.label, margin + pad, y + h * 0.5);
    const font = value === undefined ? FONT_UNSET : FONT;
    const text = editor === 'toggle' ? (value === true ? '● on' : '○ off') : formatValue(spec, value);
    const room = width - margin * 2 - pad * 2 - this.#measure(ctx, FONT, spec.label) - 12;
    ctx.textAlign = 'right';
    ctx.fillStyle = value === undefined ? '#777' : '#ddd';
    ctx.font = font;
    ctx.fillText(this.#fit(ctx, font, text, room), width - margin - pad, y + h * 0.5);
  }

  readonly #widths = new Map<string, number>();
  readonly #fitted = new Map<string, string>();

  #measure(ctx: CanvasRenderingContext2D, font: string, text: string): number {
    const key = `${font}|${text}`;
    let w = this.#widths.get(key);
    if (w === undefined) {
      if (this.#widths.size > 5000) this.#widths.clear();
      ctx.font = font;
      w = ctx.measureText(text).width;
      this.#widths.set(key, w);
    }
    return w;
  }

  /** The text cut to fit `room` pixels, with an ellipsis; remembered, as values rarely change. */
  #fit(ctx: CanvasRenderingContext2D, font: string, text: string, room: number): string {
    const key = `${font}|${Math.round(room)}|${text}`;
    let fitted = this.#fitted.get(key);
    if (fitted === undefined) {
      if (this.#fitted.size > 5000) this.#fitted.clear();
      ctx.font = font;
      fitted = text;
      if (ctx.measureText(text).width > room) {
        let lo = 0;
        let hi = text.length;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (ctx.measureText(text.slice(0, mid) + '…').width <= room) lo = mid;
          else hi = mid - 1;
        }
        fitted = text.slice(0, lo) + '…';
      }
      this.#fitted.set(key, fitted);
    }
    return fitted;
  }


  #clickWidget(nodeId: number, name: string, spec: ParamSpec, x: number, width: number, widget: IWidget) {
    const node = this.editor.doc.nodes.find((n) => n.id === nodeId);
    if (!node) return;
    const value = Object.hasOwn(node.params, name) ? node.params[name] : undefined;
    const behaviour = behaviourOf(spec);
    const arrow = x < 40 ? -1 : x > width - 40 ? 1 : 0;
    if ((behaviour.editor === 'number' || behaviour.editor === 'seed') && arrow) {
      const next = stepValue(this.editor.paramSpec(nodeId, name) ?? spec, value, arrow);
      if (next !== undefined && next !== value) this.editor.exec({ label: `Set ${spec.label}`, ops: [{ kind: 'setParam', nodeId, name, value: next }] });
      return;
    }
    if (behaviour.editor === 'toggle') {
      this.editor.exec({ label: `Set ${spec.label}`, ops: [{ kind: 'setParam', nodeId, name, value: value !== true }] });
      return;
    }
    this.hooks.editParam(nodeId, name, this.widgetRect(nodeId, widget));
  }

  /** Where a widget is on screen. */
  widgetRect(nodeId: number, widget: IWidget): DOMRect {
    const view = this.#nodes.get(nodeId)!;
    const box = this.element.getBoundingClientRect();
    const [x = 0, y = 0] = this.canvas.ds.convertOffsetToCanvas([view.pos[0], view.pos[1] + widget.y]);
    const scale = this.canvas.ds.scale;
    return new DOMRect(box.left + x + 15 * scale, box.top + y, (view.size[0] - 30) * scale, LiteGraph.NODE_WIDGET_HEIGHT * scale);
  }

  /** The reserved area of a preview node, where the inline player is laid over the canvas. */
  #previewArea(nodeId: number): IWidget {
    return {
      type: 'custom',
      name: '$preview',
      value: '',
      y: 0,
      options: {},
      serialize: false,
      draw: (ctx: CanvasRenderingContext2D, _n: LGraphNode, width: number, y: number) => {
        ctx.fillStyle = '#1b1b1b';
        ctx.fillRect(10, y + 4, width - 20, this.previewHeight(nodeId) - 8);
      },
      computeSize: (width?: number) => [width ?? NODE_WIDTH, this.previewHeight(nodeId)],
    } as unknown as IWidget;
  }

  /** The screen rectangle of a preview node's player, or undefined when it is not on screen. */
  previewRect(nodeId: number): DOMRect | undefined {
    const view = this.#nodes.get(nodeId);
    const area = view?.widgets?.find((w) => w.name === '$preview');
    if (!view || !area || view.flags.collapsed) return undefined;
    const [x = 0, y = 0] = this.canvas.ds.convertOffsetToCanvas([view.pos[0] + 10, view.pos[1] + area.y + 4]);
    const scale = this.canvas.ds.scale;
    return new DOMRect(x, y, (view.size[0] - 20) * scale, (this.previewHeight(nodeId) - 8) * scale);
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

  #drawForeground(view: LGraphNode, ctx: CanvasRenderingContext2D) {
    const id = Number(view.id);
    const node = this.#docNodes.get(id);
    const problems = this.#problems.get(id);
    const title = LiteGraph.NODE_TITLE_HEIGHT;
    const height = view.flags.collapsed ? 0 : view.size[1];
    const width = view.flags.collapsed ? (view._collapsed_width ?? NODE_WIDTH) : view.size[0];
    if (problems?.size) {
      const error = [...problems.values()].some((d) => d.severity === 'error');
      ctx.save();
      ctx.strokeStyle = error ? ERROR_COLOR : WARNING_COLOR;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.roundRect(-5, -title - 5, width + 10, height + title + 10, 10);
      ctx.stroke();
      ctx.fillStyle = ctx.strokeStyle;
      ctx.font = 'bold 13px sans-serif';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(`⚠ ${problems.size}`, width - 8, -title * 0.5);
      ctx.restore();
    }
    const badge = node && NODE_COLORS[node.mode].badge;
    if (badge && !view.flags.collapsed) {
      ctx.save();
      ctx.fillStyle = 'rgba(255,255,255,0.55)';
      ctx.font = 'bold 11px sans-serif';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(badge, width - 8, height - 4);
      ctx.restore();
    }
  }

  selectedIds(): number[] {
    return [...this.canvas.selectedItems].filter((i): i is LGraphNode => i instanceof LGraphNode).map((n) => Number(n.id));
  }

  selectedGroupIds(): number[] {
    return [...this.canvas.selectedItems].filter((i): i is LGraphGroup => i instanceof LGraphGroup).map((g) => Number(g.id));
  }

  select(ids: readonly number[]): void {
    const nodes = ids.map((id) => this.#nodes.get(id)).filter((n): n is LGraphNode => !!n);
    this.canvas.deselectAll();
    if (nodes.length) this.canvas.selectNodes(nodes);
    this.canvas.setDirty(true, true);
  }

  /** Centres a node and selects it; with a field, returns where that field's widget is. */
  focus(nodeId: number, field?: string): DOMRect | undefined {
    const view = this.#nodes.get(nodeId);
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
    const boxes = ids.flatMap((id) => { const n = this.#nodes.get(id); return n ? [[...n.boundingRect] as [number, number, number, number]] : []; });
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
    const n = this.#nodes.get(nodeId);
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
    const items = this.canvas.selectedItems.size ? [...this.canvas.selectedItems] : [...this.#nodes.values()];
    if (!items.length) return;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const item of items) if (item instanceof LGraphNode) item.updateArea(this.canvas.ctx); // litegraph measures nodes only as it draws: a graph just opened is not drawn yet
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

  /** After opening a file: if none of its nodes would be on screen, bring them into view. */
  fitViewIfOffscreen(): void {
    const [x = 0, y = 0] = this.canvas.ds.convertCanvasToOffset([0, 0]);
    const w = this.element.clientWidth / this.canvas.ds.scale;
    const h = this.element.clientHeight / this.canvas.ds.scale;
    const onScreen = [...this.#nodes.values()].some((n) => n.pos[0] < x + w && n.pos[0] + n.size[0] > x && n.pos[1] < y + h && n.pos[1] + n.size[1] > y);
    if (!onScreen) this.fitView();
  }

  resize(): void {
    const parent = this.element.parentElement!;
    const dpr = window.devicePixelRatio || 1;
    const { clientWidth: w, clientHeight: h } = parent;
    this.element.width = Math.max(1, Math.floor(w * dpr));
    this.element.height = Math.max(1, Math.floor(h * dpr));
    this.element.style.width = `${w}px`;
    this.element.style.height = `${h}px`;
    this.canvas.setDirty(true, true);
  }

  definitionOf(nodeId: number): NodeDefinition | undefined {
    const node = this.editor.doc.nodes.find((n) => n.id === nodeId);
    return node && this.editor.registry.get(node.type);
  }
}
