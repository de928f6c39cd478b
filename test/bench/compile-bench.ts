import { compileGraph } from '../../app/core/compile';
import { registry } from '../../nodes';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { counterUuid } from '../helpers';
import { generateGraph, sweepGraph } from './generate';
import { median, percentile, round, timed } from './stats';

// Compile speed, against JSON.stringify of the same tasks: plain tasks, and a 3-list sweep
// (generate.ts's sweepGraph). The editor compiles after every edit, so what counts is the steady
// state: V8 needs a dozen compiles of a graph to optimise the compiler's code (the first ones take
// 5–15 times as long), and those are warm-up, not samples.
const WARMUP = 20;
const RUNS = 41;



export function benchCompile(tasks: number, doc = generateGraph({ tasks })) {
  const compileMs: number[] = [];
  const stringifyMs: number[] = [];
  let payloadBytes = 0;
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const uuid = counterUuid();
    // the artist's task limit (200 by default) is no part of what is measured
    const [result, ms] = timed(() => compileGraph(doc, registry, { uuid, maxTasks: tasks }));
    if (!result.ok || result.tasks.length !== tasks) throw new Error(`the generated graph did not compile: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
    const payload = result.tasks.map((t) => t.task);
    const [json, jsonMs] = timed(() => JSON.stringify(payload));
    payloadBytes = json.length;
    if (run >= WARMUP) {
      compileMs.push(ms);
      stringifyMs.push(jsonMs);
    }
  }
  const ratio = median(compileMs) / median(stringifyMs);
  return {
    tasks,
    nodes: doc.nodes.length,
    links: doc.links.length,
    runs: RUNS,
    warmup: WARMUP,
    medianMs: round(median(compileMs)),
    p95Ms: round(percentile(compileMs, 0.95)),
    stringifyMedianMs: round(median(stringifyMs), 3),
    payloadBytes,
    ratio: round(ratio, 1),
    targetRatio: 5,
    met: ratio <= 5,
  };
}


/**
 * A compile row measured in a process of its own: the heap and the type feedback one graph leaves
 * behind (8,000 nodes of plain tasks) would otherwise colour the other's figures.
 */
export function benchCompileApart(kind: 'plain' | 'sweep'): ReturnType<typeof benchCompile> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), kind], { encoding: 'utf8' });
  return JSON.parse(out) as ReturnType<typeof benchCompile>;
}

const kind = process.argv[2];
if (process.argv[1] === fileURLToPath(import.meta.url) && (kind === 'plain' || kind === 'sweep')) {
  process.stdout.write(JSON.stringify(kind === 'plain' ? benchCompile(1000) : benchCompile(1000, sweepGraph())));
}
