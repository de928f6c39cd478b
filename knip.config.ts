import type { KnipConfig } from 'knip';

// Dead code found by a tool: `npm run lint` runs knip after ESLint, and it must find nothing.
// Test files count as users, so an export only a test uses stays only where the test proves a rule.

const config: KnipConfig = {
  entry: [
    // built by electron-vite (electron.vite.config.ts)
    'app/main/index.ts',
    'app/preload/index.ts',
    // loaded by the benchmark's pages and by .ci/run
    'test/bench/web/*.{mjs,js}',
    'test/summary.mjs',
  ],
  project: ['app/**', 'nodes/**', 'test/**', '*.config.ts'],
  // system programs the tests run
  ignoreBinaries: ['ffmpeg', 'ffprobe', 'mkfifo', 'mount', 'umount', 'script'],
  ignoreDependencies: [
    // found at run time by require.resolve through createRequire (app/sandbox/render-video.ts)
    'dejavu-fonts-ttf',
    // electron-builder's own parts, whose schema and file rules test/built/packaging.test.ts checks against
    'app-builder-lib',
    'builder-util',
  ],
};

export default config;
