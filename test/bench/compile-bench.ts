import { compileGraph } from '../../app/core/compile';
import { registry } from '../../nodes';
import { counterUuid, GraphBuilder } from '../helpers';
import { generateGraph } from './generate';
import { median, percentile, round, RUNS, timed, WARMUP } from './stats';

// Compile speed, against JSON.stringify of the same tasks: plain tasks, and a 3-list sweep.



/** A 3-list sweep (10 prompts × 10 seeds × 10 CFG values) into one Video Inference with a LoRA and an Output. */
export function sweepGraph() {
  const g = new GraphBuilder();
  const m = g.node('Model', { model: 'runware:200@6' });
  const prompts = g.node('PromptList', { prompts: Array.from({ length: 10 }, (_, i) => `shot ${i + 1}: a slow dolly through a misty pine forest at first light, volumetric rays, cinematic`).join('\n') });
  const seeds = g.node('Values', { values: '1000 ×10' });
  const cfg = g.node('Values', { values: '1..5.5 step 0.5' });
  const lora = g.node('LoRA', { model: 'civitai:1307155@1475095', weight: 0.8, transformer: 'both' });
  const out = g.node('Output', { outputFormat: 'MP4', includeCost: true });
  const vi = g.node('VideoInference', { width: 832, height: 480, duration: 5, fps: 16, steps: 30, numberResults: 1 });
  g.link(m, 'model', vi, 'model');
  g.link(prompts, 'prompt', vi, 'positive');
  g.link(seeds, 'values', vi, 'seed');
  g.link(cfg, 'values', vi, 'CFGScale');
  g.link(lora, 'lora', vi, 'lora');
  g.link(out, 'output', vi, 'output');
  return g.doc;
}

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

