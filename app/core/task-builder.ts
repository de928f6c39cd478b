import type { ParamValue } from './params';
import { isPlaceholder, type Placeholder } from './plan';
import { TASK_FIELDS } from './wan-spec';

// A task being assembled: what each node linked into a task node puts in it, and where each value
// came from. Contributions arrive in any order; the task is written in the specification's order.

/** Where a payload value came from: the editor highlights exactly this. */
export interface Origin {
  nodeId: number;
  field: string;
}

/** A field's value: as set, or to come from a step not yet run (a frame taken from a video). */
export type FieldValue = ParamValue | Placeholder;

/** Where a node's parameters land in a task: `fields` by name, as the node set them. */
export interface FieldSet {
  nodeId: number;
  fields: Record<string, FieldValue>;
}

/**
 * The order payload keys are written in: the seed examples' (TASK_FIELDS), with the nested
 * objects after acceleration, as the Payload tab has always shown them. Keys no node of this
 * project makes (a node type added later) follow, in the order they were put.
 */
const KEY_ORDER = (() => {
  const fields = Object.keys(TASK_FIELDS);
  const cut = fields.indexOf('acceleration') + 1;
  return ['taskType', 'taskUUID', ...fields.slice(0, cut), 'acceleratorOptions', 'lora', 'inputs', ...fields.slice(cut), 'safety'];
})();
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

/**
 * Where each path of a task came from, in the order recorded (a path recorded twice: the last
 * word wins). The tasks of a sweep mostly agree on it: each is compared, as it is built, with the
 * last task of its node, and shares that record while they agree, so a 1,000-task sweep builds a
 * handful of records, not a thousand. Kept as two arrays; the map is built only when asked.
 */
export class OriginsRecord implements ReadonlyMap<string, Origin> {
  #map: Map<string, Origin> | undefined;
  constructor(
    readonly paths: readonly string[],
    readonly origins: readonly Origin[],
  ) {}
  #byPath(): Map<string, Origin> {
    return (this.#map ??= new Map(this.paths.map((p, k) => [p, this.origins[k]!])));
  }
  get(path: string) {
    return this.#byPath().get(path);
  }
  has(path: string) {
    return this.#byPath().has(path);
  }
  get size() {
    return this.#byPath().size;
  }
  forEach(fn: (value: Origin, key: string, map: ReadonlyMap<string, Origin>) => void) {
    this.#byPath().forEach((v, k) => fn(v, k, this));
  }
  entries() {
    return this.#byPath().entries();
  }
  keys() {
    return this.#byPath().keys();
  }
  values() {
    return this.#byPath().values();
  }
  [Symbol.iterator]() {
    return this.#byPath()[Symbol.iterator]();
  }
}

export class TaskBuilder {
  // values by rank, then the keys without one in the order they came
  readonly #slots: unknown[] = new Array(KEY_ORDER.length);
  #extra: Map<string, unknown> | undefined;
  // the last task's origins matched so far, until one differs and this task gets its own
  #matched = 0;
  #paths: string[] | undefined;
  #origins: Origin[] | undefined;
  /** The local steps whose outputs the task waits for (its placeholders'). */
  readonly needs: string[] = [];

  /**
   * `taskNodeId` is the task node: values that are the sum of several nodes' (a LoRA list) are
   * its; `step` the task's step id in the plan. `last` is its previous task's origins; `redirect`
   * maps a node field to the one that really gave its value (a parameter fed by a link).
   */
  constructor(
    readonly taskNodeId: number,
    readonly step: string,
    readonly last?: OriginsRecord,
    readonly redirect?: (o: Origin) => Origin,
  ) {}

  put(key: string, value: unknown, origin: Origin): void {
    if (isPlaceholder(value)) this.needs.push(value.$step);
    const rank = RANK.get(key);
    if (rank === undefined) (this.#extra ??= new Map()).set(key, value);
    else this.#slots[rank] = value;
    this.origin(key, origin);
  }

  /** Records where the value at `path` came from. */
  origin(path: string, from: Origin): void {
    const o = this.redirect ? this.redirect(from) : from;
    if (!this.#paths) {
      const last = this.last;
      const i = this.#matched;
      const was = last && i < last.paths.length && last.paths[i] === path ? last.origins[i]! : undefined;
      if (was && was.nodeId === o.nodeId && was.field === o.field) {
        this.#matched++;
        return;
      }
      this.#paths = last ? last.paths.slice(0, i) : [];
      this.#origins = last ? last.origins.slice(0, i) : [];
    }
    this.#paths.push(path);
    this.#origins!.push(o);
  }

  /** Every field of a set as a top-level key (Output, Delivery). */
  putFields(set: FieldSet): void {
    for (const k in set.fields) this.put(k, set.fields[k], { nodeId: set.nodeId, field: k });
  }

  /**
   * A copy of a set's fields to nest at `path`, each leaf remembering its node field. A list
   * item's main field (`itemField`) is remembered at the item's own path: the longest-prefix
   * lookup finds it there, and the origins map stays small.
   */
  nest(path: string, set: FieldSet, opts: { except?: string; itemField?: string } = {}): Record<string, FieldValue> {
    const fields: Record<string, FieldValue> = {};
    // field sets are plain objects the compiler built: for…in walks them without a key array
    for (const k in set.fields) {
      if (k === opts.except) continue;
      const value = set.fields[k]!;
      if (isPlaceholder(value)) this.needs.push(value.$step);
      fields[k] = value;
      if (k !== opts.itemField) this.origin(childPath(path, k), { nodeId: set.nodeId, field: k });
    }
    if (opts.itemField) this.origin(path, { nodeId: set.nodeId, field: opts.itemField });
    return fields;
  }

  /** The task, its keys in order, with its type and UUID first. */
  build(taskUUID: string): Record<string, unknown> {
    const task: Record<string, unknown> = { taskType: 'videoInference', taskUUID };
    const slots = this.#slots;
    for (let i = 2; i < slots.length; i++) if (slots[i] !== undefined) task[KEY_ORDER[i]!] = slots[i];
    if (this.#extra) for (const [k, v] of this.#extra) task[k] = v;
    return task;
  }

  /** Where each of the task's paths came from: the last task's record when they all agree. */
  origins(): OriginsRecord {
    const last = this.last;
    const paths = this.#paths;
    if (!paths) return last && this.#matched === last.paths.length ? last : new OriginsRecord(last?.paths.slice(0, this.#matched) ?? [], last?.origins.slice(0, this.#matched) ?? []);
    // the same paths with other origins (another node's set, the next plain task): one paths array for both
    const samePaths = last && last.paths.length === paths.length && paths.every((p, k) => p === last.paths[k]);
    return new OriginsRecord(samePaths ? last.paths : paths, this.#origins!);
  }
}

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
