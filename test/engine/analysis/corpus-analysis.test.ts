import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../engine/core/analysis/index.js';
import { cloneProto } from '../../../engine/core/graph/index.js';
import { findDevice } from '../../../engine/core/hardware/index.js';
import { decodeModel, encodeModel, type ModelProto } from '../../../engine/core/onnx/index.js';
import { valueInfo } from '../../support/build.js';
import { corpusPath, loadCorpus, makeFeeds } from '../../support/corpus.js';
import { runBytes } from '../../support/ort.js';

// Per-node MACs of the corpus, checked against numbers worked out here from what onnxruntime
// reports: every node output is fetched so the real dims of each Conv/MatMul/Gemm output and of
// its weights are known, and the textbook formulas are applied to them. This shares nothing with
// shape inference or the cost rules.

const corpus = loadCorpus();
const device = findDevice('rpi5')!;

/** Real dims of every main-graph value: initializers from the file, node outputs from onnxruntime. */
async function realDims(model: ModelProto, feeds: Parameters<typeof runBytes>[1], dtypeOf: (name: string) => number): Promise<Map<string, readonly number[]>> {
  const exposed = cloneProto(model);
  const graph = exposed.graph!;
  const present = new Set(graph.output.map((o) => o.name));
  for (const n of graph.node) for (const o of n.output) if (o !== '' && !present.has(o) && dtypeOf(o) !== 0) graph.output.push(valueInfo(o, dtypeOf(o)));
  const result = await runBytes(encodeModel(exposed), feeds);
  if ('error' in result) throw new Error(result.error);
  const dims = new Map<string, readonly number[]>(graph.initializer.map((t) => [t.name, t.dims]));
  for (const [name, t] of Object.entries(result.outputs)) dims.set(name, t.dims);
  return dims;
}

const count = (d: readonly number[]): number => d.reduce((a, b) => a * b, 1);

/** Textbook MACs from real dims, or undefined for ops this check does not cover. */
function textbookMacs(opType: string, input: readonly string[], output: readonly string[], dims: Map<string, readonly number[]>, transA: boolean): number | undefined {
  const y = dims.get(output[0]!)!;
  switch (opType) {
    case 'Conv': {
      const w = dims.get(input[1]!)!; // [C_out, C_in/group, k…]
      return count(y) * count(w.slice(1));
    }
    case 'ConvTranspose': {
      const x = dims.get(input[0]!)!;
      const w = dims.get(input[1]!)!; // [C_in, C_out/group, k…]
      return count(x) * count(w.slice(1));
    }
    case 'MatMul': {
      const a = dims.get(input[0]!)!;
      return count(y) * a[a.length - 1]!;
    }
    case 'Gemm': {
      const a = dims.get(input[0]!)!;
      return count(y) * (transA ? a[0]! : a[1]!);
    }
    default:
      return undefined;
  }
}

describe('analysis of the corpus against onnxruntime dims and textbook formulas', () => {
  it.each(corpus.map((m) => [m.id, m] as const))('%s: shapes known, every node counted, MACs as the textbook gives', async (_id, m) => {
    const model = decodeModel(readFileSync(corpusPath(m)));
    const specs = m.run[0]!;
    const analysis = analyzeModel(model, { device, inputDims: Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.shape])) });
    expect(analysis.nodes.length).toBe(model.graph!.node.length);
    expect(analysis.totals.unknownShapeNodes, analysis.nodes.filter((n) => n.unknownShape).map((n) => `${n.name}: ${n.unknownShape}`).join('\n')).toBe(m.analysis.unknownShapeNodes);
    expect(analysis.nodes.filter((n) => !n.counted).map((n) => `${n.name}: ${n.uncountedReason}`)).toHaveLength(m.analysis.uncountedNodes);
    expect(analysis.totals.macs).toBe(m.analysis.macs);

    const dtypes = new Map(analysis.nodes.flatMap((n) => n.outputs.map((o) => [o.name, o.dtype] as const)));
    const ids: Record<string, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10 };
    const dims = await realDims(model, makeFeeds(specs, 1000), (name) => ids[dtypes.get(name) ?? ''] ?? 0);
    let checked = 0;
    const wrong: string[] = [];
    for (const n of analysis.nodes) {
      const node = model.graph!.node.find((p) => (p.name || `${p.opType} #${model.graph!.node.indexOf(p)}`) === n.name)!;
      const transA = node.attribute.some((a) => a.name === 'transA' && a.i === 1n);
      const want = textbookMacs(node.opType, node.input, node.output, dims, transA);
      if (want === undefined) continue;
      checked++;
      if (n.macs !== want) wrong.push(`${n.name} (${n.opType}): ${n.macs} MACs, textbook ${want}`);
    }
    console.info(`${m.id}: ${checked} Conv/ConvTranspose/MatMul/Gemm nodes checked; ${analysis.totals.macs} MACs in total`);
    expect(wrong).toEqual([]);
    expect(analysis.totals.predictedMs).toBeGreaterThan(0);
  });
});
