/**
 * Interpolation (Resize, Upsample, GridSample), evaluated directly: per output element, a
 * multiply and an add for each tap, 2 taps per interpolated axis for linear and 4 for cubic
 * (widened by the scale when antialiasing a downscale), none for nearest. Coordinate and weight
 * computations are shared across channels and not counted, except GridSample's per-point
 * unnormalizing of the grid.
 */
import type { CostContext, CostRule, Work } from '../context.js';
import { dimsText, product } from '../format.js';
import { UNIT } from '../weights.js';
import { elementWork, movementWork, perElement, type Term } from '../work.js';

const TAPS: Readonly<Record<string, number>> = { linear: 2, bilinear: 2, cubic: 4, bicubic: 4 };

/** Taps per output element over the given (input, output) axis sizes; 1 for nearest. */
function taps(ctx: CostContext, mode: string, axes: readonly (readonly [number, number])[]): number {
  if (mode === 'nearest') return 1;
  const base = TAPS[mode] ?? ctx.fail(`mode "${mode}" has no cost rule`);
  const antialias = ctx.int('antialias', 0) !== 0;
  return product(axes.map(([from, to]) => (antialias && to < from ? Math.ceil((base * from) / to) : base)));
}

function interpolated(ctx: CostContext, mode: string, axes: readonly (readonly [number, number])[], extra: Term[] = []): Work {
  const y = ctx.outShape(0);
  const n = taps(ctx, mode, axes);
  if (mode === 'nearest' && extra.length === 0) return movementWork('nearest neighbour copies', ctx.allInputBytes(), ctx.allOutputBytes());
  const perOutput = mode === 'nearest' ? 0 : n * (UNIT.mul + UNIT.add);
  return elementWork([perElement('|Y|', y, product(y), perOutput, `${mode}, ${n} taps over ${axes.length} axes`), ...extra]);
}

function resize(fallbackMode: string): CostRule {
  return (ctx) => {
    const x = ctx.shape(0);
    const y = ctx.outShape(0);
    const axes = x.map((size, i) => [size, y[i]!] as const).filter(([from, to]) => from !== to);
    return interpolated(ctx, ctx.string('mode', fallbackMode), axes);
  };
}

const gridSample: CostRule = (ctx) => {
  const grid = ctx.shape(1);
  const points = grid.slice(0, -1);
  const rank = grid[grid.length - 1] ?? 0;
  const axes = Array.from({ length: rank }, () => [1, 1] as const);
  const mode = ctx.string('mode', ctx.opset < 20 ? 'bilinear' : 'linear');
  return interpolated(ctx, mode, axes, [perElement('|grid|', grid, product(grid), UNIT.mul + UNIT.add, `unnormalize ${dimsText(points)} points`)]);
};

export const rules: Record<string, CostRule> = {
  Resize: resize('nearest'),
  Upsample: resize('nearest'),
  GridSample: gridSample,
  'com.microsoft:GridSample': gridSample,
};
