import { compileGraph, type CompileResult } from '../../core/compile';
import { emptyDocument, graphName, type GraphDocument } from '../../core/document';
import type { Registry } from '../../core/node-def';
import type { ParamSpec } from '../../core/params';
import { paramSpecInGraph } from '../../core/task-model';
import { History, type Command } from './history';
import type { Op } from './ops';

// The editor's state without any view: the document (the single truth), its undo history, the
// file it belongs to, and the live compile result every panel reads from. Views subscribe.

/** `limits`: the document is the same, only what it compiles to under the artist's settings changed. */
export type EditorChange = { kind: 'load' } | { kind: 'edit'; ops: readonly Op[]; label: string } | { kind: 'limits' };

export class Editor {
  doc: GraphDocument = emptyDocument();
  /** The graph file this document is saved to; undefined until saved. */
  path: string | undefined;
  readonly history = new History();
  compiled: CompileResult;
  #saved = 0;
  #dirtyWithoutHistory = false;
  readonly #listeners = new Set<(change: EditorChange) => void>();
  /** TaskUUIDs shown in the inspector stay put while editing; a run gets fresh ones on the host. */
  readonly #uuids: string[] = [];
  /** The most tasks a run may send (the artist's setting): Problems says so before a run is tried. */
  #maxTasks: number | undefined;

  constructor(
    readonly registry: Registry,
    readonly randomUuid: () => string,
  ) {
    this.compiled = this.#compile();
  }

  on(listener: (change: EditorChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces the document (open, new, recover). `dirty` for a recovered document not yet saved. */
  load(doc: GraphDocument, path: string | undefined, dirty = false): void {
    this.doc = doc;
    this.path = path;
    this.history.clear();
    this.#saved = this.history.state;
    this.#dirtyWithoutHistory = dirty;
    this.#changed({ kind: 'load' });
  }

  exec(cmd: Command): void {
    if (!cmd.ops.length) return;
    this.history.exec(this.doc, cmd);
    this.#changed({ kind: 'edit', ops: cmd.ops, label: cmd.label });
  }

  undo(): boolean {
    const cmd = this.history.undo(this.doc);
    if (cmd) this.#changed({ kind: 'edit', ops: cmd.ops, label: `Undo ${cmd.label}` });
    return !!cmd;
  }

  redo(): boolean {
    const cmd = this.history.redo(this.doc);
    if (cmd) this.#changed({ kind: 'edit', ops: cmd.ops, label: `Redo ${cmd.label}` });
    return !!cmd;
  }

  markSaved(path: string): void {
    this.path = path;
    this.#saved = this.history.state;
    this.#dirtyWithoutHistory = false;
    this.#changed({ kind: 'edit', ops: [], label: 'Save' });
  }

  /** Compiles under the artist's task limit (undefined: the compiler's default), as the host will run it. */
  setMaxTasks(maxTasks: number | undefined): void {
    if (maxTasks === this.#maxTasks) return;
    this.#maxTasks = maxTasks;
    this.compiled = this.#compile();
    for (const l of this.#listeners) l({ kind: 'limits' });
  }

  /** A parameter's spec as every editor must take it: with the limits of the model its task runs on (Turbo: Results 1–4). */
  paramSpec(nodeId: number, name: string): ParamSpec | undefined {
    return paramSpecInGraph(this.doc, this.registry, nodeId, name);
  }

  get dirty(): boolean {
    return this.#dirtyWithoutHistory || this.history.state !== this.#saved;
  }

  get title(): string {
    return graphName(this.doc, this.path);
  }

  #compile(): CompileResult {
    let i = 0;
    return compileGraph(this.doc, this.registry, { uuid: () => (this.#uuids[i++] ??= this.randomUuid()), ...(this.#maxTasks !== undefined && { maxTasks: this.#maxTasks }) });
  }

  #changed(change: EditorChange) {
    this.compiled = this.#compile();
    for (const l of this.#listeners) l(change);
  }
}
