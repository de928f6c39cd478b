import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../app/renderer/app';
import { closeBrowser, withEditor } from './harness';
import type { ModelOptions, ModelReport, runModel } from './model/in-page';

// The model-based test (model/in-page.ts) bundled and run inside the editor's page, so thousands
// of sequences take minutes, not hours. MODEL_RUNS (default 1000), MODEL_STEPS (30), MODEL_SEED
// and MODEL_PATH (from a failure's report) replay or widen it: `MODEL_RUNS=100000 npm run test:model`.

afterAll(closeBrowser);

const RUNS = Number(process.env.MODEL_RUNS ?? 1000);
const STEPS = Number(process.env.MODEL_STEPS ?? 30);
const SEED = Number(process.env.MODEL_SEED ?? Math.floor(Math.random() * 2 ** 31));

type PageWindow = { wanGraphApp: App; wanGraphModel: typeof runModel };

async function bundle(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'wan-model-'));
  try {
    await build({
      configFile: false,
      logLevel: 'error',
      build: { outDir: out, emptyOutDir: true, minify: false, target: 'es2022', lib: { entry: join(import.meta.dirname, 'model/in-page.ts'), formats: ['iife'], name: 'wanGraphModelBundle', fileName: () => 'model.js' } },
    });
    return await readFile(join(out, 'model.js'), 'utf8');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

describe('the canvas always shows the document', () => {
  it(`holds after every step of ${RUNS} random sequences of ${STEPS} operations (seed ${SEED})`, async () => {
    const code = await bundle();
    await withEditor('model', async (s) => {
      // what the sequences open: the examples as the host lists them, and the graph of a real result
      const setup = await s.page.evaluate(async () => {
        const app = (window as unknown as PageWindow).wanGraphApp;
        const listed = (await app.api['app.info']({})).examples;
        const examples = await Promise.all(listed.map(async (x) => ({ ...x, text: (await app.api['file.read']({ path: x.path })).text })));
        const lantern = examples.find((x) => x.name.includes('Lantern'))!;
        await app.documents.openText(lantern.text, undefined, lantern.name);
        await app.runs.run();
        let file: string | undefined;
        while (!file) {
          await new Promise((r) => setTimeout(r, 200));
          file = app.runs.list().find((j) => j.state === 'done')?.results.find((r) => r.file)?.file;
        }
        return { examples, restored: (await app.api['video.graph']({ path: file })).text };
      });
      await s.shot('prepared');
      await s.page.evaluate(code);
      const opts: ModelOptions = { seed: SEED, runs: RUNS, steps: STEPS, ...(process.env.MODEL_PATH && { path: process.env.MODEL_PATH }), ...setup };
      const started = performance.now();
      const report: ModelReport = await s.page.evaluate((o) => {
        const w = window as unknown as PageWindow;
        return w.wanGraphModel(w.wanGraphApp, o);
      }, opts);
      const seconds = (performance.now() - started) / 1000;
      await s.shot('last-sequence');
      console.log(`model-based test: ${report.runs} sequences, ${report.steps} steps in ${seconds.toFixed(1)} s (seed ${SEED}); ${report.withParamLinks} checks with parameters driven by links`);
      console.log(Object.entries(report.timings).sort((a, b) => b[1].ms - a[1].ms).map(([k, t]) => `  ${k}: ${t.count} × ${(t.ms / t.count).toFixed(2)} ms`).join('\n'));
      if (report.failure) console.error(`model-based test failed (seed ${SEED}):\n${report.failure}`);
      expect(report.failure, `seed ${SEED}`).toBeUndefined();
      if (!process.env.MODEL_PATH) expect(report.runs).toBe(RUNS); // a replay runs the one sequence
      if (RUNS >= 100) expect(report.withParamLinks, 'the sequences never linked a parameter').toBeGreaterThan(0);
    });
  }, Math.max(600_000, RUNS * 1_000));
});
