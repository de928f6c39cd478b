import { LGraphEventMode, type LGraph, type LGraphGroup, type LGraphNode } from '@comfyorg/litegraph';
import type { CanvasFacts, NodeFacts } from '../probe-types';

// The probe's reading of litegraph: what the canvas holds, in document terms, to be compared
// with the document by tests. Reads only.

const MODE: Record<number, NodeFacts['mode']> = { [LGraphEventMode.ALWAYS]: 'active', [LGraphEventMode.NEVER]: 'muted', [LGraphEventMode.BYPASS]: 'bypassed' };
const pair = (v: ArrayLike<number>): [number, number] => [Math.round(v[0]!), Math.round(v[1]!)];

/** A widget that can say what it shows (the editor's parameter widgets can). */
interface Shows {
  name: string;
  shown?: () => string;
  area?: string;
}

function nodeFacts(n: LGraphNode): NodeFacts {
  const widgets = (n.widgets ?? []) as unknown as Shows[];
  return {
    id: Number(n.id),
    type: n.type ?? '',
    title: n.title,
    inputs: n.inputs.filter((s) => !s.widget).map((s) => [s.name, String(s.type)]),
    paramInputs: n.inputs.filter((s) => s.widget).map((s) => `${s.widget!.name}:${String(s.type)}`),
    outputs: n.outputs.map((s) => [s.name, String(s.type)]),
    widgets: widgets.filter((w) => !w.area).map((w) => [w.name, w.shown?.() ?? '?']),
    areas: widgets.flatMap((w) => (w.area ? [w.area] : [])),
    mode: MODE[n.mode] ?? 'active',
    pos: pair(n.pos),
    size: pair(n.size),
    autoSize: pair(n.computeSize()),
    collapsed: !!n.flags.collapsed,
  };
}

export function viewFacts(graph: LGraph): CanvasFacts {
  const links: string[] = [];
  for (const link of graph._links.values()) {
    const a = graph.getNodeById(link.origin_id);
    const b = graph.getNodeById(link.target_id);
    const from = a ? `${a.id}:${a.outputs[link.origin_slot]?.name ?? '?'}` : '?';
    const to = b ? `${b.id}:${b.inputs[link.target_slot]?.name ?? '?'}` : '?';
    links.push(`${from}>${to}`);
  }
  return {
    nodes: graph._nodes.map(nodeFacts),
    links: links.sort(),
    groups: (graph._groups as LGraphGroup[]).map((g) => ({ id: Number(g.id), title: g.title, color: g.color, bounding: [...g._bounding].map(Math.round) as [number, number, number, number] })),
  };
}
