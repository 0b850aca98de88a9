/**
 * What `whittle optimize` buys (issue 6): a RepVGG-A0 in its training form and a MobileNetV2 with
 * unfolded BatchNormalization, each optimized with the default passes, then the original and the
 * variant measured side by side in one run (alternating rounds, medians), at onnxruntime's
 * default optimization level `all` and with its graph optimizations `disabled`. onnxruntime folds
 * BatchNormalization into Conv itself at level `basic` and up, but never merges RepVGG branches;
 * `disabled` stands for runtimes that take the graph as it is.
 *
 *   node bin/run-ts.mjs bench/optimize.ts            measure, print, write bench/results/optimize.json
 *   node bin/run-ts.mjs bench/optimize.ts --quick    fewer runs (a smoke test), nothing written
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchmarkEnvironment } from '../engine/node/benchmark.js';
import { optimizeModelFile } from '../engine/node/optimize-model.js';
import type { OptimizationLevel } from '../engine/protocol/index.js';
import { ensureModel } from './models/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results', 'optimize.json');
const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 2 : 5;
const RUNS = QUICK ? 5 : 20;
const THREADS = 2;
const LEVELS: readonly OptimizationLevel[] = ['all', 'disabled'];
const MODELS = ['repvgg-a0', 'mobilenet-v2'] as const;
const DIMS = { input: [1, 3, 224, 224] };

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

async function main(): Promise<void> {
  const environment = await benchmarkEnvironment();
  const work = mkdtempSync(join(tmpdir(), 'whittle-bench-optimize-'));
  const rows = [];
  try {
    for (const id of MODELS) {
      const model = await ensureModel(id);
      for (const level of LEVELS) {
        // A fresh workspace each time: every row is its own variant, measured against its own original.
        const report = await optimizeModelFile(model.path, {
          apply: true,
          inputDims: DIMS,
          deviceId: 'rpi5',
          workspaceDir: join(work, `${id}-${level}`),
          bench: { runs: RUNS, warmupRuns: 2, intraOpThreads: THREADS, optimizationLevel: level },
          benchRounds: ROUNDS,
        });
        const latency = report.latency!;
        const merged = report.changes.filter((c) => c.pass === 'reparam-repvgg').length;
        const folded = report.changes.filter((c) => c.pass === 'fold-batchnorm').length;
        const row = {
          id,
          label: model.label,
          optimizationLevel: level,
          changes: report.changes.length,
          batchNormsFolded: folded,
          branchesMerged: merged,
          before: report.before,
          after: report.after,
          fidelity: report.fidelity,
          latency,
        };
        rows.push(row);
        console.log(
          `${id.padEnd(13)} ${level.padEnd(8)} ${folded} BN folded, ${merged} blocks merged · nodes ${report.before.nodes} → ${report.after.nodes} · traffic ${mib(report.before.trafficBytes)} → ${mib(report.after.trafficBytes)} MiB · ` +
            `latency ${latency.beforeMs.toFixed(2)} → ${latency.afterMs.toFixed(2)} ms (${latency.speedup.toFixed(2)}×) · outputs ${report.fidelity.checked ? report.fidelity.worstRelativeError.toExponential(1) : 'not checked'}`,
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!QUICK) {
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify({ date: new Date().toISOString(), environment, rounds: ROUNDS, runsPerRound: RUNS, threads: THREADS, rows }, null, 2)}\n`);
    console.log(`written to ${RESULTS}`);
  }
  const unfaithful = rows.filter((r) => !r.fidelity.checked || !r.fidelity.passed);
  if (unfaithful.length > 0) {
    console.log(`outputs differ beyond the tolerance: ${unfaithful.map((r) => `${r.id} (${r.optimizationLevel})`).join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
