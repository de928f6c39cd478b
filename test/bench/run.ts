// `npm run bench` (or `npm run bench -- editor chain` for some parts): measures compile and load
// speed on generated graphs, the job runner, chains and joining, the editor
// (an edit reaching the Payload tab with a 1,000-task sweep open among it) and a Compare Grid
// playing in Chromium, prints a table and merges the figures into bench-results/bench.json (other
// keys in that file are kept). Measures only: targets are reported, never enforced.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGraph } from '../../app/core/load';
import { serializeGraph } from '../../app/core/save';
import { validateGraph } from '../../app/core/validate';
import { registry } from '../../nodes';
import { benchChain, benchJoin, chainRows } from './chain-bench';
import { benchCompileApart } from './compile-bench';
import { generateGraph, optionsForNodeCount } from './generate';
import { benchRunner } from './runner-bench';
import { benchEditor, editorRows } from './editor-bench';
import { benchCompareGrid, gridRows } from './grid-bench';
import { benchPayloadEdit, payloadRows } from './payload-bench';
import { percentile, median, round, RUNS, timed, WARMUP } from './stats';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(ROOT, 'bench-results', 'bench.json');

function benchLoad(nodes: number) {
  const doc = generateGraph(optionsForNodeCount(nodes));
  if (doc.nodes.length !== nodes) throw new Error(`generated ${doc.nodes.length} nodes, not ${nodes}`);
  const bytes = new TextEncoder().encode(serializeGraph(doc));
  const totalMs: number[] = [];
  const loadMs: number[] = [];
  const validateMs: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const [loaded, ms1] = timed(() => loadGraph(bytes, registry));
    if (!loaded.ok) throw new Error(`the generated file did not load: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
    const [problems, ms2] = timed(() => validateGraph(loaded.doc, registry));
    if (problems.length) throw new Error(`the generated file is not valid: ${JSON.stringify(problems.slice(0, 3))}`);
    if (run >= WARMUP) {
      loadMs.push(ms1);
      validateMs.push(ms2);
      totalMs.push(ms1 + ms2);
    }
  }
  return {
    nodes,
    links: doc.links.length,
    fileBytes: bytes.length,
    runs: RUNS,
    warmup: WARMUP,
    medianMs: round(median(totalMs)),
    p95Ms: round(percentile(totalMs, 0.95)),
    loadMedianMs: round(median(loadMs)),
    validateMedianMs: round(median(validateMs)),
    targetMs: 250,
    met: median(totalMs) <= 250,
  };
}

async function mergeResults(entries: Record<string, unknown>) {
  let existing: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(RESULTS, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) existing = parsed as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') console.warn(`bench-results/bench.json was unreadable and is replaced (${(e as Error).message})`);
  }
  await mkdir(dirname(RESULTS), { recursive: true });
  const tmp = `${RESULTS}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ ...existing, ...entries }, null, 2) + '\n');
  await rename(tmp, RESULTS);
}

const environment = { node: process.version, platform: `${process.platform}-${process.arch}`, measuredAt: new Date().toISOString() };
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
type Row = string[];

/** Each part of the suite: what it measures (merged into bench.json) and its rows in the table. */
const SECTIONS: Record<string, () => Promise<{ entries: Record<string, unknown>; rows: Row[] }>> = {
  compile: async () => {
    const compile1000 = { ...benchCompileApart('plain'), ...environment };
    const sweep1000 = { ...benchCompileApart('sweep'), ...environment };
    return {
      entries: { compile1000, sweep1000 },
      rows: [
        [
          `compile: ${compile1000.tasks} tasks (${compile1000.nodes} nodes, ${compile1000.links} links)`,
          `${compile1000.medianMs.toFixed(1)} ms`,
          `${compile1000.p95Ms.toFixed(1)} ms`,
          `≤ 5 × JSON.stringify (${compile1000.stringifyMedianMs.toFixed(1)} ms, ${mb(compile1000.payloadBytes)})`,
          `${compile1000.ratio}× ${compile1000.met ? 'met' : 'MISSED'}`,
        ],
        [
          `compile: a 10 × 10 × 10 sweep, ${sweep1000.tasks} tasks (${sweep1000.nodes} nodes)`,
          `${sweep1000.medianMs.toFixed(1)} ms`,
          `${sweep1000.p95Ms.toFixed(1)} ms`,
          `≤ 5 × JSON.stringify (${sweep1000.stringifyMedianMs.toFixed(1)} ms, ${mb(sweep1000.payloadBytes)})`,
          `${sweep1000.ratio}× ${sweep1000.met ? 'met' : 'MISSED'}`,
        ],
      ],
    };
  },
  load: async () => {
    const load10000 = { ...benchLoad(10_000), ...environment };
    return {
      entries: { load10000 },
      rows: [
        [
          `load + validate: ${load10000.nodes} nodes (${mb(load10000.fileBytes)})`,
          `${load10000.medianMs.toFixed(1)} ms`,
          `${load10000.p95Ms.toFixed(1)} ms`,
          `≤ 250 ms (load ${load10000.loadMedianMs.toFixed(1)} + validate ${load10000.validateMedianMs.toFixed(1)})`,
          load10000.met ? 'met' : 'MISSED',
        ],
      ],
    };
  },
  runner: async () => {
    console.log('running 200 jobs against the sandbox (about half a minute)…\n');
    const runner200 = { ...(await benchRunner(200, 16, 2000)), ...environment };
    return {
      entries: { runner200 },
      rows: [
        [
          `runner: ${runner200.jobs} jobs × ${runner200.generationMs / 1000} s, concurrency ${runner200.concurrency}`,
          `${(runner200.wallMs / 1000).toFixed(1)} s`,
          '—',
          `≤ 1.10 × ideal ${runner200.idealMs / 1000} s; ≤ 6 requests/job (${runner200.requestsPerJob}); CPU ${runner200.cpuMsPerJob} ms/job`,
          `${runner200.ratio}× ${runner200.met ? 'met' : 'MISSED'}`,
        ],
      ],
    };
  },
  editor: async () => {
    console.log('measuring the editor in headless Chromium (about a minute)…\n');
    const editor = await benchEditor(environment);
    return { entries: { ...editor }, rows: editorRows(editor) };
  },
  payload: async () => {
    console.log('editing a value with a 1,000-task sweep open in headless Chromium (about half a minute)…\n');
    const payload = await benchPayloadEdit(environment);
    return { entries: { ...payload }, rows: payloadRows(payload) };
  },
  grid: async () => {
    console.log('running a 4 × 4 sweep on the sandbox and playing its Compare Grid in headless Chromium (about a minute)…\n');
    const grid = await benchCompareGrid(environment);
    return { entries: { ...grid }, rows: gridRows(grid) };
  },
  chain: async () => {
    console.log('running three 10-shot chains on the sandbox and joining 10 clips of 6 s at 720p (about three minutes)…\n');
    const chain10 = { ...(await benchChain()), ...environment };
    const join10 = { ...(await benchJoin()), ...environment };
    return { entries: { chain10, join10 }, rows: chainRows(chain10, join10) };
  },
};

// `npm run bench -- editor chain` runs only those parts; the other figures in bench.json stay
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in SECTIONS));
if (unknown.length) {
  console.error(`unknown part: ${unknown.join(', ')} (the parts are ${Object.keys(SECTIONS).join(', ')})`);
  process.exit(2);
}
const chosen = asked.length ? asked : Object.keys(SECTIONS);

console.log(`wan-graph benchmarks: ${chosen.join(', ')} (${RUNS} runs after ${WARMUP} warm-up runs each)\n`);
const rows: Row[] = [['benchmark', 'median', 'p95', 'target', 'result']];
let entries: Record<string, unknown> = {};
for (const name of chosen) {
  const part = await SECTIONS[name]!();
  rows.push(...part.rows);
  entries = { ...entries, ...part.entries };
}
const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
for (const [k, row] of rows.entries()) {
  console.log(row.map((cell, col) => (col === 1 || col === 2 ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!))).join('  ').trimEnd());
  if (k === 0) console.log(widths.map((w) => '─'.repeat(w)).join('  '));
}

await mergeResults(entries);
console.log(`\nwritten to bench-results/bench.json`);
