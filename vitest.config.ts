import { defineConfig } from 'vitest/config';

// Two lanes. `unit`: everything that needs no browser, ffmpeg, build or child process (in-process
// HTTP servers are fine) — `npm run test:unit`, for every change. `full`: the rest (test/cli,
// test/host, test/sandbox, test/e2e, test/built, …). `npm test` runs both.
const UNIT = ['test/core/**/*.test.ts', 'test/renderer/**/*.test.ts', 'test/runware/**/*.test.ts', 'test/web/**/*.test.ts', 'test/main/**/*.test.ts', 'test/lint-rules.test.ts', 'test/import-circles.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 30_000,
    pool: 'forks',
    projects: [
      // threads start faster than forks; these tests share no process state that isolation guards
      { extends: true, test: { name: 'unit', include: UNIT, pool: 'threads' } },
      { extends: true, test: { name: 'full', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', ...UNIT] } },
    ],
  },
});
