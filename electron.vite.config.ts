import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import renderer from './app/renderer/vite.config';

// The desktop app's build (`electron-vite build`): main (ESM, its dependencies loaded from
// node_modules at run time), preload (one CommonJS file with everything in it, as a sandboxed
// window requires) and the renderer (the same build browser mode serves, made the same way).
const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: { input: { index: resolve(root, 'app/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'app/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...renderer,
    root: resolve(root, 'app/renderer'),
    build: { ...renderer.build, minify: true, outDir: resolve(root, 'out/renderer'), rolldownOptions: { ...renderer.build?.rolldownOptions, input: resolve(root, 'app/renderer/index.html') } },
  },
});
