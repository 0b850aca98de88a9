import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The browser build that `whittle serve` serves; Electron's build is in electron.vite.config.ts.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  // The largest chunk is ECharts (≈ 560 kB), loaded only when a chart tab opens.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
});
