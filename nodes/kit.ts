import type { EvalContext, NodeDefinition, Origin } from '../app/core/node-def';
import type { ParamSpec, ParamValue } from '../app/core/params';

// What flows along links, and small helpers the node files share.

/** A single value and the node field it came from (MODEL, PROMPT). */
export interface Sourced<T> {
  value: T;
  origin: Origin;
}

/** A set of task fields from one node (ACCELERATION, OUTPUT, DELIVERY, SAFETY, and chain items). */
export interface FieldSet {
  nodeId: number;
  fields: Record<string, ParamValue>;
}

export type Chain = readonly FieldSet[];

export const defineNode = (def: NodeDefinition): NodeDefinition => def;

/** The named entries of a field table, in the order asked for. */
export function pick<T extends Record<string, ParamSpec>, K extends keyof T & string>(table: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, table[k]])) as unknown as Pick<T, K>;
}

/** A node's set parameters as a field set (unset ones are simply absent). */
export const fieldSet = (ctx: EvalContext): FieldSet => ({ nodeId: ctx.nodeId, fields: ctx.params });

/** Appends this node's fields to the chain arriving at `input`, keeping the artist's order. */
export const extendChain = (ctx: EvalContext, input: string): Chain => [...((ctx.inputs[input] as Chain | undefined) ?? []), fieldSet(ctx)];

/**
 * The payload path of `child` under `parent` ("lora.0" and "weight" give "lora.0.weight"). Every
 * task names the same few paths, so each is built once and the same string is handed out after:
 * origins maps then neither build nor hash a new string per task, and compiled tasks share them.
 * A path depends only on its parts, so nothing kept here can go stale; a cap keeps graphs with
 * absurdly long chains from growing the table without end.
 */
export function childPath(parent: string, child: string | number): string {
  let children = keptPaths.get(parent);
  const kept = children?.get(child);
  if (kept !== undefined) return kept;
  const path = `${parent}.${child}`;
  if (keptCount < KEPT_MAX) {
    if (!children) keptPaths.set(parent, (children = new Map()));
    children.set(child, path);
    keptCount++;
  }
  return path;
}

const keptPaths = new Map<string, Map<string | number, string>>();
const KEPT_MAX = 10_000;
let keptCount = 0;
