import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for both surfaces: out/main + out/preload for Electron, out/renderer for Electron
// (file://) and for serve mode (http://127.0.0.1), hence the relative base.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        // Worker threads are their own entries next to index.js: the code that starts them looks
        // for ./worker.js and ./live-worker.js beside itself in a build.
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          worker: resolve(import.meta.dirname, 'src/main/inference/worker.ts'),
          'live-worker': resolve(import.meta.dirname, 'src/main/live/live-worker.ts'),
        },
        // Chunks sit beside index.js (not in chunks/) so `new URL('./worker.js', import.meta.url)`
        // means the same folder from every chunk.
        output: { chunkFileNames: '[name]-[hash].js' },
        external: ['onnxruntime-node', 'better-sqlite3', 'naudiodon', '@julusian/midi'],
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
