/**
 * Normalizations and softmax: work per element plus work per normalized group (a row, an
 * instance, a channel). Per element, mean-and-variance norms charge the mean's add, the
 * variance's subtract, square and add, the normalizing subtract and multiply, and the affine
 * multiply and add; per group, the two divisions, ε, the square root and its reciprocal.
 */
import type { CostContext, CostRule, Work } from '../context.js';
import { fmt, product } from '../format.js';
import { ELEMENTWISE_WEIGHTS, SOFTMAX, UNIT } from '../weights.js';
import { elementWork, perElement, type Term } from '../work.js';

const { add, mul, cmp, div, sqrt, exp, log } = UNIT;

/** Per element: mean (1), variance (3), normalize (2). */
const STANDARDIZE = add + (add + mul + add) + (add + mul);
/** Per group: mean ÷ n, variance ÷ n, + ε, √, 1/σ. */
const MOMENTS = div + div + add + sqrt + div;
/** RMS norm per element: square, sum, × 1/rms. */
const RMS = mul + add + mul;
/** RMS norm per group: ÷ n, + ε, √, reciprocal. */
const RMS_GROUP = div + add + sqrt + div;

function axisOf(ctx: CostContext, rank: number, fallback: number): number {
  const axis = ctx.int('axis', fallback);
  return axis < 0 ? axis + rank : axis;
}

/** FLOPs = |X| × perElement + groups × perGroup. */
function normalized(ctx: CostContext, perElementFlops: number, what: string, groups: number, perGroup: number, groupWhat: string): Work {
  const x = ctx.shape(0);
  const terms: Term[] = [perElement('|X|', x, product(x), perElementFlops, what)];
  if (perGroup > 0) terms.push({ text: `${groupWhat} ${fmt(groups)} × ${perGroup}`, flops: groups * perGroup });
  return elementWork(terms);
}

/** Groups are the dims before `axis`: LayerNormalization and its relatives. */
function lastAxes(perElementFlops: (ctx: CostContext) => number, what: string, perGroup: number): CostRule {
  return (ctx) => {
    const x = ctx.shape(0);
    const groups = product(x.slice(0, axisOf(ctx, x.length, -1)));
    return normalized(ctx, perElementFlops(ctx), what, groups, perGroup, 'rows');
  };
}

const batchNormalization: CostRule = (ctx) => {
  const x = ctx.shape(0);
  // Scale γ/√(var + ε) and shift β − mean·scale are worked out per channel, then one multiply-add per element.
  return normalized(ctx, mul + add, 'x·scale + shift', x[1] ?? 1, add + sqrt + div + mul + mul + add, 'channels');
};

const instanceNormalization: CostRule = (ctx) => {
  const x = ctx.shape(0);
  return normalized(ctx, STANDARDIZE + mul + add, 'standardize, affine', (x[0] ?? 1) * (x[1] ?? 1), MOMENTS, 'instances N·C');
};

const groupNormalization: CostRule = (ctx) => {
  const x = ctx.shape(0);
  const groups = ctx.int('num_groups', 0);
  if (groups <= 0) return ctx.fail('num_groups is required');
  return normalized(ctx, STANDARDIZE + mul + add, 'standardize, affine', (x[0] ?? 1) * groups, MOMENTS, 'groups N·G');
};

const meanVarianceNormalization: CostRule = (ctx) => {
  const x = ctx.shape(0);
  const axes = (ctx.ints('axes') ?? [0, 2, 3]).map((a) => (a < 0 ? a + x.length : a));
  const groups = product(x.filter((_, i) => !axes.includes(i)));
  return normalized(ctx, STANDARDIZE, 'standardize', groups, MOMENTS, 'groups');
};

const lpNormalization: CostRule = (ctx) => {
  const x = ctx.shape(0);
  const p = ctx.int('p', 2);
  const groups = product(x) / (x[axisOf(ctx, x.length, -1)] ?? 1);
  // |x|^p summed (square for p = 2, abs for p = 1), then a division per element; √ per row for p = 2.
  return normalized(ctx, (p === 2 ? mul : cmp) + add + div, `L${p} sum, ÷ norm`, groups, p === 2 ? sqrt : 0, 'rows');
};

const lrn: CostRule = (ctx) => {
  const size = ctx.int('size', 0);
  if (size <= 0) return ctx.fail('size is required');
  // x², the window sum, α/n· and + bias, (·)^−β, × x.
  return normalized(ctx, mul + size * add + mul + add + ELEMENTWISE_WEIGHTS.Pow! + mul, `square, window of ${size}, pow`, 0, 0, '');
};

/** ONNX Runtime's Skip*Normalization: input + skip (+ the bias input), then a normalization over the last axis. */
function skipNormalization(bias: number, perElementFlops: (ctx: CostContext) => number, perGroup: number): CostRule {
  return lastAxes((ctx) => add + (ctx.has(bias) ? add : 0) + perElementFlops(ctx), 'skip add, normalize', perGroup);
}

const layerNormElement = (ctx: CostContext): number => STANDARDIZE + mul + (ctx.has(2) ? add : 0);
const rmsElement = (): number => RMS + mul;

/** Softmax family: per element, and per row for LogSoftmax's log. Before opset 13 the input is flattened at axis. */
function softmax(perElementFlops: number, perRow: number, what: string): CostRule {
  return (ctx) => {
    const x = ctx.shape(0);
    const legacy = ctx.opset < 13;
    const axis = axisOf(ctx, x.length, legacy ? 1 : -1);
    const rows = legacy ? product(x.slice(0, axis)) : product(x) / (x[axis] ?? 1);
    return normalized(ctx, perElementFlops, what, rows, perRow, 'rows');
  };
}

export const rules: Record<string, CostRule> = {
  BatchNormalization: batchNormalization,
  InstanceNormalization: instanceNormalization,
  LayerNormalization: lastAxes(layerNormElement, 'standardize, affine', MOMENTS),
  GroupNormalization: groupNormalization,
  RMSNormalization: lastAxes(rmsElement, 'RMS, scale', RMS_GROUP),
  SimplifiedLayerNormalization: lastAxes(rmsElement, 'RMS, scale', RMS_GROUP),
  MeanVarianceNormalization: meanVarianceNormalization,
  LpNormalization: lpNormalization,
  LRN: lrn,
  // (input, skip, gamma, beta, bias) and (input, skip, gamma, bias).
  'com.microsoft:SkipLayerNormalization': skipNormalization(4, (ctx) => STANDARDIZE + mul + (ctx.has(3) ? add : 0), MOMENTS),
  'com.microsoft:SkipSimplifiedLayerNormalization': skipNormalization(3, rmsElement, RMS_GROUP),
  Softmax: softmax(SOFTMAX, 0, 'max, x − max, exp, sum, ÷'),
  LogSoftmax: softmax(cmp + add + exp + add + add, log, 'max, x − max, exp, sum, − log sum'),
  Hardmax: softmax(cmp, 0, 'argmax'),
};
