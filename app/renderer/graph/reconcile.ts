import { LGraphEventMode, LGraphGroup, LGraphNode, type LGraph } from '@comfyorg/litegraph';
import type { GraphDocument, GraphNode, NodeMode } from '../../core/document';
import { VALUE_PORT, type Registry } from '../../core/node-def';
import { touchedNodes, type Op } from '../editor/ops';
import { linkableParams, paramSources } from '../editor/param-links';
import { FEED_ACCENTS, GROUP_COLOR, nodeColors } from './colors';
import { NODE_VIEW_HOOKS, areaWidget, type AreaPainter } from './node-hooks';
import { paramWidget, type WidgetHost } from './param-widgets';
import { preferredExtra, preferredWidth } from './sizes';

// Document → litegraph. The one rule: a litegraph node is built from its document node's type
// (ports, widgets, areas) and is never changed into another type; when the node with that id has
// another type it is built anew, and a newly loaded document is built anew entirely. Properties
// (title, mode, position, size) are set from the document on every change that touches them; links
// and groups are compared whole every time. A parameter that takes links has an input slot tied to
// its widget (litegraph draws its dot at the widget's row while a link that fits is dragged, or
// while it is linked); links into parameters are links like any other.

const MODE_OF: Record<NodeMode, LGraphEventMode> = { active: LGraphEventMode.ALWAYS, muted: LGraphEventMode.NEVER, bypassed: LGraphEventMode.BYPASS };

export class ViewSync {
  readonly nodes = new Map<number, LGraphNode>();
  readonly groups = new Map<number, LGraphGroup>();
  /** The document's nodes by id, refreshed at each change: widgets draw from it every frame. */
  docNodes = new Map<number, GraphNode>();
  /** The accents each node takes from the inputs it feeds (see FEED_ACCENTS), read from the links at each change. */
  feeds = new Map<number, (typeof FEED_ACCENTS)[string][]>();
  /** The node driving each linked parameter, by "nodeId:param", read from the links at each change. */
  sources = new Map<string, GraphNode>();

  constructor(
    readonly graph: LGraph,
    readonly registry: Registry,
    readonly widgets: WidgetHost,
    readonly foreground: (view: LGraphNode, ctx: CanvasRenderingContext2D) => void,
    readonly paintArea?: AreaPainter,
  ) {}

  /** Makes litegraph show `doc`. With `ops`, the edit that just ran; without, a document was loaded. */
  apply(doc: GraphDocument, ops?: readonly Op[]): void {
    this.docNodes = new Map(doc.nodes.map((n) => [n.id, n]));
    this.sources = paramSources(doc, this.registry);
    if (!ops) this.#clear();
    const touched = ops ? new Set(ops.flatMap(touchedNodes)) : undefined;
    for (const [id, view] of this.nodes) {
      const node = this.docNodes.get(id);
      if (!node || node.type !== view.type) this.#remove(id, view);
    }
    const updated: LGraphNode[] = [];
    for (const node of doc.nodes) {
      const existing = this.nodes.get(node.id);
      if (existing && touched && !touched.has(node.id)) continue;
      const view = existing ?? this.#add(node);
      this.#update(view, node, doc);
      updated.push(view);
    }
    this.#links(doc);
    this.#groups(doc);
    this.feeds = feedsOf(doc);
    // litegraph places slots and widgets while drawing a node, after it has drawn the links: placed
    // now, a link into a parameter is drawn at its row from the first frame
    for (const view of updated) {
      if (view.flags.collapsed) continue;
      view._setConcreteSlots();
      view.arrange();
    }
  }

  #clear() {
    for (const [id, view] of this.nodes) this.#remove(id, view);
    for (const view of this.groups.values()) this.graph.remove(view);
    this.groups.clear();
  }

  #remove(id: number, view: LGraphNode) {
    this.graph.remove(view);
    this.nodes.delete(id);
  }

  #add(node: GraphNode): LGraphNode {
    const def = this.registry.get(node.type);
    const view = new LGraphNode(node.title || def?.title || node.type);
    view.id = node.id;
    view.type = node.type;
    if (def) {
      for (const [name, port] of Object.entries(def.inputs)) {
        const slot = view.addInput(name, port.type);
        slot.label = port.optional ? port.label : `${port.label} *`;
        slot.color_on = slot.color_off = port.color;
      }
      for (const [name, port] of Object.entries(def.outputs)) {
        const slot = view.addOutput(name, port.type);
        slot.label = port.label;
        slot.color_on = slot.color_off = port.color;
      }
      for (const name of Object.keys(def.params)) view.addCustomWidget(paramWidget(this.widgets, def, node.id, name));
      for (const name of linkableParams(def)) {
        const slot = view.addInput(name, VALUE_PORT.name, { widget: { name } });
        slot.label = def.params[name]!.label;
        slot.color_on = slot.color_off = VALUE_PORT.color;
      }
    }
    const area = NODE_VIEW_HOOKS[node.type]?.area;
    if (area) view.addCustomWidget(areaWidget(area, this.paintArea));
    view.onDrawForeground = (ctx) => this.foreground(view, ctx);
    this.graph.add(view);
    this.nodes.set(node.id, view);
    return view;
  }

  #update(view: LGraphNode, node: GraphNode, doc: GraphDocument) {
    view.title = node.title;
    view.mode = MODE_OF[node.mode];
    const colors = nodeColors(this.registry.get(node.type)?.category, node.mode);
    view.color = colors.color;
    view.bgcolor = colors.bgcolor;
    const layout = doc.layout.nodes[node.id];
    view.pos = [layout?.pos[0] ?? 0, layout?.pos[1] ?? 0];
    const collapsed = layout?.collapsed ?? false;
    if (!!view.flags.collapsed !== collapsed) view.collapse(true);
    // a stored size too short for the node's contents is grown to fit them, as litegraph would on its next frame
    view.size = layout?.size ? [layout.size[0], Math.max(layout.size[1], view.computeSize()[1])] : preferredSize(view, this.registry);
  }

  #links(doc: GraphDocument) {
    const key = (a: number, ap: string, b: number, bp: string) => `${a}:${ap}>${b}:${bp}`;
    const wanted = new Set(doc.links.map((l) => key(l.from.node, l.from.port, l.to.node, l.to.port)));
    for (const link of [...this.graph._links.values()]) {
      const a = this.graph.getNodeById(link.origin_id);
      const b = this.graph.getNodeById(link.target_id);
      const k = a && b ? key(Number(a.id), a.outputs[link.origin_slot]?.name ?? '', Number(b.id), b.inputs[link.target_slot]?.name ?? '') : '';
      if (wanted.has(k)) continue;
      if (b) b.disconnectInput(link.target_slot);
      else this.graph._links.delete(link.id);
    }
    for (const l of doc.links) {
      const a = this.nodes.get(l.from.node);
      const b = this.nodes.get(l.to.node);
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

  #groups(doc: GraphDocument) {
    const keep = new Set(doc.groups.map((g) => g.id));
    for (const [id, view] of this.groups) {
      if (keep.has(id)) continue;
      this.graph.remove(view);
      this.groups.delete(id);
    }
    for (const g of doc.groups) {
      let view = this.groups.get(g.id);
      if (!view) {
        view = new LGraphGroup(g.title, g.id);
        this.graph.add(view);
        this.groups.set(g.id, view);
      }
      view.title = g.title;
      view.color = g.color ?? GROUP_COLOR;
      const b = doc.layout.groups[g.id]?.bounding ?? [0, 0, 300, 200];
      view.pos = [b[0], b[1]];
      view.size = [b[2], b[3]];
    }
  }
}

/** The size of a node the document gives none: what its contents need at their preferred size, at least its type's preferred width. */
function preferredSize(view: LGraphNode, registry: Registry): [number, number] {
  const auto = view.computeSize();
  return [Math.max(preferredWidth(view.type ?? ''), auto[0]), auto[1] + preferredExtra(view.type ?? '', registry)];
}

/** Which accented inputs each node feeds, from the links: nothing about it is stored. */
function feedsOf(doc: GraphDocument): Map<number, (typeof FEED_ACCENTS)[string][]> {
  const out = new Map<number, (typeof FEED_ACCENTS)[string][]>();
  for (const l of doc.links) {
    const accent = FEED_ACCENTS[l.to.port];
    if (!accent) continue;
    const list = out.get(l.from.node) ?? [];
    if (!list.includes(accent)) list.push(accent);
    out.set(l.from.node, list);
  }
  return out;
}
