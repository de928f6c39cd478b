import { portType, type Origin } from '../app/core/node-def';
import type { ParamSpec, ParamValue } from '../app/core/params';

// What flows along links that several node types share, and small helpers the node files use. A
// port type only one node type makes is declared in that node's file.

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

/** A produced video: the task node that makes it. */
export interface VideoRef {
  nodeId: number;
}

export const MODEL = portType<Sourced<string>>('MODEL', '#b39ddb');
export const PROMPT = portType<Sourced<string>>('PROMPT', '#ffd54f');
export const LORA = portType<Chain>('LORA', '#9ccc65');
export const FRAMES = portType<Chain>('FRAMES', '#64b5f6');
export const ACCELERATION = portType<FieldSet>('ACCELERATION', '#ff8a65');
export const OUTPUT = portType<FieldSet>('OUTPUT', '#4dd0e1');
export const DELIVERY = portType<FieldSet>('DELIVERY', '#90a4ae');
export const SAFETY = portType<FieldSet>('SAFETY', '#e57373');
export const VIDEO = portType<VideoRef>('VIDEO', '#f06292');

/** The node's own set parameters, as a node's evaluate gets them. */
type Context = { nodeId: number; params: Record<string, ParamValue | undefined> };

/** The named entries of a field table, in the order asked for. */
export function pick<T extends Record<string, ParamSpec>, K extends keyof T & string>(table: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, table[k]])) as unknown as Pick<T, K>;
}

/** A node's set parameters as a field set (unset ones are simply absent). */
export const fieldSet = (ctx: Context): FieldSet => ({ nodeId: ctx.nodeId, fields: ctx.params as Record<string, ParamValue> });

/** Appends this node's fields to the chain arriving at `input`, keeping the artist's order. */
export const extendChain = (ctx: Context, before: Chain | undefined): Chain => [...(before ?? []), fieldSet(ctx)];

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
