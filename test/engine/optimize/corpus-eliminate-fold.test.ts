import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forEachGraph } from '../../../engine/core/graph/graph-view.js';
import { decodeModel, isExternal, type ModelProto } from '../../../engine/core/onnx/index.js';
import { optimize } from '../../../engine/core/optimize/pipeline.js';
import { corpusPath, loadCorpus, makeFeeds } from '../../support/corpus.js';
import { outputMismatches } from '../../support/equivalence.js';

// eliminate + fold-constants on the real models, at each run's input dims: onnxruntime must compute
// the same outputs (within 1e-4 of the largest) from the result, a second optimize must find
// nothing left, and each model shows what the passes found in it.

/** Nodes of every graph, If/Loop bodies included, by op type. */
function opCounts(model: ModelProto): Record<string, number> {
  const counts: Record<string, number> = { all: 0 };
  forEachGraph(model.graph!, (g) => {
    counts.all! += g.node.length;
    for (const n of g.node) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
  });
  return counts;
}

/** Whether every Reshape of the main graph reads its target shape from an initializer. */
function reshapeTargetsConstant(model: ModelProto): boolean {
  const g = model.graph!;
  const initializers = new Set(g.initializer.map((t) => t.name));
  return g.node.filter((n) => n.opType === 'Reshape').every((n) => initializers.has(n.input[1]!));
}

interface Expectation {
  /** Nodes in all graphs before and after. */
  readonly nodes: readonly [number, number];
  /** Op counts that change, before and after. */
  readonly ops: Readonly<Record<string, readonly [number, number]>>;
  readonly reshapeTargetsConstant?: boolean;
}

const EXPECTED: Readonly<Record<string, Expectation>> = {
  // The detector is all convolutions: no Shape arithmetic, and its 342 Constant nodes all feed
  // nodes that run on the image. Nothing to do.
  'ppocr-v4-det': { nodes: [672, 672], ops: {} },
  // Paddle computes the target of each of the recognizer's six Reshapes at run time: four from the
  // input's shape (Shape → Cast → Slice → Concat with Cast constants), two from Cast constants
  // alone. At 1x3x48x320 all six become constants, and the 16 Constant nodes only they read go.
  'ppocr-v4-rec': {
    nodes: [765, 712],
    ops: { Shape: [4, 0], Cast: [23, 0], Slice: [10, 6], Concat: [7, 1], Constant: [325, 309] },
    reshapeTargetsConstant: true,
  },
  // The classifier flattens before its MatMul with Reshape(x, Concat(Slice(Cast(Shape(x))), …)).
  'ppocr-cls': { nodes: [471, 464], ops: { Shape: [1, 0], Cast: [3, 0], Slice: [1, 0], Concat: [1, 0], Constant: [250, 249] }, reshapeTargetsConstant: true },
  'ppocr-cls-sample': { nodes: [471, 464], ops: { Shape: [1, 0], Cast: [3, 0], Slice: [1, 0], Concat: [1, 0], Constant: [250, 249] }, reshapeTargetsConstant: true },
  // Channel padding is Concat(x, ConstantOfShape(zeros)): only the one fill small enough (512
  // elements, within 1024 of its input's) is stored; the larger ones would only grow the file.
  // Initializers left over from the TensorFlow exporter's own folding are unread (3 here, 2 in
  // the back-camera model).
  'blazeface-front': { nodes: [104, 103], ops: { ConstantOfShape: [11, 10] } },
  'blazeface-back': { nodes: [149, 149], ops: {} },
  // In each of the two branches of the top If, one Shape → Gather → Unsqueeze → Concat chain
  // folds; the other Shape nodes decide If branches (kept: see fold-constants) or read values
  // whose shape is not known before running.
  'silero-vad-legacy': { nodes: [250, 238], ops: { Shape: [14, 12], Gather: [14, 10], Unsqueeze: [14, 10], Concat: [18, 16] } },
  // The STFT's window slicing and the LSTM weight reshuffles are constant; Casts to the type a
  // value already has go, and so do the Identity nodes the exporter put before graph outputs.
  'silero-vad-v5': {
    nodes: [689, 391],
    ops: { Constant: [341, 157], Identity: [34, 28], ConstantOfShape: [4, 2], Concat: [26, 4], Reshape: [4, 0], Slice: [60, 10], Transpose: [2, 0], Cast: [20, 6], Unsqueeze: [46, 32] },
  },
  'silero-vad-v6': {
    nodes: [689, 391],
    ops: { Constant: [341, 157], Identity: [34, 28], ConstantOfShape: [4, 2], Concat: [26, 4], Reshape: [4, 0], Slice: [60, 10], Transpose: [2, 0], Cast: [20, 6], Unsqueeze: [46, 32] },
  },
};

const corpus = loadCorpus();

describe('eliminate and fold-constants on the corpus', () => {
  it('has an expectation for every corpus model', () => {
    expect(corpus.map((m) => m.id).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(corpus.map((m) => [m.id, m] as const))('%s: outputs preserved, and what the passes found', async (id, m) => {
    const parent = decodeModel(readFileSync(corpusPath(m)));
    expect(parent.graph!.initializer.some(isExternal), 'the corpus has no external data').toBe(false);
    const want = EXPECTED[id]!;
    for (const [i, specs] of m.run.entries()) {
      const inputDims = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.shape]));
      const result = optimize(parent, { passes: ['eliminate', 'fold-constants'], inputDims });
      expect(optimize(result.model, { passes: ['eliminate', 'fold-constants'], inputDims }).changes, `${id} run ${i}: a second optimize`).toEqual([]);

      const before = opCounts(parent);
      const after = opCounts(result.model);
      const changed = Object.fromEntries(Object.keys({ ...before, ...after }).filter((op) => op !== 'all' && before[op] !== after[op]).map((op) => [op, [before[op] ?? 0, after[op] ?? 0]]));
      console.info(`${id} run ${i}: ${before.all} → ${after.all} nodes in ${result.rounds} rounds, ${result.changes.length} changes`);
      expect([before.all, after.all]).toEqual(want.nodes);
      expect(changed).toEqual(want.ops);
      if (want.reshapeTargetsConstant !== undefined) expect(reshapeTargetsConstant(result.model)).toBe(want.reshapeTargetsConstant);

      expect(await outputMismatches(parent, result.model, makeFeeds(specs, 2000 + i)), `${id} run ${i}`).toEqual([]);
    }
  });
});
