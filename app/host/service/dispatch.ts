import type { z } from 'zod';
import { contract, HostFailure, type Contract, type OpName, type OpOutput } from '../../core/contract';

// Every transport (loopback HTTP, Electron IPC) checks an operation's input against the contract
// the same way, and says what is wrong in words that name the field.

type OpParsed<K extends OpName> = z.output<Contract[K]['input']>;
export type Handlers = { [K in OpName]: (input: OpParsed<K>) => Promise<OpOutput<K>> };

type Ops = Record<string, { input: z.ZodType }>;

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 6)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : 'the input'}: ${i.message}`)
    .join('; ');
}

/** Checks the input against `ops` (the contract unless given), then runs the operation. */
export async function callOp(handlers: Record<string, (input: never) => Promise<unknown>>, name: string, input: unknown, ops: Ops = contract): Promise<unknown> {
  if (!Object.hasOwn(ops, name) || !Object.hasOwn(handlers, name)) throw new HostFailure('unknown-op', `there is no operation "${name.slice(0, 60)}"`);
  const parsed = ops[name]!.input.safeParse(input);
  if (!parsed.success) throw new HostFailure('bad-input', `${name}: ${describeIssues(parsed.error.issues)}`);
  return (handlers[name] as (i: unknown) => Promise<unknown>)(parsed.data);
}
