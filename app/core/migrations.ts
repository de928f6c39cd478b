import type { JsonValue } from './support/json';
import { FILE_VERSION } from './document';
import type { NodeMigration } from './node-def';

// File-format migrations: named, ordered steps, each taking a file of version `from` to `from + 1`.
// Each step is proven by a golden fixture in test/fixtures/ that is kept forever.

export type RawFile = { [key: string]: JsonValue };

export interface FileMigration {
  from: number;
  name: string;
  up(file: RawFile): RawFile;
}

/** Empty while the format is at version 1; append steps, never edit or reorder them. */
export const FILE_MIGRATIONS: readonly FileMigration[] = [];

export function migrateFile(file: RawFile, from: number, steps: readonly FileMigration[] = FILE_MIGRATIONS, to = FILE_VERSION): { file: RawFile; applied: string[] } {
  const applied: string[] = [];
  let current = file;
  for (let v = from; v < to; v++) {
    const step = steps.find((s) => s.from === v);
    if (!step) throw new Error(`no migration from format version ${v} to ${v + 1}`);
    current = { ...step.up(current), version: v + 1 };
    applied.push(step.name);
  }
  return { file: current, applied };
}

export function migrateParams(params: Record<string, JsonValue>, from: number, to: number, steps: readonly NodeMigration[]): { params: Record<string, JsonValue>; applied: string[] } {
  const applied: string[] = [];
  let current = params;
  for (let v = from; v < to; v++) {
    const step = steps.find((s) => s.from === v);
    if (!step) throw new Error(`no migration from type version ${v} to ${v + 1}`);
    current = step.up(current);
    applied.push(step.name);
  }
  return { params: current, applied };
}
