import type { JsonValue } from './support/json';
import { acceptsValue, type ParamSpec, type ParamValue } from './params';
import type { StepBody } from './plan';
import type { Origin, TaskBuilder } from './task-builder';

export type { Origin };

// What a node type is. Each file in nodes/ provides one NodeDefinition, made with defineNode; the
// compiler, the loader, the CLI listing and the editor see node types only through a Registry.

/**
 * What flows along a link. A port type is declared once, next to the node that introduces it
 * (nodes/ports.ts holds the ones several nodes share); `T` types the value in node files.
 */
export interface PortType<T> {
  readonly name: string;
  /** Links and slots of this type are drawn in it. */
  readonly color: string;
  readonly value?: T;
}
export const portType = <T>(name: string, color: string): PortType<T> => ({ name, color });

/** An input or output. A link joins an output and an input of the same type, nothing else. */
export interface PortSpec<T = unknown, Optional extends boolean = boolean> {
  /** The port type's name. */
  type: string;
  color: string;
  label: string;
  /** Required inputs must be linked for the node to compile. */
  optional?: Optional;
  readonly value?: T;
}

export const port = {
  input: <T>(type: PortType<T>, label: string): PortSpec<T, false> => ({ type: type.name, color: type.color, label }),
  optional: <T>(type: PortType<T>, label: string): PortSpec<T, true> => ({ type: type.name, color: type.color, label, optional: true }),
  output: <T>(type: PortType<T>, label: string): PortSpec<T, false> => ({ type: type.name, color: type.color, label }),
};

/**
 * An input every task node has, declared by the node type whose output it takes: what its value
 * puts in the task. A node that adds to the payload is then one file; the task node knows none.
 */
export interface TaskInput<T = unknown> {
  /** The input's name on task nodes (a link's target port). */
  readonly name: string;
  readonly port: PortSpec<T>;
  place(value: T, task: TaskBuilder): void;
}
export const taskInput = <T, Opt extends boolean>(name: string, spec: PortSpec<T, Opt>, place: (value: T, task: TaskBuilder) => void): TaskInput =>
  ({ name, port: spec, place }) as TaskInput;

/**
 * Port type of a Values or Primitive output: raw values that take the type of the parameter they
 * are linked to (any parameter of any node may be linked to instead of set in its widget).
 */
export const VALUE_PORT = portType<RawValue>('VALUE', '#cfd8dc');

/** One value from a value node, before the parameter it reaches parses it. */
export interface RawValue {
  raw: string | number | boolean;
  /** The source node and field, and the item's number (from 1) when the source is a list. */
  nodeId: number;
  field: string;
  item?: number;
}


export interface NodeMigration {
  /** The type version this step upgrades from; it yields from + 1. */
  from: number;
  name: string;
  up(params: Record<string, JsonValue>): Record<string, JsonValue>;
}

type SpecValue<S> = S extends { kind: 'int' | 'float' }
  ? number
  : S extends { kind: 'seed' }
    ? number | bigint
    : S extends { kind: 'bool' }
      ? boolean
      : S extends { kind: 'string' }
        ? string
        : S extends { kind: 'enum'; values: readonly (infer V)[] }
          ? V
          : ParamValue;
type Params = Record<string, ParamSpec>;
type Ports = Record<string, PortSpec>;
/** Set parameters (validated; a required one is always set when evaluate runs). */
type ParamValues<P extends Params> = { [K in keyof P]?: SpecValue<P[K]> };
type InputValues<I extends Ports> = { [K in keyof I]: I[K] extends PortSpec<infer T, infer Opt> ? (Opt extends true ? T | undefined : T) : never };
type OutputValues<O extends Ports> = { [K in keyof O]: O[K] extends PortSpec<infer T> ? T : never };

export interface EvalContext<P extends Params = Params, I extends Ports = Ports> {
  nodeId: number;
  params: ParamValues<P>;
  /** Values of linked inputs; undefined where an optional input is unlinked or its source is muted. */
  inputs: InputValues<I>;
  /** Only on a sweep node (see `sweep`): which of its items this evaluation is for (from 0). */
  pick: number;
  report(severity: 'error' | 'warning', field: string, message: string): void;
  /**
   * Only task nodes: the task being assembled, holding what the linked task inputs put in it
   * (see `contributes`); the node adds its own fields and emits it.
   */
  task: TaskBuilder;
  emitTask(): void;
  /** Hands the compiler a local step (a frame to take, videos to join); gives its id. */
  emitStep(step: StepBody): string;
}

/** What a sweep node may know of the graph around it. */
export interface SweepSource {
  /**
   * How many results the task node linked into this input makes; undefined when no task node
   * feeds it, or its count is not set on it (a link drives it). Asked, it makes the sweep a sweep
   * over those results: a video of that task read in a combination is its result of the item.
   */
  resultsInto(input: string): number | undefined;
}

/** The items a sweep node offers: how many, how each is labelled on a grid's axis, and how the count reads on the node ("12 prompts (4 lines expanded)"). */
export type SweepItems = { count: number; label(i: number): string; summary?: string } | { problem: string; field: string };

export interface NodeDefinition<P extends Params = Params, I extends Ports = Ports, O extends Ports = Ports> {
  type: string;
  version: number;
  title: string;
  category: string;
  description: string;
  params: P;
  /**
   * Values a node created in the editor starts with, beyond the defaults of its required
   * parameters: set explicitly, so they show in its widgets and reach the payload.
   */
  initialParams?: Record<string, JsonValue>;
  inputs: I;
  outputs: O;
  migrations: readonly NodeMigration[];
  /** Computes the node's output values from its params and inputs. Every declared output must be given. */
  evaluate(ctx: EvalContext<P, I>): OutputValues<O>;
  /**
   * Task nodes are where compiling starts: one task per active task node and combination of
   * sweeps. Every task node takes the task inputs of every node type (`contributes`), after its own.
   */
  producesTask?: boolean;
  /**
   * Step nodes (Sequence) start compiling as task nodes do, with the local step they emit; one that
   * feeds a node of its own type is a link in a chain, and only the chain's last one is started from.
   */
  producesStep?: boolean;
  /**
   * A step node that, with these params, gathers its sweeps into one step instead of making one
   * step per combination: a Sequence asked to join a list from a sweep joins its items, in order.
   */
  gathers?(params: ParamValues<P>): boolean;
  /** Inputs this node type's outputs feed on every task node, and what each puts in the task. */
  contributes?: readonly TaskInput[];
  /**
   * Sweep nodes offer a list (Values, Prompt List, Frame From Video taking each result): every task
   * that depends on one runs once per item, `evaluate` being called with `pick` set to the item.
   * Undefined: with these params the node offers no list.
   */
  sweep?(params: ParamValues<P>, from?: SweepSource): SweepItems | undefined;
  /**
   * The editor's rewrite of a parameter the artist just set (e.g. "random ×5" drawn into five
   * seeds, kept in the file); undefined keeps the value as typed.
   */
  normalize?(name: string, value: JsonValue, random: () => number): JsonValue | undefined;
}

/** A node type, its parameters, inputs and outputs typed from the declaration. */
export const defineNode = <P extends Params, I extends Ports, O extends Ports>(def: NodeDefinition<P, I, O>): NodeDefinition =>
  def as unknown as NodeDefinition;

export interface Registry {
  get(type: string): NodeDefinition | undefined;
  all(): readonly NodeDefinition[];
  /** Every port type's colour by name, from the node types that use it. */
  portColors(): ReadonlyMap<string, string>;
  /** A task node's input declared by a contributing node type, by name. */
  taskInput(name: string): TaskInput | undefined;
}

export function createRegistry(declared: readonly NodeDefinition[]): Registry {
  const byType = new Map<string, NodeDefinition>();
  const colors = new Map<string, string>();
  const taskInputs = new Map<string, TaskInput>();
  for (const def of declared)
    for (const t of def.contributes ?? []) {
      if (taskInputs.has(t.name)) throw new Error(`${def.type}: task input '${t.name}' is declared twice`);
      taskInputs.set(t.name, t);
    }
  const contributed = Object.fromEntries([...taskInputs.values()].map((t) => [t.name, t.port]));
  const defs = declared.map((def) => {
    if (!def.producesTask) return def;
    // a node type taken from another registry has them already: the same port, nothing to add
    for (const name of Object.keys(contributed))
      if ((Object.hasOwn(def.inputs, name) && def.inputs[name] !== contributed[name]) || Object.hasOwn(def.params, name)) throw new Error(`${def.type}: '${name}' is its own and a task input`);
    return { ...def, inputs: { ...contributed, ...def.inputs } };
  });
  for (const def of defs) {
    if (byType.has(def.type)) throw new Error(`node type '${def.type}' is registered twice`);
    for (const m of def.migrations) if (m.from < 1 || m.from >= def.version) throw new Error(`${def.type}: migration '${m.name}' from ${m.from} is outside 1..${def.version - 1}`);
    for (const [name, value] of Object.entries(def.initialParams ?? {})) {
      const spec = Object.hasOwn(def.params, name) ? def.params[name] : undefined;
      if (!spec || !acceptsValue(spec, value)) throw new Error(`${def.type}: initial value of '${name}' is not one of its parameter's values`);
    }
    // a link's target port is an input's name or a parameter's: the two must not meet
    for (const name of Object.keys(def.inputs)) if (Object.hasOwn(def.params, name)) throw new Error(`${def.type}: '${name}' is both an input and a parameter`);
    for (const spec of [...Object.values(def.inputs), ...Object.values(def.outputs)]) {
      const known = colors.get(spec.type);
      if (known !== undefined && known !== spec.color) throw new Error(`${def.type}: port type '${spec.type}' is declared twice, with two colours`);
      colors.set(spec.type, spec.color);
    }
    byType.set(def.type, def);
  }
  colors.set(VALUE_PORT.name, VALUE_PORT.color);
  return { get: (type) => byType.get(type), all: () => defs, portColors: () => colors, taskInput: (name) => taskInputs.get(name) };
}

/** Whether a parameter may be driven by a link from an output of this port type. */
export const linkableParam = (outputType: string): boolean => outputType === VALUE_PORT.name;
