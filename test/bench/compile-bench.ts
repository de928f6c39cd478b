import { compileGraph } from '../../app/core/compile';
import { registry } from '../../nodes';
import { counterUuid } from '../helpers';
import { generateGraph } from './generate';
import { median, percentile, round, RUNS, timed, WARMUP } from './stats';

// Compile speed, against JSON.stringify of the same tasks: plain tasks, and a 3-list sweep
// (generate.ts's sweepGraph).



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

