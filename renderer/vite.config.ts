import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The browser build that `whittle serve` serves; Electron's build is in electron.vite.config.ts.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
});
