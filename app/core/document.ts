import { z } from 'zod';
import type { JsonValue } from './support/json';

// The graph file and the in-memory GraphDocument are the same plain data. Meaning (nodes, params
// by name, links, groups) is kept apart from layout (positions, sizes, viewport).

export const FILE_FORMAT = 'wan-graph';
export const FILE_VERSION = 1;
export const FILE_EXTENSION = '.wgraph.json';

const id = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const name = z.string().min(1).max(200);
const finite = z.number().min(-1e9).max(1e9);
const jsonValue: z.ZodType<JsonValue> = z.custom<JsonValue>(() => true);

export const NodeMode = z.enum(['active', 'muted', 'bypassed']);
export type NodeMode = z.infer<typeof NodeMode>;

export const GraphNode = z.strictObject({
  id,
  type: name,
  typeVersion: z.number().int().min(1).max(1000),
  title: z.string().max(200),
  mode: NodeMode,
  /** Parameters by name. Absent means unset. Validated per node type, later, so nothing is lost. */
  params: z.record(z.string().max(200), jsonValue),
});
export type GraphNode = z.infer<typeof GraphNode>;

const PortRef = z.strictObject({ node: id, port: name });

export const GraphLink = z.strictObject({ id, from: PortRef, to: PortRef });
export type GraphLink = z.infer<typeof GraphLink>;

export const GraphGroup = z.strictObject({
  id,
  title: z.string().max(200),
  color: z.string().regex(/^#[0-9a-fA-F]{3,8}$/).optional(),
});
export type GraphGroup = z.infer<typeof GraphGroup>;

const vec2 = z.tuple([finite, finite]);
const size2 = z.tuple([z.number().min(0).max(1e6), z.number().min(0).max(1e6)]);

export const Layout = z.strictObject({
  nodes: z.record(z.string().regex(/^\d+$/), z.strictObject({ pos: vec2, size: size2.optional(), collapsed: z.boolean().optional() })),
  groups: z.record(z.string().regex(/^\d+$/), z.strictObject({ bounding: z.tuple([finite, finite, z.number().min(0).max(1e6), z.number().min(0).max(1e6)]) })),
  viewport: z.strictObject({ offset: vec2, scale: z.number().min(0.01).max(100) }),
});
export type Layout = z.infer<typeof Layout>;

export const GraphDocument = z.strictObject({
  format: z.literal(FILE_FORMAT),
  version: z.literal(FILE_VERSION),
  name: z.string().max(200).optional(),
  nodes: z.array(GraphNode).max(100_000),
  links: z.array(GraphLink).max(200_000),
  groups: z.array(GraphGroup).max(10_000),
  layout: Layout,
});
export type GraphDocument = z.infer<typeof GraphDocument>;

export function emptyDocument(): GraphDocument {
  return {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    nodes: [],
    links: [],
    groups: [],
    layout: { nodes: {}, groups: {}, viewport: { offset: [0, 0], scale: 1 } },
  };
}

/** The name a graph goes by, wherever it is shown or filed: its own, else its file's, else "Untitled". */
export const graphName = (doc: Pick<GraphDocument, 'name'>, path: string | undefined): string =>
  doc.name ?? (path ? path.split(/[\\/]/).pop()!.replace(/\.wgraph\.json$|\.json$/, '') : undefined) ?? 'Untitled';
