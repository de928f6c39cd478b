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
    rolldownOptions: {
      onwarn(warning, warn) {
        // litegraph's built-in number widget evals typed text; the editor never uses that widget
        // and the page's Content-Security-Policy forbids eval (docs/decisions/005-editor.md)
        if (warning.code === 'EVAL' && warning.id?.includes('@comfyorg/litegraph')) return;
        warn(warning);
      },
    },
  },
});
