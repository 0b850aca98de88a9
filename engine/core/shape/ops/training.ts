/**
 * Optimizers of the ai.onnx.preview.training domain. Inputs are R, T, then groups of n tensors
 * (X, G, then the optimizer's state); each output group has the shapes of one input group.
 */
import type { ShapeRule } from '../context.js';
import { tensorOf } from '../types.js';

/**
 * `groups` input groups after R and T; `outputGroups` names, for each output group, the input
 * group it takes its types from.
 */
function optimizer(groups: number, outputGroups: readonly number[]): ShapeRule {
  return (ctx) => {
    const n = (ctx.inputCount - 2) / groups;
    if (!Number.isInteger(n) || n < 1) return ctx.fail(`${ctx.node.opType} needs R, T and ${groups} groups of equal size; it has ${ctx.inputCount} inputs`);
    return outputGroups.flatMap((g) =>
      Array.from({ length: n }, (_, k) => {
        const t = ctx.tensor(2 + g * n + k);
        return t === undefined ? undefined : tensorOf(t.dtype, t.shape);
      }),
    );
  };
}

export const rules: Record<string, ShapeRule> = {
  // X, G, H → X_new, H_new
  'ai.onnx.preview.training:Adagrad': optimizer(3, [0, 2]),
  // X, G, V → X_new, V_new
  'ai.onnx.preview.training:Momentum': optimizer(3, [0, 2]),
  // X, G, V, H → X_new, V_new, H_new
  'ai.onnx.preview.training:Adam': optimizer(4, [0, 2, 3]),
};
