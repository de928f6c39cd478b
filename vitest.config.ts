import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two lanes. `unit`: everything that needs no browser, ffmpeg, build or child process (in-process
// HTTP servers are fine) — `npm run test:unit`, for every change. `full`: the rest (test/cli,
// test/host, test/sandbox, test/e2e, test/built, `*.full.test.ts` anywhere, …). `npm test` runs both.
const UNIT_FOLDERS = ['test/core', 'test/renderer', 'test/runware', 'test/web', 'test/main'];
const UNIT_FILES = ['test/lint-rules.test.ts', 'test/import-circles.test.ts'];

// The unit lane shares loaded modules between the files a worker runs (isolate: false): zod, the
// core, undici and the host are imported once per worker instead of once per file, which was most
// of the lane's time. A file that replaces a module for its whole run (vi.mock) or sets process.argv
// or process.env gets a fresh worker and module graph of its own (`unit-isolated`); the rest are
// `unit-shared`.
const needsIsolation = (text: string) => /\bvi\.(mock|doMock)\(|process\.(argv|env(\.\w+|\[[^\]]+\])?)\s*=(?!=)|delete process\.env|Object\.assign\(process\.env|process\.chdir\(/.test(text);
// A unit folder's tests that start ffmpeg or take seconds each are kept beside the others as *.full.test.ts.
const inUnitFolders = UNIT_FOLDERS.flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => `${dir}/${f}`));
const unitFiles = [...inUnitFolders, ...UNIT_FILES].filter((f) => f.endsWith('.test.ts') && !f.endsWith('.full.test.ts'));
const ISOLATED = unitFiles.filter((f) => needsIsolation(readFileSync(f, 'utf8')));
const SHARED = unitFiles.filter((f) => !ISOLATED.includes(f));
const UNIT_WORKERS = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 30_000,
    pool: 'forks',
    projects: [
      // threads start faster than forks; on two cores both work (vitest's default leaves one to itself).
      // Vitest starts projects in the order of their names: the isolated files, slow to start, go first.
      { extends: true, test: { name: 'unit-isolated', include: ISOLATED, pool: 'threads', maxWorkers: UNIT_WORKERS } },
      { extends: true, test: { name: 'unit-shared', include: SHARED, pool: 'threads', isolate: false, maxWorkers: UNIT_WORKERS, unstubGlobals: true, unstubEnvs: true } },
      // after the unit lane: projects run side by side only with the same number of workers
      { extends: true, test: { name: 'full', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', ...unitFiles], sequence: { groupOrder: 1 } } },
    ],
  },
});
