/** Losses: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (with its optional log_prob). */
import type { NodeContext, ShapeRule } from '../context.js';
import { tensorOf, type Dim, type TensorType } from '../types.js';
import { unifyDims } from './merge.js';

/**
 * The loss of input [N, C, d1…dk] against target [N, d1…dk]: that shape per element with
 * reduction 'none', a scalar with 'mean' (the default) or 'sum'.
 */
function loss(ctx: NodeContext, scores: TensorType | undefined): TensorType | undefined {
  if (scores === undefined) return undefined;
  const reduction = ctx.string('reduction', 'mean');
  if (reduction !== 'none') {
    if (reduction !== 'mean' && reduction !== 'sum') return ctx.fail(`unknown reduction "${reduction}"`);
    return tensorOf(scores.dtype, []);
  }
  const target = ctx.shape(1);
  const perElement = scores.shape?.filter((_, i) => i !== 1);
  if (perElement === undefined || target === undefined) return tensorOf(scores.dtype, perElement ?? target);
  if (scores.shape!.length < 2 || target.length !== perElement.length) {
    return ctx.fail(`target of rank ${target.length} does not fit scores of rank ${scores.shape!.length}`);
  }
  return tensorOf(scores.dtype, perElement.map((d, i): Dim => unifyDims(ctx, [d, target[i]!], `target dim ${i}`)));
}

const nllLoss: ShapeRule = (ctx) => [loss(ctx, ctx.tensor(0))];

const softmaxCrossEntropy: ShapeRule = (ctx) => {
  const scores = ctx.tensor(0);
  return [loss(ctx, scores), scores === undefined ? undefined : tensorOf(scores.dtype, scores.shape)];
};

export const rules: Record<string, ShapeRule> = {
  NegativeLogLikelihoodLoss: nllLoss,
  SoftmaxCrossEntropyLoss: softmaxCrossEntropy,
};
