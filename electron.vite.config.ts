import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

const at = (path: string) => resolve(import.meta.dirname, path);

export default defineConfig({
  main: {
    // The engine host is built beside the main process, which starts it as a utility process.
    build: { rolldownOptions: { input: { index: at('electron/main/index.ts'), 'engine-host': at('engine/host/main.ts') } } },
  },
  preload: {
    // Sandboxed preloads must be CommonJS.
    build: { rolldownOptions: { input: { index: at('electron/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: at('renderer'),
    plugins: [react()],
    build: { rolldownOptions: { input: at('renderer/index.html') } },
  },
});
