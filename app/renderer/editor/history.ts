import type { GraphDocument } from '../../core/document';
import { applyOp, type Op } from './ops';

// Undo and redo as commands: each command is a list of operations; applying it records the
// inverse operations, and undoing applies those (which yields the operations to redo).

export interface Command {
  label: string;
  ops: Op[];
}

/** Applies all of a command's operations or none: a failing operation rolls back the ones before it. */
export function applyCommand(doc: GraphDocument, cmd: Command): Command {
  const inverses: Op[] = [];
  try {
    for (const op of cmd.ops) inverses.push(applyOp(doc, op));
  } catch (e) {
    for (const inv of inverses.reverse()) applyOp(doc, inv);
    throw e;
  }
  return { label: cmd.label, ops: inverses.reverse() };
}

/** A recorded command; `seq` names the document state it leads to, so "saved" can be told after undo and redo. */
interface Entry {
  cmd: Command;
  seq: number;
}

export class History {
  #undo: Entry[] = [];
  #redo: Entry[] = [];
  #seq = 0;
  constructor(readonly limit = 500) {}

  /** Applies a command and makes it undoable. */
  exec(doc: GraphDocument, cmd: Command): void {
    if (!cmd.ops.length) return;
    this.#undo.push({ cmd: applyCommand(doc, cmd), seq: ++this.#seq });
    if (this.#undo.length > this.limit) this.#undo.shift();
    this.#redo = [];
  }

  /** Returns the operations replayed to undo the last command, if any. */
  undo(doc: GraphDocument): Command | undefined {
    const entry = this.#undo.pop();
    if (!entry) return undefined;
    this.#redo.push({ cmd: applyCommand(doc, entry.cmd), seq: entry.seq });
    return entry.cmd;
  }

  redo(doc: GraphDocument): Command | undefined {
    const entry = this.#redo.pop();
    if (!entry) return undefined;
    this.#undo.push({ cmd: applyCommand(doc, entry.cmd), seq: entry.seq });
    return entry.cmd;
  }

  clear(): void {
    this.#undo = [];
    this.#redo = [];
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }
  get canRedo(): boolean {
    return this.#redo.length > 0;
  }
  get undoLabel(): string | undefined {
    return this.#undo.at(-1)?.cmd.label;
  }
  get redoLabel(): string | undefined {
    return this.#redo.at(-1)?.cmd.label;
  }
  /** The document state reached: equal values mean an equal document (0 is where history began). */
  get state(): number {
    return this.#undo.at(-1)?.seq ?? 0;
  }
}
