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
