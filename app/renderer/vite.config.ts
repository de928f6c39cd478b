import { defineConfig } from 'vite';

// The editor's build: browser mode serves out/renderer; the desktop app loads the same files.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: '../../out/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1500,
  },
});
