import type { GraphDocument } from './document';
import type { Registry } from './node-def';
import { SEED_MAX } from './params';

// Seed control per task, resolved before submission so the seed that runs is known and shown:
// fixed keeps it, increment adds one, randomize picks a new one in the unsigned 32-bit range the
// service itself draws from.

export const SEED_CONTROLS = ['fixed', 'increment', 'randomize'] as const;

export interface SeedChange {
  nodeId: number;
  seed: number | bigint;
}

const asBig = (v: unknown): bigint | undefined => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : undefined);
/** Seeds stay plain numbers where they can, as the examples write them. */
const tidy = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

/** The seeds the active task nodes of `nodeIds` (or all) get for the next run. `random32` gives 0…2^32-1. */
export function resolveSeeds(doc: GraphDocument, registry: Registry, random32: () => number, nodeIds?: readonly number[]): SeedChange[] {
  const changes: SeedChange[] = [];
  for (const node of doc.nodes) {
    if (node.mode !== 'active' || !registry.get(node.type)?.producesTask) continue;
    if (nodeIds && !nodeIds.includes(node.id)) continue;
    const control = node.params.seedControl;
    if (control === 'randomize') changes.push({ nodeId: node.id, seed: random32() });
    else if (control === 'increment') {
      const current = asBig(node.params.seed);
      changes.push({ nodeId: node.id, seed: tidy(current === undefined || current >= SEED_MAX ? 0n : current + 1n) });
    }
  }
  return changes;
}
