import type { CompileResult } from '../../app/core/compile';
import type { GraphDocument } from '../../app/core/document';
import { VALUE_PORT, type Registry } from '../../app/core/node-def';
import { linkableParams, linkedText, paramSources } from '../../app/renderer/editor/param-links';
import { nodeCounts } from '../../app/renderer/graph/counts';
import { GROUP_COLOR } from '../../app/renderer/graph/colors';
import { NODE_VIEW_HOOKS } from '../../app/renderer/graph/node-hooks';
import { preferredExtra, preferredWidth } from '../../app/renderer/graph/sizes';
import { formatValue } from '../../app/renderer/graph/widgets';
import type { CanvasFacts, NodeFacts } from '../../app/renderer/probe-types';

// What the canvas must hold for a document, derived from the document and the node registry
// alone, and where the canvas the probe reads differs from it. Shared by the end-to-end tests
// (in Node) and the model-based test (inside the page).

type Expected = Omit<NodeFacts, 'size' | 'autoSize' | 'count'> & { size: [number, number] | undefined };

function expectedNodes(doc: GraphDocument, registry: Registry): Expected[] {
  const sources = paramSources(doc, registry);
  return doc.nodes.map((n) => {
    const def = registry.get(n.type);
    const layout = doc.layout.nodes[n.id];
    return {
      id: n.id,
      type: n.type,
      title: n.title,
      inputs: Object.entries(def?.inputs ?? {}).map(([name, p]) => [name, p.type]),
      outputs: Object.entries(def?.outputs ?? {}).map(([name, p]) => [name, p.type]),
      paramInputs: def ? linkableParams(def).map((name) => `${name}:${VALUE_PORT.name}`) : [],
      // a linked parameter says where its value comes from
      widgets: Object.entries(def?.params ?? {}).map(([name, spec]) => {
        const own = formatValue(spec, Object.hasOwn(n.params, name) ? n.params[name] : undefined);
        const source = sources.get(`${n.id}:${name}`);
        return [name, source ? linkedText(source, own) : own];
      }),
      areas: NODE_VIEW_HOOKS[n.type]?.area ? [NODE_VIEW_HOOKS[n.type]!.area!.name] : [],
      mode: n.mode,
      pos: [layout?.pos[0] ?? 0, layout?.pos[1] ?? 0],
      size: layout?.size,
      collapsed: layout?.collapsed ?? false,
    };
  });
}

const linkKey = (l: GraphDocument['links'][number]) => `${l.from.node}:${l.from.port}>${l.to.node}:${l.to.port}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Every difference between the canvas and the document, one line each; empty when the canvas
 * shows the document. With the document's compile result, the counts in title bars too.
 */
export function differences(doc: GraphDocument, registry: Registry, view: CanvasFacts, compiled?: CompileResult): string[] {
  const out: string[] = [];
  const shown = new Map(view.nodes.map((n) => [n.id, n]));
  if (shown.size !== view.nodes.length) out.push(`the canvas holds ${view.nodes.length - shown.size} node(s) twice`);
  const wanted = expectedNodes(doc, registry);
  for (const e of wanted) {
    const v = shown.get(e.id);
    if (!v) {
      out.push(`node ${e.id} (${e.type}) is not on the canvas`);
      continue;
    }
    for (const key of ['type', 'title', 'inputs', 'outputs', 'paramInputs', 'widgets', 'areas', 'mode', 'pos', 'collapsed'] as const) {
      if (!same(v[key], e[key])) out.push(`node ${e.id} ${key}: canvas ${JSON.stringify(v[key])}, document ${JSON.stringify(e[key])}`);
    }
    // a node without a stored size takes what its contents need at their preferred size, at least
    // its type's preferred width; a stored size is kept, grown in height to fit the contents
    if (compiled) {
      const count = nodeCounts(doc, registry, compiled).get(e.id) ?? null;
      if (v.count !== count) out.push(`node ${e.id} count: canvas ${JSON.stringify(v.count)}, document ${JSON.stringify(count)}`);
    }
    const size = e.size ? [e.size[0], Math.max(e.size[1], v.autoSize[1])] : [Math.max(preferredWidth(e.type), v.autoSize[0]), v.autoSize[1] + preferredExtra(e.type, registry)];
    if (!e.collapsed && !same(v.size, size)) out.push(`node ${e.id} size: canvas ${JSON.stringify(v.size)}, document ${JSON.stringify(size)}${e.size ? '' : ' (computed)'}`);
  }
  const ids = new Set(doc.nodes.map((n) => n.id));
  for (const v of view.nodes) if (!ids.has(v.id)) out.push(`the canvas holds node ${v.id} (${v.type}), which the document has not`);
  const links = doc.links.map(linkKey).sort();
  if (!same(view.links, links)) out.push(`links: canvas ${JSON.stringify(view.links)}, document ${JSON.stringify(links)}`);
  const groups = doc.groups.map((g) => ({ id: g.id, title: g.title, color: g.color ?? GROUP_COLOR, bounding: doc.layout.groups[g.id]?.bounding ?? [0, 0, 300, 200] }));
  const viewGroups = [...view.groups].sort((a, b) => a.id - b.id);
  if (!same(viewGroups, [...groups].sort((a, b) => a.id - b.id))) out.push(`groups: canvas ${JSON.stringify(viewGroups)}, document ${JSON.stringify(groups)}`);
  return out;
}
