import type { JsonValue } from './json';
import { acceptsValue, type ParamSpec, type ParamValue } from './params';

// What a node type is. Each file in nodes/ provides one NodeDefinition; the compiler, the loader,
// the CLI listing and the editor see node types only through a Registry of them.

/** Port types. A link joins an output and an input of the same type, nothing else. */
export const PORT_TYPES = ['MODEL', 'PROMPT', 'LORA', 'FRAMES', 'ACCELERATION', 'OUTPUT', 'DELIVERY', 'SAFETY', 'VIDEO'] as const;
export type PortType = (typeof PORT_TYPES)[number];

export interface PortSpec {
  type: PortType;
  label: string;
  /** Required inputs must be linked for the node to compile. */
  optional?: boolean;
}

/** Where a payload value came from: the editor highlights exactly this. */
export interface Origin {
  nodeId: number;
  field: string;
}

export interface NodeMigration {
  /** The type version this step upgrades from; it yields from + 1. */
  from: number;
  name: string;
  up(params: Record<string, JsonValue>): Record<string, JsonValue>;
}

export interface EvalContext {
  nodeId: number;
  /** Parameters that are set, already validated against the node's specs. */
  params: Record<string, ParamValue>;
  /** Values of linked inputs; undefined where an input is unlinked or its source is muted. */
  inputs: Record<string, unknown>;
  report(severity: 'error' | 'warning', field: string, message: string): void;
  /** Only task nodes: hand the compiler a task and where each of its values came from. */
  emitTask(task: Record<string, unknown>, origins: Map<string, Origin>): void;
}

export interface NodeDefinition {
  type: string;
  version: number;
  title: string;
  category: string;
  description: string;
  params: Record<string, ParamSpec>;
  /**
   * Values a node created in the editor starts with, beyond the defaults of its required
   * parameters: set explicitly, so they show in its widgets and reach the payload.
   */
  initialParams?: Record<string, JsonValue>;
  inputs: Record<string, PortSpec>;
  outputs: Record<string, PortSpec>;
  migrations: readonly NodeMigration[];
  /** Computes the node's output values from its params and inputs. */
  evaluate(ctx: EvalContext): Record<string, unknown>;
  /** Task nodes are where compiling starts: one task per active task node. */
  producesTask?: boolean;
}

export interface Registry {
  get(type: string): NodeDefinition | undefined;
  all(): readonly NodeDefinition[];
}

export function createRegistry(defs: readonly NodeDefinition[]): Registry {
  const byType = new Map<string, NodeDefinition>();
  for (const def of defs) {
    if (byType.has(def.type)) throw new Error(`node type '${def.type}' is registered twice`);
    for (const m of def.migrations) if (m.from < 1 || m.from >= def.version) throw new Error(`${def.type}: migration '${m.name}' from ${m.from} is outside 1..${def.version - 1}`);
    for (const [name, value] of Object.entries(def.initialParams ?? {})) {
      const spec = Object.hasOwn(def.params, name) ? def.params[name] : undefined;
      if (!spec || !acceptsValue(spec, value)) throw new Error(`${def.type}: initial value of '${name}' is not one of its parameter's values`);
    }
    byType.set(def.type, def);
  }
  return { get: (type) => byType.get(type), all: () => defs };
}
