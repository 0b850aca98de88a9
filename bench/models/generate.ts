/**
 * Writes the benchmark's generated models into the cache now (the analysis bench does it too
 * when they are missing) and prints where they are:
 *
 *   node bin/run-ts.mjs bench/models/generate.ts
 */
import { cacheDir, ensureModels } from './index.js';

const models = await ensureModels();
console.log(`cache: ${cacheDir()}`);
for (const m of models) console.log(`${m.id}: ${(m.fileBytes / 1e6).toFixed(1)} MB, ${m.nodes} nodes, generated in ${(m.generateMs / 1000).toFixed(1)} s — ${m.path}`);
