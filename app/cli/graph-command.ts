import { randomUUID } from 'node:crypto';
import { compileGraph, type CompileResult } from '../core/compile';
import { formatDiagnostic } from '../core/diagnostics';
import { stringifyJson } from '../core/support/json';
import { readGraphFile, writeFileAtomic } from '../host/file-io';
import { registry } from '../../nodes';
import { EXIT, type Io } from './io';

/** Loads and compiles one file, printing every problem; undefined when it cannot be loaded. */
async function compileFile(file: string, io: Io, maxTasks?: number): Promise<CompileResult | undefined> {
  const loaded = await readGraphFile(file, registry);
  if (!loaded.ok) {
    for (const d of loaded.errors) io.stderr.write(formatDiagnostic(d, file) + '\n');
    return undefined;
  }
  const result = compileGraph(loaded.doc, registry, { uuid: randomUUID, ...(maxTasks !== undefined && { maxTasks }) });
  for (const d of result.diagnostics) io.stderr.write(formatDiagnostic(d, file) + '\n');
  return result;
}

export async function validateCommand(files: string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  for (const file of files) {
    const result = await compileFile(file, io);
    if (!result?.ok) code = EXIT.invalid;
    else io.stdout.write(`${file}: ok, ${count(result.tasks.length, 'task')}${result.steps.length ? `, ${count(result.steps.length, 'local step')}` : ''}\n`);
  }
  return code;
}

export async function compileCommand(file: string, out: string | undefined, io: Io, maxTasks?: number): Promise<number> {
  const result = await compileFile(file, io, maxTasks);
  if (!result?.ok) return EXIT.invalid;
  const json = stringifyJson(result.tasks.map((t) => t.task));
  // the request stays alone on stdout; which swept values made each task goes beside it
  for (const line of [...coordinateLines(result.tasks), ...planLines(result)]) io.stderr.write(line + '\n');
  if (out === undefined) io.stdout.write(json);
  else await writeFileAtomic(out, json);
  return EXIT.ok;
}

/** One line per task of a sweep: its place in the output, its node and the values that made it. */
function coordinateLines(tasks: CompileResult['tasks']): string[] {
  if (!tasks.some((t) => t.coordinates.length)) return [];
  const width = String(tasks.length).length;
  return tasks.map((t, i) => {
    // values in full: prompts expanded from {a|b} may differ only in their middle
    const values = t.coordinates.map((c) => `${c.title} = ${c.label}`).join(' · ');
    return `task ${String(i + 1).padStart(width)} (node ${t.nodeId})${values ? `: ${values}` : ''}`;
  });
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** A plan with local steps, step by step: what each waits for. */
function planLines({ tasks, steps }: CompileResult): string[] {
  if (!steps.length) return [];
  const after = (needs: readonly string[]) => (needs.length ? `, after ${needs.join(', ')}` : '');
  return [
    `plan: ${count(tasks.length, 'task')} and ${count(steps.length, 'local step')}`,
    ...tasks.map((t, i) => `  task ${i + 1} = ${t.step} (node ${t.nodeId})${after(t.needs)}`),
    ...steps.map((s) => `  ${s.id}: ${s.label}${after(s.needs)}`),
  ];
}
