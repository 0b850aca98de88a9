import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataType, decodeModel, type ModelProto } from '../../../engine/core/onnx/index.js';
import { foldBatchNormPass } from '../../../engine/core/optimize/fold-batchnorm.js';
import { foldPadPass } from '../../../engine/core/optimize/fold-pad.js';
import { foldScaleBiasPass } from '../../../engine/core/optimize/fold-scale-bias.js';
import { fuseMatMulAddPass } from '../../../engine/core/optimize/fuse-matmul-add.js';
import type { Pass } from '../../../engine/core/optimize/types.js';
import { valueInfo } from '../../support/build.js';
import { corpusPath, loadCorpus, makeFeeds, type CorpusModel } from '../../support/corpus.js';
import { outputDifferences } from '../../support/equivalence.js';
import { ops } from './fold-helpers.js';

// The folding passes on real models: what they find, and that onnxruntime still computes the same
// outputs (within 1e-4 of the largest) from the rewritten model. A Sigmoid output is a poor judge
// of that: on random inputs PP-OCR's detector gives probabilities near 2e-7 everywhere, where
// float32 rounding alone is 40% of the largest. So probabilities are held to 1e-4 absolute, and
// the logits before them are exposed and held to the relative bar.

const PASSES: readonly Pass[] = [foldPadPass, foldBatchNormPass, foldScaleBiasPass, fuseMatMulAddPass];
const corpus = new Map(loadCorpus().map((m) => [m.id, m]));

function count(model: ModelProto, op: string): number {
  return ops(model.graph).filter((o) => o === op).length;
}

/** The model with the input of each Sigmoid that makes a graph output as a graph output too. */
function withLogits(model: ModelProto): ModelProto {
  const g = model.graph!;
  const outputs = new Set(g.output.map((o) => o.name));
  const logits = g.node.filter((n) => n.opType === 'Sigmoid' && outputs.has(n.output[0]!)).map((n) => valueInfo(n.input[0]!, DataType.FLOAT));
  return { ...model, graph: { ...g, output: [...g.output, ...logits] } };
}

/** Runs the passes in rounds until none changes anything (as the pipeline does); counts each pass's changes. */
function foldAll(m: CorpusModel): { parent: ModelProto; model: ModelProto; folds: Record<string, number> } {
  const parent = withLogits(decodeModel(readFileSync(corpusPath(m))));
  const options = { inputDims: Object.fromEntries(Object.entries(m.run[0]!).map(([name, spec]) => [name, spec.shape])) };
  let model = parent;
  const folds: Record<string, number> = Object.fromEntries(PASSES.map((p) => [p.id, 0]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const pass of PASSES) {
      const result = pass.run(model, options);
      folds[pass.id]! += result.changes.length;
      changed ||= result.changes.length > 0;
      model = result.model;
    }
  }
  return { parent, model, folds };
}

/** The largest output error relative to the largest output (to 1 for probabilities), over every output. */
async function worstRelativeError(m: CorpusModel, parent: ModelProto, variant: ModelProto): Promise<number> {
  const diffs = await outputDifferences(parent, variant, makeFeeds(m.run[0]!, 1000));
  const probabilities = new Set(parent.graph!.node.filter((n) => n.opType === 'Sigmoid').map((n) => n.output[0]));
  return Math.max(...diffs.map((d) => d.maxAbsError / (probabilities.has(d.output) ? 1 : Math.max(d.maxAbs, Number.MIN_VALUE))));
}

describe('folding passes on the corpus', () => {
  it('fold all 35 BatchNormalizations of the PP-OCR text-direction classifier into its Convs', async () => {
    const m = corpus.get('ppocr-cls')!;
    const parent = decodeModel(readFileSync(corpusPath(m)));
    expect([count(parent, 'Conv'), count(parent, 'BatchNormalization')]).toEqual([53, 35]);
    const { model, changes } = foldBatchNormPass.run(parent, {});
    expect(changes).toHaveLength(35);
    expect(changes.every((c) => c.kind === 'folded' && c.nodes.length === 2)).toBe(true);
    expect([count(model, 'Conv'), count(model, 'BatchNormalization')]).toEqual([53, 0]);
    const error = await worstRelativeError(m, parent, model);
    console.info(`ppocr-cls fold-batchnorm: 35 folds, worst output error ${error.toExponential(2)} × max|out|`);
    expect(error).toBeLessThanOrEqual(1e-4);
  });

  // PP-OCRv4's learnable affine blocks are a scalar Mul and Add after a Conv; its detector's last
  // BatchNormalization folds once the bias Add between it and the ConvTranspose has; the
  // recognizer's MatMuls read 3-D inputs. BlazeFace has nothing to fold (its Conv → Add are residuals).
  it.each(loadCorpus().flatMap((m) => (m.optimize ? [[m.id, m.optimize.folds] as const] : [])))('%s: folds as listed and keeps its outputs', async (id, want) => {
    const m = corpus.get(id)!;
    const { parent, model, folds } = foldAll(m);
    expect(folds).toEqual(want);
    const error = await worstRelativeError(m, parent, model);
    console.info(`${id}: ${JSON.stringify(folds)}, nodes ${parent.graph!.node.length} → ${model.graph!.node.length}, worst output error ${error.toExponential(2)} × max|out|`);
    expect(error).toBeLessThanOrEqual(1e-4);
  });
});
