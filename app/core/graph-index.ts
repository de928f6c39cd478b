import type { GraphDocument, GraphNode } from './document';

// A document arranged for lookups, built afresh by each validation or compilation: the editor
// mutates its document between calls, so nothing here may outlive one call. Nodes and links are
// known by their position in doc.nodes and doc.links, which lets per-node and per-link state live
// in arrays instead of maps keyed by id or by "node:port" strings. Links are resolved to node
// positions once, here.

export interface GraphIndex {
  doc: GraphDocument;
  /**
   * The position in doc.nodes of each node id, at that id (of the last node with it, should ids
   * repeat); read it through positionOf. A sparse array rather than a Map: ids are small whole
   * numbers as a rule, which V8 keeps in flat storage (and turns into a dictionary by itself for
   * sparse or huge ones), and both building and reading it then cost a fraction of a Map's.
   */
  byId: (number | undefined)[];
  /** For each link, the position of the node it leaves; -1 when that node does not exist. */
  linkFrom: Int32Array;
  /** For each link, the position of the node it enters; -1 when that node does not exist. */
  linkTo: Int32Array;
  /** For each node, the positions of the links into it, in document order. */
  linksInto: (number[] | undefined)[];
}

export function indexGraph(doc: GraphDocument): GraphIndex {
  const byId: (number | undefined)[] = [];
  doc.nodes.forEach((node, at) => (byId[node.id] = at));
  const linkFrom = new Int32Array(doc.links.length);
  const linkTo = new Int32Array(doc.links.length);
  const linksInto: (number[] | undefined)[] = new Array(doc.nodes.length);
  doc.links.forEach((link, li) => {
    linkFrom[li] = byId[link.from.node] ?? -1;
    const to = (linkTo[li] = byId[link.to.node] ?? -1);
    if (to < 0) return; // a link to no node feeds nothing
    const list = linksInto[to];
    if (list) list.push(li);
    else linksInto[to] = [li];
  });
  return { doc, byId, linkFrom, linkTo, linksInto };
}

/** The position in doc.nodes of the node with this id (the last one, should ids repeat). */
export const positionOf = (index: GraphIndex, id: number): number | undefined => index.byId[id];

/** The node with this id, if there is one (the last one, should ids repeat). */
export function nodeById(index: GraphIndex, id: number): GraphNode | undefined {
  const at = index.byId[id];
  return at === undefined ? undefined : index.doc.nodes[at];
}

/**
 * The link feeding input `port` of the node at `at`, as a position in doc.links, or -1. The first
 * link to an input feeds it (validation reports any further one). A node has few links, so a scan
 * beats building a "node:port" key.
 */
export function inputLink(index: GraphIndex, at: number, port: string): number {
  const list = index.linksInto[at];
  if (list) for (const li of list) if (index.doc.links[li]!.to.port === port) return li;
  return -1;
}

/**
 * Strongly connected components with more than one node (or a self-link), as node ids: Tarjan's
 * algorithm, iterative, with its state in typed arrays indexed by node position.
 */
export function findCycles(index: GraphIndex): number[][] {
  const { doc, byId, linkFrom, linkTo } = index;
  const n = doc.nodes.length;

  // Successors of v are succ[first[v]] .. succ[first[v + 1] - 1], in link order.
  const first = new Int32Array(n + 1);
  const selfLoop = new Uint8Array(n);
  for (let li = 0; li < linkFrom.length; li++) {
    const a = linkFrom[li]!;
    const b = linkTo[li]!;
    if (a < 0 || b < 0) continue;
    if (a === b) selfLoop[a] = 1;
    first[a + 1]!++;
  }
  for (let v = 0; v < n; v++) first[v + 1]! += first[v]!;
  const succ = new Int32Array(first[n]!);
  const fill = first.slice(0, n);
  for (let li = 0; li < linkFrom.length; li++) if (linkFrom[li]! >= 0 && linkTo[li]! >= 0) succ[fill[linkFrom[li]!]!++] = linkTo[li]!;

  let counter = 0;
  const order = new Int32Array(n).fill(-1); // Tarjan's index: when each node was first reached
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  // The explicit call stack: a node, and the position in succ of its next successor to visit.
  const workNode = new Int32Array(n);
  const workNext = new Int32Array(n);
  let wp = 0;
  const enter = (v: number) => {
    order[v] = low[v] = counter++;
    stack[sp++] = v;
    onStack[v] = 1;
    workNode[wp] = v;
    workNext[wp++] = first[v]!;
  };
  const cycles: number[][] = [];
  for (const node of doc.nodes) {
    const start = byId[node.id]!; // nodes sharing an id are one node, met first here
    if (order[start] !== -1) continue;
    enter(start);
    while (wp > 0) {
      const v = workNode[wp - 1]!;
      if (workNext[wp - 1]! < first[v + 1]!) {
        const w = succ[workNext[wp - 1]!++]!;
        if (order[w] === -1) enter(w);
        else if (onStack[w]) low[v] = Math.min(low[v]!, order[w]!);
        continue;
      }
      wp--;
      if (wp > 0) {
        const parent = workNode[wp - 1]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] !== order[v]) continue;
      if (stack[sp - 1] === v && !selfLoop[v]) {
        // a component of one node without a self-link, as nearly all are: no cycle
        onStack[stack[--sp]!] = 0;
        continue;
      }
      const comp: number[] = [];
      let w: number;
      do {
        w = stack[--sp]!;
        onStack[w] = 0;
        comp.push(doc.nodes[w]!.id);
      } while (w !== v);
      cycles.push(comp.reverse());
    }
  }
  return cycles;
}
