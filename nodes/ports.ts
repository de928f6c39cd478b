import { portType, type Origin } from '../app/core/node-def';
import type { ParamSpec, ParamValue } from '../app/core/params';
import type { VideoSource } from '../app/core/plan';
import type { FieldSet, FieldValue } from '../app/core/task-builder';

// What flows along links that several node types share, and small helpers the node files use. A
// port type only one node type makes is declared in that node's file.

/** A single value and the node field it came from (a model, a prompt). */
export interface Sourced<T> {
  value: T;
  origin: Origin;
}

export type Chain = readonly FieldSet[];

export const PROMPT = portType<Sourced<string>>('PROMPT', '#ffd54f');
/** A video: made by a task, joined by a Sequence, or a file (see app/core/plan.ts). */
export const VIDEO = portType<VideoSource>('VIDEO', '#f06292');
/** Frame images for a task, in the artist's order: Frame Image, Frame From Video. */
export const FRAMES = portType<Chain>('FRAMES', '#64b5f6');

/** The node's own set parameters, as a node's evaluate gets them. */
type Context = { nodeId: number; params: Record<string, ParamValue | undefined> };

/** The named entries of a field table, in the order asked for. */
export function pick<T extends Record<string, ParamSpec>, K extends keyof T & string>(table: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, table[k]])) as unknown as Pick<T, K>;
}

/** A node's set parameters as a field set (unset ones are simply absent). */
export const fieldSet = (ctx: Context): FieldSet => ({ nodeId: ctx.nodeId, fields: ctx.params as Record<string, FieldValue> });

/** Appends this node's fields to the chain arriving at `input`, keeping the artist's order. */
export const extendChain = (ctx: Context, before: Chain | undefined): Chain => [...(before ?? []), fieldSet(ctx)];
