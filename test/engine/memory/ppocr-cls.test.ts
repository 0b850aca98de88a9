import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphView } from '../../../engine/core/graph/index.js';
import { analyzeMemory, type OptimizationLevel } from '../../../engine/core/memory/index.js';
import { decodeModel } from '../../../engine/core/onnx/index.js';
import { inferShapes } from '../../../engine/core/shape/index.js';
import { PROJECT_ROOT } from '../../support/corpus.js';
import { SESSION_OPTIONS } from '../../support/ort.js';

const PATH = resolve(PROJECT_ROOT, 'assets/samples/ppocr-cls.onnx');
const model = decodeModel(readFileSync(PATH));
const g = model.graph!;
const inferred = inferShapes(model, { inputDims: { x: [1, 3, 48, 192] } });
const { order } = new GraphView(g).topologicalOrder();
const opset = model.opsetImport.find((o) => o.domain === '')?.version;
const analyze = (optimizationLevel: OptimizationLevel) => analyzeMemory(g, order, (name) => inferred.typeOf(name, g), { optimizationLevel, opset });

const work = mkdtempSync(join(tmpdir(), 'whittle-memory-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Op types of the graph onnxruntime runs at this level, FusedConv keyed by its activation. */
async function optimizedOps(level: OptimizationLevel): Promise<Record<string, number>> {
  const out = join(work, `${level}.onnx`);
  const session = await ort.InferenceSession.create(PATH, { ...SESSION_OPTIONS, graphOptimizationLevel: level, optimizedModelFilePath: out });
  await session.release();
  const counts: Record<string, number> = {};
  for (const n of decodeModel(readFileSync(out)).graph!.node) {
    const activation = n.attribute.find((a) => a.name === 'activation')?.s;
    const key = activation ? `${n.opType}(${new TextDecoder().decode(activation)})` : n.opType;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function patterns(level: OptimizationLevel): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of analyze(level).fusions) counts[f.pattern] = (counts[f.pattern] ?? 0) + 1;
  return counts;
}

describe('memory of the PP-OCR text-direction classifier at 1×3×48×192', () => {
  const m = analyze('all');

  it('has a positive peak that the tensors alive at it add up to', () => {
    expect(m.peakActivationBytes).toBeGreaterThan(0);
    expect(m.peakIsLowerBound).toBe(false);
    expect(m.unknownSizeValues).toBe(0);
    expect(m.liveAtPeak.reduce((a, t) => a + t.bytes!, 0)).toBe(m.peakActivationBytes);
    expect(m.liveBytes[m.peakStep!.index]).toBe(m.peakActivationBytes);
    expect(Math.max(...m.liveBytes)).toBe(m.peakActivationBytes);
  });

  it('holds the corpus weight bytes: 133,665 float32 constants', () => {
    expect(m.weightBytes).toBe(534_660);
  });

  it('lists one Conv+BatchNormalization fusion for each of the 35 BatchNormalizations fed only by a Conv', () => {
    const view = new GraphView(g);
    const afterConv = g.node.filter((n) => n.opType === 'BatchNormalization' && view.producer.get(n.input[0]!)?.opType === 'Conv' && view.consumersOf(n.input[0]!).length === 1);
    expect(afterConv).toHaveLength(35);
    const folded = m.fusions.filter((f) => f.pattern === 'Conv+BatchNormalization').map((f) => f.nodes[1]);
    expect(folded.sort()).toEqual(afterConv.map((n) => n.name).sort());
  });

  it('predicts the fusions onnxruntime performs (its optimized graph is the truth)', async () => {
    const basic = await optimizedOps('basic');
    expect(patterns('basic')).toEqual({ 'Conv+BatchNormalization': 35, 'MatMul+Add': 1 });
    expect(basic.BatchNormalization).toBeUndefined();
    expect(basic.Gemm).toBe(1);
    const extended = await optimizedOps('extended');
    expect(patterns('extended')).toEqual({ 'Conv+BatchNormalization': 35, 'MatMul+Add': 1, 'Conv+Relu': 15, 'Conv+HardSigmoid': 9 });
    expect(extended['FusedConv(Relu)']).toBe(15);
    expect(extended['FusedConv(HardSigmoid)']).toBe(9);
    // Its input has symbolic H and W, so onnxruntime cannot check the residual Adds' shapes: nothing more at level all.
    expect(patterns('all')).toEqual(patterns('extended'));
  });

  it('saves traffic through those fusions and finds nothing to re-parameterize', () => {
    expect(m.fusedTrafficBytes).toBe(m.trafficBytes - m.fusions.reduce((a, f) => a + f.savedBytes, 0));
    expect(m.fusedTrafficBytes).toBeLessThan(m.trafficBytes);
    expect(m.reparameterizable).toEqual([]);
  });
});
