/**
 * Analysis time and memory, next to ONNX's official shape inference in Python on the same files
 * (Debian's python3-onnx: onnx.load + onnx.shape_inference.infer_shapes, bench/reference/
 * onnx_infer.py), measured side by side in one run: for every corpus model and for generated
 * ones (a ~100 MB ResNet-50, a BERT-base encoder, a > 10,000-node > 300 MB transformer; see
 * bench/models/). Goal (issue 3): at least 5× faster than the reference on the CNN and the
 * transformer, and memory ≤ 1.5 × file size.
 *
 * Every run is a fresh process on each side, Whittle's and Python's alternating, so both start
 * cold (no JIT warm-up, no caches but the OS page cache) and peak RSS is the process's own.
 * The figure is the median of the runs. An idle process with the same imports gives each
 * side's baseline RSS, subtracted to get what the model itself cost.
 *
 *   node bin/run-ts.mjs bench/analysis.ts            run, print a table, write bench/results/analysis.json
 *   node bin/run-ts.mjs bench/analysis.ts --quick    one run per model (a smoke test), nothing written
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModel } from '../engine/core/onnx/index.js';
import { analyzeModel } from '../engine/core/analysis/index.js';
import { findDevice } from '../engine/core/hardware/index.js';
import { inferShapes, isFullyKnown } from '../engine/core/shape/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const RESULTS = join(ROOT, 'bench', 'results', 'analysis.json');
const REFERENCE = join(ROOT, 'bench', 'reference', 'onnx_infer.py');
/** Debian's interpreter, where python3-onnx installs (a pyenv or venv python3 on PATH would not see it). */
const PYTHON = process.env.WHITTLE_BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const SPEEDUP_GOAL = 5;
const MEMORY_GOAL = 1.5;

/** Predictions are made for a catalog device, so no run measures this machine first. */
const DEVICE = findDevice('rpi5')!;

// ---------------------------------------------------------------------------------------------
// Child process side: one run on one model (or none, for the baseline), printed as JSON.

interface WhittleRun {
  readMs: number;
  decodeMs: number;
  analysisMs: number;
  totalMs: number;
  /** process.resourceUsage().maxRSS, read right after the analysis (model and result alive). */
  maxRssBytes: number;
  nodes: number;
  /** Outputs of main-graph nodes, and how many of them have a fully known type (symbolic dims allowed). */
  nodeOutputs: number;
  knownOutputs: number;
  /** Nodes whose outputs are not fully known, and the op types where those unknowns start. */
  unknownNodes: number;
  unknownOrigins: Record<string, number>;
}

async function childRun(path: string | undefined, inputDims: Record<string, number[]>): Promise<void> {
  if (path === undefined) {
    process.stdout.write(`${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
    return;
  }
  const t0 = performance.now();
  const bytes = readFileSync(path);
  const t1 = performance.now();
  const model = decodeModel(bytes);
  const t2 = performance.now();
  analyzeModel(model, { device: DEVICE, inputDims });
  const t3 = performance.now();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;

  // Coverage figures, after the measurement (not timed, not in the peak).
  const shapes = inferShapes(model, { inputDims });
  const graph = model.graph!;
  const types = shapes.typesOf(graph);
  let nodeOutputs = 0;
  let knownOutputs = 0;
  for (const n of graph.node) {
    for (const o of n.output) {
      if (o === '') continue;
      nodeOutputs++;
      if (isFullyKnown(types.get(o))) knownOutputs++;
    }
  }
  const unknownOrigins: Record<string, number> = {};
  let unknownNodes = 0;
  for (const u of shapes.unknown.values()) {
    if (u.graphPath !== 'graph') continue;
    unknownNodes++;
    if (u.cause === undefined) unknownOrigins[u.node.opType] = (unknownOrigins[u.node.opType] ?? 0) + 1;
  }
  const run: WhittleRun = {
    readMs: t1 - t0,
    decodeMs: t2 - t1,
    analysisMs: t3 - t2,
    totalMs: t3 - t0,
    maxRssBytes,
    nodes: graph.node.length,
    nodeOutputs,
    knownOutputs,
    unknownNodes,
    unknownOrigins,
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Parent side.

interface PythonRun {
  onnx: string;
  loadMs: number;
  inferMs: number;
  totalMs: number;
  peakRssBytes: number;
  nodes: number;
  inferredValueInfo: number;
  knownValueInfo: number;
}

function lastJsonLine<T>(out: string): T {
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

function whittleChild(model?: ModelToMeasure): WhittleRun {
  const args = [join(ROOT, 'bin', 'run-ts.mjs'), SELF, '--child', ...(model === undefined ? [] : [model.path, JSON.stringify(model.inputDims)])];
  return lastJsonLine(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 }));
}

function pythonChild(path?: string): PythonRun {
  return lastJsonLine(execFileSync(PYTHON, [REFERENCE, ...(path === undefined ? ['--baseline'] : [path])], { encoding: 'utf8', maxBuffer: 1 << 24 }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Field-wise median of numeric fields; other fields from the first run. */
function medianOf<T extends object>(runs: T[]): T {
  const out = { ...runs[0]! } as Record<string, unknown>;
  for (const [k, v] of Object.entries(runs[0]!)) if (typeof v === 'number') out[k] = median(runs.map((r) => (r as Record<string, number>)[k]!));
  return out as T;
}

interface ModelToMeasure {
  readonly id: string;
  readonly label: string;
  readonly path: string;
  readonly role: 'corpus' | 'cnn' | 'transformer' | 'large' | 'optimize';
  /** Input dims pinned for the analysis, as a user would pin them. */
  readonly inputDims: Record<string, number[]>;
}

interface Row {
  model: string;
  label: string;
  role: ModelToMeasure['role'];
  fileBytes: number;
  nodes: number;
  runs: number;
  whittle: WhittleRun & { ownBytes: number; ownOverFile: number };
  python: PythonRun & { ownBytes: number; ownOverFile: number };
  /** Python total / Whittle total (load + infer against read + decode + analysis). */
  speedupTotal: number;
  /** Python infer_shapes / Whittle's analysis alone. */
  speedupAnalysis: number;
  /** Every run's total, to show the spread behind the medians. */
  whittleTotalsMs: number[];
  pythonTotalsMs: number[];
}

function checkPython(): { onnx: string; python: string; baselineBytes: number } | undefined {
  const r = spawnSync(PYTHON, [REFERENCE, '--baseline'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const version = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const b = lastJsonLine<{ onnx: string; peakRssBytes: number }>(r.stdout);
  return { onnx: b.onnx, python: version, baselineBytes: b.peakRssBytes };
}

function corpusModels(): ModelToMeasure[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'models.json'), 'utf8')) as { models: { id: string; path: string; sha256: string; source: string; run: Record<string, { shape: number[] }>[] }[] };
  const seen = new Set<string>();
  const out: ModelToMeasure[] = [];
  for (const m of manifest.models) {
    // The sample model is a byte-identical copy of a corpus model: measure the bytes once.
    if (seen.has(m.sha256)) continue;
    seen.add(m.sha256);
    out.push({ id: m.id, label: m.source, path: join(ROOT, m.path), role: 'corpus', inputDims: Object.fromEntries(Object.entries(m.run[0]!).map(([k, v]) => [k, v.shape])) });
  }
  return out;
}

const fmtMs = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0));
const fmtMiB = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

function printTable(rows: Row[]): void {
  const header = ['model', 'MB', 'nodes', 'W read', 'W decode', 'W analysis', 'W total', 'Py load', 'Py infer', 'Py total', 'total ×', 'analysis ×', 'W own MiB', 'W own/file', 'Py own MiB', 'W known', 'Py known'];
  const lines = rows.map((r) => [
    r.model,
    (r.fileBytes / 1e6).toFixed(1),
    String(r.nodes),
    fmtMs(r.whittle.readMs),
    fmtMs(r.whittle.decodeMs),
    fmtMs(r.whittle.analysisMs),
    fmtMs(r.whittle.totalMs),
    fmtMs(r.python.loadMs),
    fmtMs(r.python.inferMs),
    fmtMs(r.python.totalMs),
    r.speedupTotal.toFixed(1),
    r.speedupAnalysis.toFixed(1),
    fmtMiB(r.whittle.ownBytes),
    r.whittle.ownOverFile.toFixed(2),
    fmtMiB(r.python.ownBytes),
    `${r.whittle.knownOutputs}/${r.whittle.nodeOutputs}`,
    `${r.python.knownValueInfo}/${r.python.inferredValueInfo}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  for (const l of [header, ...lines]) console.log(l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const runs = quick ? 1 : 5;
  const python = checkPython();
  if (python === undefined) {
    console.error(`the reference needs Python with the onnx package: ${PYTHON} ${REFERENCE} --baseline failed.`);
    console.error('On Debian or Ubuntu: apt-get install python3-onnx (or set WHITTLE_BENCH_PYTHON to a python3 that has onnx).');
    process.exitCode = 1;
    return;
  }
  const { ensureModels } = await import('./models/index.js');
  const generated = await ensureModels();
  const models: ModelToMeasure[] = [...corpusModels(), ...generated.map((g) => ({ id: g.id, label: g.label, path: g.path, role: g.role, inputDims: g.verified.feeds }))];

  // Baselines: idle processes with the same imports (Whittle) and with `import onnx` (Python).
  const whittleBase = [0, 1, 2].map(() => whittleChild());
  const pythonBase = [0, 1, 2].map(() => pythonChild());
  const whittleBaselineBytes = median(whittleBase.map((b) => b.maxRssBytes));
  const pythonBaselineBytes = median(pythonBase.map((b) => b.peakRssBytes));
  console.log(`Whittle's analysis: analyzeModel for ${DEVICE.name}, input dims pinned; reference: ${python.python}, onnx ${python.onnx}; ${runs} run(s) per model`);
  console.log(`baseline RSS: Whittle (node + tsx + engine imports) ${fmtMiB(whittleBaselineBytes)} MiB, Python (import onnx) ${fmtMiB(pythonBaselineBytes)} MiB`);

  const rows: Row[] = [];
  for (const m of models) {
    const w: WhittleRun[] = [];
    const p: PythonRun[] = [];
    for (let i = 0; i < runs; i++) {
      w.push(whittleChild(m));
      p.push(pythonChild(m.path));
    }
    const fileBytes = statSync(m.path).size;
    const wm = medianOf(w);
    const pm = medianOf(p);
    const wOwn = wm.maxRssBytes - whittleBaselineBytes;
    const pOwn = pm.peakRssBytes - pythonBaselineBytes;
    rows.push({
      model: m.id,
      label: m.label,
      role: m.role,
      fileBytes,
      nodes: wm.nodes,
      runs,
      whittle: { ...wm, ownBytes: wOwn, ownOverFile: wOwn / fileBytes },
      python: { ...pm, ownBytes: pOwn, ownOverFile: pOwn / fileBytes },
      speedupTotal: pm.totalMs / wm.totalMs,
      speedupAnalysis: pm.inferMs / wm.analysisMs,
      whittleTotalsMs: w.map((r) => r.totalMs),
      pythonTotalsMs: p.map((r) => r.totalMs),
    });
    console.log(`  ${m.id}: Whittle ${fmtMs(wm.totalMs)} ms, Python ${fmtMs(pm.totalMs)} ms`);
  }

  console.log('');
  printTable(rows);
  console.log('W = Whittle, Py = onnx.load + onnx.shape_inference.infer_shapes; times in ms (median); own = peak RSS − idle baseline;');
  console.log('W known = main-graph node outputs with a fully known type; Py known = value_info entries with every dim known, of those inferred.');

  // Speed goal on the CNN and the transformer; memory goal on every generated model (on the
  // small corpus files a few MB of RSS noise would decide it).
  const goals = rows
    .filter((r) => r.role !== 'corpus')
    .map((r) => {
      const speedGoal = r.role === 'cnn' || r.role === 'transformer';
      return {
        model: r.model,
        speedupTotal: r.speedupTotal,
        speedupAnalysis: r.speedupAnalysis,
        speedOk: speedGoal ? r.speedupTotal >= SPEEDUP_GOAL : undefined,
        ownOverFile: r.whittle.ownOverFile,
        memoryOk: r.whittle.ownOverFile <= MEMORY_GOAL,
      };
    });
  for (const g of goals) {
    const speed = g.speedOk === undefined ? `${g.speedupTotal.toFixed(1)}× faster (no goal set)` : `${g.speedupTotal.toFixed(1)}× faster ≥ ${SPEEDUP_GOAL}×: ${g.speedOk ? 'met' : 'MISSED'}`;
    console.log(`goal (${g.model}): ${speed}; memory ${g.ownOverFile.toFixed(2)} × file ≤ ${MEMORY_GOAL}×: ${g.memoryOk ? 'met' : 'MISSED'}`);
  }

  const cpu = cpus();
  const result = {
    date: new Date().toISOString(),
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memoryBytes: totalmem(), platform: `${platform()} ${release()}` },
    node: process.version,
    reference: { python: python.python, onnx: python.onnx, call: 'onnx.load(path); onnx.shape_inference.infer_shapes(model) (defaults: no strict mode, no data propagation)' },
    whittleAnalysis: `analyzeModel (shapes, cost, memory, roofline for ${DEVICE.id}) with pinned input dims`,
    method:
      `median of ${runs} runs, each in a fresh process on each side (Whittle and Python alternating); Whittle = readFileSync + decodeModel + analyzeModel, ` +
      'Python = onnx.load + infer_shapes, both timed inside the process (start-up and imports excluded); own memory = peak RSS (getrusage maxrss) − the median peak RSS of an idle process with the same imports',
    baseline: { whittleRssBytes: whittleBaselineBytes, pythonRssBytes: pythonBaselineBytes },
    generated: generated.map(({ path: _path, ...g }) => g),
    rows,
    goals,
  };
  if (!quick) {
    mkdirSync(dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written ${RESULTS}`);
  }
  if (goals.some((g) => g.speedOk === false || !g.memoryOk)) process.exitCode = 1;
}

const childFlag = process.argv.indexOf('--child');
if (childFlag >= 0) await childRun(process.argv[childFlag + 1], JSON.parse(process.argv[childFlag + 2] ?? '{}') as Record<string, number[]>);
else await main();
