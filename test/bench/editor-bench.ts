import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import type { GraphDocument } from '../../app/core/document';
import type { Registry } from '../../app/core/node-def';
import type { ParamSpec } from '../../app/core/params';
import { serializeGraph } from '../../app/core/save';
import { registry } from '../../nodes';
import { generateGraph, optionsForNodeCount } from './generate';
import { percentile, median, round } from './stats';

// The editor in headless Chromium: the renderer's bundle size; start to interactive canvas on the
// real browser-mode server (`wan-graph serve`); draw time while panning a 500-node graph, against
// bare litegraph drawing the same graph (test/bench/web/bare.html); the JS heap with that graph
// loaded. Measures only: targets are reported, never enforced.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = fileURLToPath(new URL('./web/', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWPORT = { width: 1440, height: 900 };

/** Fresh pages whose start is timed (after one warm-up): enough for a steady median on a shared machine. */
const START_RUNS = 15;
const NODES = 500;
/** Per pan: frames, and screen pixels the view moves each frame (down the graph, slightly right). */
const PAN = { frames: 120, dx: -4, dy: -40, rounds: 5, warmup: 30 };
/** The zoom levels panned at: 1 (the file's own), and an overview below litegraph's low-quality threshold (0.6). */
const SCALES = [1, 0.5];


// ---------------------------------------------------------------- 1. bundle size

async function benchBundle() {
  const start = performance.now();
  await build({ configFile: join(ROOT, 'app/renderer/vite.config.ts'), logLevel: 'error' });
  const buildMs = performance.now() - start;
  const assets = join(ROOT, 'out/renderer/assets');
  const files = (await readdir(assets)).filter((f) => f.endsWith('.js'));
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const data = await readFile(join(assets, f));
    bytes += data.length;
    gzipBytes += gzipSync(data, { level: 9 }).length;
  }
  const target = 1.5 * 1048576;
  return { files: files.length, bytes, gzipBytes, buildMs: Math.round(buildMs), targetBytes: target, met: bytes <= target };
}

// ---------------------------------------------------------------- the real server

interface Served {
  url: string;
  home: string;
  /** From spawning `wan-graph serve` to its printed link. */
  startMs: number;
  stop(): Promise<void>;
}

export async function serve(home: string): Promise<Served> {
  const env: NodeJS.ProcessEnv = { ...process.env, WAN_GRAPH_HOME: home };
  delete env.RUNWARE_API_KEY;
  const start = performance.now();
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'app/cli/wan-graph.mjs'), 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  let timer: NodeJS.Timeout | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      printed += chunk.toString();
      const m = /Wan Graph editor: (http:\/\/\S+)/.exec(printed);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`wan-graph serve exited ${code}: ${printed}`)));
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wan-graph serve printed no link in 60 s: ${printed}`));
    }, 60_000);
  }).finally(() => clearTimeout(timer));
  const startMs = performance.now() - start;
  return {
    url,
    home,
    startMs,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** The graph as the autosaved working graph of a fresh data folder: the editor opens it at start, asking nothing. */
export async function homeWithGraph(doc: GraphDocument): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'wan-bench-editor-'));
  await mkdir(join(home, 'autosave'), { recursive: true });
  await writeFile(join(home, 'autosave', 'working.wgraph.json'), serializeGraph(doc));
  await writeFile(join(home, 'autosave', 'working.meta.json'), JSON.stringify({ dirty: false, savedAt: Date.now() }) + '\n');
  return home;
}

// ---------------------------------------------------------------- in the page

/** What the page writes on its console when `data-ready` is set. */
const READY_MESSAGE = 'wan-graph bench: ready';
/**
 * Records when `document.body.dataset.ready` turns 'true' or 'failed' (ms since navigation start)
 * and says so on the console, and when `data-loaded` follows (the settings and jobs are in). The benchmark waits for that message rather than polling the page
 * (waitForFunction): polling would run the driver's own script in the page while it starts, and
 * the figure would hold that script's time.
 */
const READY_SCRIPT = `new MutationObserver((_, obs) => {
  const ready = document.body && document.body.dataset.ready;
  if (ready && !window.__wanReady && (ready === 'true' || ready === 'failed')) { window.__wanReadyAt = performance.now(); window.__wanReady = ready; console.debug(${JSON.stringify(READY_MESSAGE)}); }
  if (document.body && document.body.dataset.loaded === 'true') { window.__wanLoadedAt = performance.now(); obs.disconnect(); }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready', 'data-loaded'] });`;

// The editor's Content-Security-Policy forbids eval: page code runs as functions (or init scripts),
// never strings. This file is type-checked without the DOM library: page functions reach the
// browser's globals through `globalThis` as this interface (the casts are erased).
interface PageGlobals {
  document: { body: { dataset: Record<string, string | undefined> } };
  performance: { getEntriesByType(type: 'navigation'): { domContentLoadedEventEnd: number }[] };
  __wanReady?: string;
  __wanReadyAt?: number;
  __wanLoadedAt?: number;
  __wanBench: Record<string, (...x: unknown[]) => unknown>;
  bareLitegraph: { load(spec: unknown, width: number, height: number): { nodes: number; links: number } };
}

/** Opens the editor in a new page of `context`: ms from navigation start to `data-ready="true"`. */
export async function openEditor(context: BrowserContext, url: string, initScripts: { path: string }[] = []): Promise<{ page: Page; readyMs: number }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  await page.addInitScript(READY_SCRIPT);
  for (const script of initScripts) await page.addInitScript(script);
  const said = page.waitForEvent('console', { predicate: (m) => m.text() === READY_MESSAGE, timeout: 30_000 });
  said.catch(() => undefined); // awaited below, once the page is open
  await page.goto(url);
  try {
    await said;
  } catch (e) {
    throw new Error(`the editor did not become ready (${(e as Error).message.split('\n')[0]}); page errors: ${errors.join(' | ') || 'none'}`);
  }
  const [state, at] = await page.evaluate(() => [(globalThis as unknown as PageGlobals).__wanReady, (globalThis as unknown as PageGlobals).__wanReadyAt ?? NaN] as const);
  if (state !== 'true') throw new Error(`the editor did not start: ${await page.textContent('#target')}; page errors: ${errors.join(' | ') || 'none'}`);
  return { page, readyMs: at };
}

/**
 * The editor keeps its LGraphCanvas to itself. It is found through the canvas element's `wheel`
 * listener, which litegraph binds to the LGraphCanvas (`processMouseWheel.bind(this)`): the
 * DevTools protocol shows a bound function's `this`. The page's code is not changed.
 */
async function exposeAppCanvas(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression: "document.getElementById('canvas')", objectGroup: 'wan-bench' });
    if (!result.objectId) throw new Error('the editor has no #canvas');
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    for (const listener of listeners) {
      // `handler` is the bound function's target; `originalHandler` the bound function itself
      const bound = listener.originalHandler?.objectId;
      if (listener.type !== 'wheel' || !bound) continue;
      const { internalProperties = [] } = await cdp.send('Runtime.getProperties', { objectId: bound, ownProperties: true });
      const self = internalProperties.find((p) => p.name === '[[BoundThis]]')?.value?.objectId;
      if (!self) continue;
      const { result: found } = await cdp.send('Runtime.callFunctionOn', {
        objectId: self,
        functionDeclaration: "function () { if (this && this.ds && typeof this.draw === 'function' && this.graph) { window.__wanBenchCanvas = this; return true; } return false; }",
        returnByValue: true,
      });
      if (found.value === true) return;
    }
    throw new Error("the editor's LGraphCanvas was not found through the canvas element's wheel listener");
  } finally {
    await cdp.detach();
  }
}

/** JS heap in use after a full garbage collection, in bytes. */
async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  } finally {
    await cdp.detach();
  }
}

interface PanInfo {
  nodes: number;
  links: number;
  width: number;
  height: number;
  cssWidth: number;
  cssHeight: number;
}
/** What web/probe.js provides, as `window.__wanBench`. */
interface Probe {
  info(): PanInfo;
  setView(x: number, y: number, scale: number): void;
  drawPan(frames: number, dx: number, dy: number): { times: number[]; visibleNodes: number };
  rafPan(frames: number, dx: number, dy: number): Promise<number[]>;
}
const probe = <K extends keyof Probe>(page: Page, method: K, ...args: Parameters<Probe[K]>) =>
  page.evaluate(([m, a]) => (globalThis as unknown as PageGlobals).__wanBench[m]!(...a), [method, args] as const) as Promise<Awaited<ReturnType<Probe[K]>>>;
const bench = {
  info: (page: Page) => probe(page, 'info'),
  setView: (page: Page, x: number, y: number, scale: number) => probe(page, 'setView', x, y, scale),
  drawPan: (page: Page, frames: number) => probe(page, 'drawPan', frames, PAN.dx, PAN.dy),
  rafPan: (page: Page, frames: number) => probe(page, 'rafPan', frames, PAN.dx, PAN.dy),
};

// ---------------------------------------------------------------- 2. start to interactive

async function benchStart(browser: Browser) {
  const home = await mkdtemp(join(tmpdir(), 'wan-bench-editor-'));
  const server = await serve(home).catch(async (e: unknown) => {
    await rm(home, { recursive: true, force: true });
    throw e;
  });
  try {
    const samples: number[] = [];
    const domContentLoaded: number[] = [];
    /** When the settings and the job list are in too (data-loaded), after the canvas took input. */
    const loaded: number[] = [];
    let heapBytes = 0;
    // one warm-up load (the server's first static reads), then fresh contexts: empty cache, no cookie
    for (let run = 0; run <= START_RUNS; run++) {
      const context = await browser.newContext({ viewport: VIEWPORT });
      try {
        const { page, readyMs: at } = await openEditor(context, server.url);
        if (run === 0) continue;
        samples.push(at);
        await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.body.dataset.loaded === 'true');
        loaded.push(await page.evaluate(() => (globalThis as unknown as PageGlobals).__wanLoadedAt ?? NaN));
        domContentLoaded.push(await page.evaluate(() => (globalThis as unknown as PageGlobals).performance.getEntriesByType('navigation')[0]!.domContentLoadedEventEnd));
        if (run === START_RUNS) heapBytes = await heapAfterGc(page);
      } finally {
        await context.close();
      }
    }
    return {
      runs: START_RUNS,
      samplesMs: samples.map((ms) => round(ms, 1)),
      medianMs: round(median(samples), 1),
      p95Ms: round(percentile(samples, 0.95), 1),
      domContentLoadedMedianMs: round(median(domContentLoaded), 1),
      loadedMedianMs: round(median(loaded), 1),
      serverStartMs: Math.round(server.startMs),
      emptyHeapBytes: heapBytes,
      targetMs: 1500,
      met: median(samples) <= 1500,
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- 3. bare litegraph, the same graph

interface BareWidget {
  type: 'number' | 'combo' | 'toggle' | 'text';
  name: string;
  label: string;
  value: string | number | boolean;
  options: Record<string, unknown>;
}
interface BareSpec {
  nodes: {
    id: number;
    type: string;
    title: string;
    pos: [number, number];
    size: [number, number];
    inputs: { name: string; label: string; type: string }[];
    outputs: { name: string; label: string; type: string }[];
    widgets: BareWidget[];
  }[];
  links: { from: number; fromPort: string; to: number; toPort: string }[];
}

/** litegraph's own widget for a parameter, holding its value (or what the editor shows when unset). */
function bareWidget(name: string, spec: ParamSpec, set: unknown): BareWidget {
  const value = set ?? spec.default;
  const common = { name, label: spec.label };
  switch (spec.kind) {
    case 'int':
    case 'float':
    case 'seed':
      return { ...common, type: 'number', value: Number(value ?? 0), options: spec.kind === 'seed' ? { precision: 0 } : { ...(spec.min !== undefined && { min: spec.min }), ...(spec.max !== undefined && { max: spec.max }), precision: spec.kind === 'int' ? 0 : 2 } };
    case 'enum':
      return { ...common, type: 'combo', value: (value as string | number | undefined) ?? spec.values[0]!, options: { values: [...spec.values] } };
    case 'bool':
      return { ...common, type: 'toggle', value: value === true, options: {} };
    case 'string':
      if (spec.suggestions?.length) return { ...common, type: 'combo', value: String(value ?? ''), options: { values: spec.suggestions.map((s) => s.value) } };
      return { ...common, type: 'text', value: String(value ?? ''), options: {} };
  }
}

function bareSpec(doc: GraphDocument, reg: Registry): BareSpec {
  return {
    nodes: doc.nodes.map((node) => {
      const def = reg.get(node.type)!;
      const layout = doc.layout.nodes[node.id];
      return {
        id: node.id,
        type: node.type,
        title: node.title,
        pos: [layout?.pos[0] ?? 0, layout?.pos[1] ?? 0],
        size: [layout?.size?.[0] ?? 300, layout?.size?.[1] ?? 120],
        inputs: Object.entries(def.inputs).map(([name, p]) => ({ name, type: p.type, label: p.optional ? p.label : `${p.label} *` })),
        outputs: Object.entries(def.outputs).map(([name, p]) => ({ name, type: p.type, label: p.label })),
        widgets: Object.entries(def.params).map(([name, spec]) => bareWidget(name, spec, Object.hasOwn(node.params, name) ? node.params[name] : undefined)),
      };
    }),
    links: doc.links.map((l) => ({ from: l.from.node, fromPort: l.from.port, to: l.to.node, toPort: l.to.port })),
  };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** Builds bare.html with vite into a temporary folder and serves it on loopback. */
async function serveBare(): Promise<{ url: string; stop(): Promise<void> }> {
  const outDir = await mkdtemp(join(tmpdir(), 'wan-bench-bare-'));
  await build({
    configFile: false,
    root: WEB,
    base: './',
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false, rolldownOptions: { input: join(WEB, 'bare.html') } },
  });
  const server: Server = createServer((req, res) => {
    const path = join(outDir, decodeURIComponent((req.url ?? '/').split('?')[0]!).replace(/^\/+/, '') || 'bare.html');
    if (!path.startsWith(outDir)) return void res.writeHead(403).end();
    stat(path).then(
      (s) => {
        if (!s.isFile()) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
        createReadStream(path).pipe(res);
      },
      () => void res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bare.html`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- 3 and 4. pan and heap, 500 nodes

interface PanSamples {
  draw: number[];
  /** Median draw time of each round: the rounds of the two pages alternate, so their ratios pair up. */
  roundMedians: number[];
  frames: number[];
  visibleNodes: number;
}

async function panAt(page: Page, scale: number, into: PanSamples): Promise<void> {
  // every pan starts with the Output node 40 px from the canvas's top left corner
  const at = 40 / scale;
  await page.bringToFront();
  await bench.setView(page, at, at, scale);
  await bench.drawPan(page, PAN.warmup);
  await bench.setView(page, at, at, scale);
  const { times, visibleNodes } = await bench.drawPan(page, PAN.frames);
  into.draw.push(...times);
  into.roundMedians.push(median(times));
  into.visibleNodes = round(visibleNodes, 1);
  await bench.setView(page, at, at, scale);
  into.frames.push(...(await bench.rafPan(page, PAN.frames)));
}

const summary = (s: PanSamples) => ({
  drawMedianMs: round(median(s.draw)),
  drawP95Ms: round(percentile(s.draw, 0.95)),
  frameMedianMs: round(median(s.frames)),
  frameP95Ms: round(percentile(s.frames, 0.95)),
  visibleNodes: s.visibleNodes,
});

async function benchGraph(browser: Browser) {
  const doc = generateGraph(optionsForNodeCount(NODES));
  if (doc.nodes.length !== NODES) throw new Error(`generated ${doc.nodes.length} nodes, not ${NODES}`);
  const home = await homeWithGraph(doc);
  const server = await serve(home).catch(async (e: unknown) => {
    await rm(home, { recursive: true, force: true });
    throw e;
  });
  const bare = await serveBare().catch(async (e: unknown) => {
    await server.stop();
    throw e;
  });
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    // the editor, opening the graph from its autosave at start
    const { page: app, readyMs } = await openEditor(context, server.url, [{ path: join(WEB, 'probe.js') }]);
    await exposeAppCanvas(app);
    // the graph comes back from the autosave after `data-ready` (the editor takes input meanwhile): measure once it is there
    await app
      .waitForFunction((n) => ((globalThis as unknown as PageGlobals).__wanBench.info!() as PanInfo).nodes === n, NODES, { timeout: 60_000 })
      .catch(() => undefined); // a wrong count is reported just below
    const appInfo = await bench.info(app);
    if (appInfo.nodes !== NODES) throw new Error(`the editor shows ${appInfo.nodes} nodes, not ${NODES}`);
    const appHeap = await heapAfterGc(app);

    // bare litegraph, its canvas the size of the editor's
    const base = await context.newPage();
    await base.addInitScript({ path: join(WEB, 'probe.js') });
    await base.goto(bare.url);
    await base.waitForFunction(() => (globalThis as unknown as PageGlobals).document.body.dataset.ready === 'true');
    const loaded = await base.evaluate(([spec, w, h]) => (globalThis as unknown as PageGlobals).bareLitegraph.load(spec, w, h), [bareSpec(doc, registry), appInfo.width, appInfo.height] as const);
    if (loaded.nodes !== NODES || loaded.links !== doc.links.length) throw new Error(`bare litegraph has ${loaded.nodes} nodes and ${loaded.links} links, not ${NODES} and ${doc.links.length}`);
    const bareHeap = await heapAfterGc(base);

    // rounds alternate between the two pages, so that whatever else the machine does hits both
    const scales = SCALES.map((scale) => ({ scale, app: { draw: [], roundMedians: [], frames: [], visibleNodes: 0 } as PanSamples, bare: { draw: [], roundMedians: [], frames: [], visibleNodes: 0 } as PanSamples }));
    for (let r = 0; r < PAN.rounds; r++) {
      for (const s of scales) {
        await panAt(app, s.scale, s.app);
        await panAt(base, s.scale, s.bare);
      }
    }
    const pan = scales.map((s) => {
      const ours = summary(s.app);
      const theirs = summary(s.bare);
      const ratio = ours.drawMedianMs / theirs.drawMedianMs;
      const roundRatios = s.app.roundMedians.map((ms, i) => round(ms / s.bare.roundMedians[i]!));
      return { scale: s.scale, ...ours, bare: theirs, ratio: round(ratio), ratioP95: round(ours.drawP95Ms / theirs.drawP95Ms), roundRatios, targetRatio: 1.3, met: ratio <= 1.3 };
    });
    return {
      pan: {
        nodes: NODES,
        links: doc.links.length,
        canvas: [appInfo.width, appInfo.height],
        frames: PAN.frames,
        rounds: PAN.rounds,
        warmupFrames: PAN.warmup,
        pixelsPerFrame: [PAN.dx, PAN.dy],
        scales: pan,
        readyWithGraphMs: round(readyMs, 1),
        met: pan.every((p) => p.met),
      },
      heap: { nodes: NODES, usedBytes: appHeap, bareUsedBytes: bareHeap },
    };
  } finally {
    await context.close();
    await bare.stop();
    await server.stop();
  }
}

// ---------------------------------------------------------------- all of it

/** Every figure, keyed as in bench-results/bench.json; `extra` (the environment) is added to each entry. */
export async function benchEditor<E extends object>(extra: E) {
  const bundle = await benchBundle();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const browserInfo = { browser: `Chromium ${browser.version()}`, ...extra };
    const start = await benchStart(browser);
    const { pan, heap } = await benchGraph(browser);
    return {
      editorBundle: { ...bundle, ...extra },
      editorStart: { ...start, ...browserInfo },
      editorPan500: { ...pan, ...browserInfo },
      editorHeap500: { ...heap, emptyUsedBytes: start.emptyHeapBytes, ...browserInfo },
    };
  } finally {
    await browser.close();
  }
}

/** The benchmark table's rows for the editor's figures. */
export function editorRows(r: Awaited<ReturnType<typeof benchEditor<object>>>): string[][] {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const { editorBundle: b, editorStart: s, editorPan500: p, editorHeap500: h } = r;
  return [
    [`editor bundle: ${b.files} JS file${b.files === 1 ? '' : 's'} in out/renderer/assets`, kb(b.bytes), '—', `≤ 1.5 MB minified (gzip ${kb(b.gzipBytes)})`, b.met ? 'met' : 'MISSED'],
    [`editor start → interactive canvas (${s.runs} fresh pages)`, ms(s.medianMs), ms(s.p95Ms), `≤ 1500 ms (DOMContentLoaded ${s.domContentLoadedMedianMs.toFixed(0)} ms; settings and jobs in at ${s.loadedMedianMs.toFixed(0)} ms; with the ${p.nodes}-node graph ${p.readyWithGraphMs.toFixed(0)} ms)`, s.met ? 'met' : 'MISSED'],
    ...p.scales.flatMap((x) => [
      [`editor pan: ${p.nodes} nodes at zoom ${x.scale}, draw (${p.rounds}×${p.frames} frames, ~${x.visibleNodes.toFixed(0)} nodes on screen)`, ms(x.drawMedianMs), ms(x.drawP95Ms), `≤ 1.3 × bare litegraph (median ${ms(x.bare.drawMedianMs)}, p95 ${ms(x.bare.drawP95Ms)})`, `${x.ratio}× ${x.met ? 'met' : 'MISSED'}`],
      [`editor pan: ${p.nodes} nodes at zoom ${x.scale}, frame interval (rAF)`, ms(x.frameMedianMs), ms(x.frameP95Ms), `— (bare litegraph: median ${ms(x.bare.frameMedianMs)}, p95 ${ms(x.bare.frameP95Ms)})`, '—'],
    ]),
    [`editor heap: ${h.nodes} nodes loaded, after GC`, mb(h.usedBytes), '—', `— (empty editor ${mb(h.emptyUsedBytes)}; bare litegraph ${mb(h.bareUsedBytes)})`, '—'],
  ];
}

// `npx tsx test/bench/editor-bench.ts`: the editor's figures alone, printed as JSON (nothing written).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchEditor({});
  for (const row of editorRows(result)) console.log(row.join('  |  '));
  console.log(JSON.stringify(result, null, 2));
}
