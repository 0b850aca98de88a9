import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../engine/core/analysis/index.js';
import { findDevice } from '../../../engine/core/hardware/index.js';
import { decodeModel, type ModelProto } from '../../../engine/core/onnx/index.js';
import { joinProfile, mapKernels, parseTrace, type KernelMap, type ProfileJoin } from '../../../engine/core/profile/index.js';
import { corpusPath, loadCorpus, makeFeeds, type CorpusModel } from '../../support/corpus.js';
import { profileSession } from './profile-session.js';

// Real onnxruntime runs of corpus models: the trace is parsed, each kernel mapped back to the
// original graph through the optimized model onnxruntime wrote, and joined with the analysis.

const device = findDevice('rpi5')!;
const corpus = loadCorpus();
const WARMUP = 2;
const RUNS = 6;
/** Ops that do the work of a model: each must be computed by exactly one kernel, or folded. */
const COMPUTE_OPS = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm', 'BatchNormalization', 'LSTM', 'GRU']);
const ACTIVATIONS = new Set(['Relu', 'Clip', 'HardSigmoid', 'LeakyRelu', 'Sigmoid', 'Tanh']);

interface Profiled {
  readonly original: ModelProto;
  readonly map: KernelMap;
  readonly joined: ProfileJoin;
  readonly trace: ReturnType<typeof parseTrace>;
}

function model(id: string): CorpusModel {
  return corpus.find((m) => m.id === id)!;
}

async function profile(m: CorpusModel, level: 'basic' | 'extended' | 'all', threads = 1): Promise<Profiled> {
  const original = decodeModel(readFileSync(corpusPath(m)));
  const run = m.run[0]!;
  const { trace: json, optimized } = await profileSession(corpusPath(m), makeFeeds(run, 1), { level, threads, runs: WARMUP + RUNS });
  const trace = parseTrace(json, { skipRuns: WARMUP });
  const map = mapKernels(original, optimized);
  const inputDims = Object.fromEntries(Object.entries(run).map(([name, spec]) => [name, spec.shape]));
  const joined = joinProfile(analyzeModel(original, { inputDims, device }), trace, map);
  const p = joined.profile;
  console.log(`${m.id} ${level} ${threads} thread(s): run ${p.runMs.toFixed(3)} ms, kernels ${p.kernelMs.toFixed(3)} ms, coverage ${p.coverage.toFixed(3)}, unmapped ${p.unmappedMs.toFixed(3)} ms`);
  return { original, map, joined, trace };
}

function checkInvariants({ original, map, joined, trace }: Profiled): void {
  const runtime = new Set(map.nodes.map((n) => n.name));
  const nested = new Set(map.subgraphNodes);
  for (const t of trace.nodes) expect(t.parent === null ? runtime.has(t.name) : nested.has(t.name), `kernel ${t.name} in the executed graph`).toBe(true);

  const p = joined.profile;
  expect(trace.runs).toBe(RUNS);
  const mapped = p.kernels.filter((k) => k.covers.length > 0).reduce((a, k) => a + k.ms, 0);
  expect(mapped + p.unmappedMs).toBeCloseTo(p.kernelMs, 9);
  expect(p.kernels.reduce((a, k) => a + k.ms, 0)).toBeCloseTo(p.kernelMs, 9);
  expect(p.coverage).toBeGreaterThan(0);
  expect(p.coverage).toBeLessThanOrEqual(1);

  const coveredBy = new Map<string, string[]>();
  for (const n of map.nodes) for (const c of n.covers) coveredBy.set(c, [...(coveredBy.get(c) ?? []), n.name]);
  for (const list of coveredBy.values()) expect(list).toHaveLength(1);
  const folded = new Set(map.uncovered.filter((u) => u.reason === 'folded').map((u) => u.name));
  for (const u of map.uncovered) expect(coveredBy.has(u.name)).toBe(false);
  original.graph!.node.forEach((n, i) => {
    const label = n.name !== '' ? n.name : `${n.opType} #${i}`;
    if (COMPUTE_OPS.has(n.opType)) expect(coveredBy.has(label) || folded.has(label), `${label} covered or folded`).toBe(true);
  });

  // A fused kernel's time is split among its nodes without loss.
  for (const k of p.kernels) {
    const parts = joined.nodes.filter((n) => n.kernel === k.name);
    expect(parts).toHaveLength(k.covers.length);
    if (parts.length > 0) expect(Math.abs(parts.reduce((a, n) => a + n.ms, 0) - k.ms)).toBeLessThanOrEqual(1e-12 * Math.max(1, k.ms));
  }
  const opTypeMs = p.opTypes.reduce((a, o) => a + o.ms, 0);
  expect(opTypeMs).toBeCloseTo(mapped, 9);
}

function checkFusedConvs(map: KernelMap, original: ModelProto): void {
  const opOf = new Map(original.graph!.node.map((n, i) => [n.name !== '' ? n.name : `${n.opType} #${i}`, n.opType]));
  const fused = map.nodes.filter((n) => n.opType === 'FusedConv');
  for (const f of fused) {
    const ops = f.covers.map((c) => opOf.get(c));
    expect(ops.filter((o) => o === 'Conv'), f.name).toHaveLength(1);
    expect(ops.some((o) => o !== undefined && ACTIVATIONS.has(o)), `${f.name} covers ${ops.join(', ')}`).toBe(true);
  }
}

describe('per-node profiles of real onnxruntime runs', () => {
  for (const level of ['basic', 'extended', 'all'] as const) {
    it(`PP-OCR classifier at ${level}: every BatchNormalization is computed by a Conv kernel`, async () => {
      const p = await profile(model('ppocr-cls-sample'), level);
      checkInvariants(p);
      const bnLabels = p.original.graph!.node.filter((n) => n.opType === 'BatchNormalization').map((n) => n.name);
      expect(bnLabels).toHaveLength(35);
      const kernelOf = new Map(p.map.nodes.flatMap((n) => n.covers.map((c) => [c, n] as const)));
      for (const bn of bnLabels) expect(['Conv', 'FusedConv'], bn).toContain(kernelOf.get(bn)?.opType);
      if (level !== 'basic') {
        expect(p.map.nodes.some((n) => n.opType === 'FusedConv' || (n.domain === 'com.microsoft.nchwc' && n.opType === 'Conv'))).toBe(true);
        checkFusedConvs(p.map, p.original);
      }
      if (level === 'all') expect(p.map.nodes.filter((n) => n.opType.startsWith('Reorder')).every((n) => n.covers.length === 0)).toBe(true);
    });
  }

  for (const [id, level] of [
    ['ppocr-v4-det', 'all'],
    ['ppocr-v4-rec', 'extended'],
    ['ppocr-v4-rec', 'all'],
    ['blazeface-front', 'all'],
    ['silero-vad-v5', 'all'],
  ] as const) {
    it(`${id} at ${level}: kernels map to the executed graph and back to the original, nothing dropped`, async () => {
      const p = await profile(model(id), level);
      checkInvariants(p);
      checkFusedConvs(p.map, p.original);
      expect(p.map.uncovered.filter((u) => u.reason === 'not-mapped')).toEqual([]);
    });
  }

  it('Silero VAD: If branches run inside the If kernel, which covers the If node', async () => {
    const p = await profile(model('silero-vad-v5'), 'basic');
    checkInvariants(p);
    const nested = p.trace.nodes.filter((n) => n.parent !== null);
    expect(nested.length).toBeGreaterThan(10);
    const ifKernel = p.joined.profile.kernels.find((k) => k.opType === 'If')!;
    expect(ifKernel.covers).toContain('If_0');
    expect(nested.reduce((a, n) => a + (n.parent === 'If_0' ? n.ms : 0), 0)).toBeLessThanOrEqual(ifKernel.ms);
  });

  it('coverage with 2 threads', async () => {
    for (const id of ['ppocr-cls-sample', 'ppocr-v4-rec']) checkInvariants(await profile(model(id), 'all', 2));
  });
});
