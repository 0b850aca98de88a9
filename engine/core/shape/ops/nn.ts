/** Sampling grids (GridSample, AffineGrid) and the transformer ops (Attention, RotaryEmbedding). */
import type { NodeContext, ShapeRule } from '../context.js';
import { addDims, floorDivDims, mulDims } from '../dims.js';
import { tensorOf, type Dim } from '../types.js';
import { likeInput } from './normalization.js';

/** GridSample: (N, C) of X, then the grid's spatial dims (all but its last, the coordinates). */
const gridSample: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const grid = ctx.shape(1);
  if (x !== undefined && grid !== undefined && x.length !== grid.length) return ctx.fail(`X has rank ${x.length}; grid has rank ${grid.length}`);
  const rank = x?.length ?? grid?.length;
  if (rank === undefined) return [tensorOf(ctx.dtype(0))];
  const shape = Array.from({ length: rank }, (_, i): Dim => (i === 0 ? (x?.[0] ?? grid?.[0] ?? null) : i === 1 ? (x?.[1] ?? null) : (grid?.[i - 1] ?? null)));
  return [tensorOf(ctx.dtype(0), shape)];
};

/** AffineGrid: size (N, C, H, W) gives (N, H, W, 2); (N, C, D, H, W) gives (N, D, H, W, 3). */
const affineGrid: ShapeRule = (ctx) => {
  const dtype = ctx.dtype(0);
  const size = ctx.values(1);
  const count = size?.length ?? ctx.shape(1)?.[0];
  if (typeof count !== 'number') return [tensorOf(dtype)];
  if (count !== 4 && count !== 5) return ctx.fail(`size has ${count} values; 4 (2-D) or 5 (3-D) expected`);
  const batch = size?.[0] ?? ctx.shape(0)?.[0] ?? null;
  const spatial = size?.slice(2) ?? new Array<Dim>(count - 2).fill(null);
  return [tensorOf(dtype, [batch, ...spatial, count - 2])];
};

/** Q, K and V as (batch, heads, sequence, head size): 4-D as given, 3-D split by the head count attribute. */
interface Heads {
  readonly batch: Dim;
  readonly heads: Dim;
  readonly sequence: Dim;
  readonly headSize: Dim;
}

function headsOf(ctx: NodeContext, input: number, headsAttribute: string): Heads | undefined {
  const s = ctx.shape(input);
  if (s === undefined) return undefined;
  if (s.length === 4) return { batch: s[0]!, heads: s[1]!, sequence: s[2]!, headSize: s[3]! };
  if (s.length !== 3) return ctx.fail(`input ${input} has rank ${s.length}; 3 or 4 expected`);
  const heads = ctx.int(headsAttribute) ?? ctx.fail(`${headsAttribute} is required for 3-D inputs`);
  if (heads <= 0) return ctx.fail(`${headsAttribute} must be positive, got ${heads}`);
  const hidden = s[2]!;
  if (typeof hidden === 'number' && hidden % heads !== 0) return ctx.fail(`hidden size ${hidden} of input ${input} is not a multiple of ${headsAttribute} ${heads}`);
  return { batch: s[0]!, heads, sequence: s[1]!, headSize: floorDivDims(hidden, heads) };
}

/**
 * Attention (opset 23+): Y is (B, q_heads, q_seq, v_head) for 4-D Q, (B, q_seq, q_heads·v_head)
 * for 3-D Q; present_key/value append K/V's sequence to the past's; qk_matmul_output is
 * (B, q_heads, q_seq, total_seq).
 */
const attention: ShapeRule = (ctx) => {
  const q = headsOf(ctx, 0, 'q_num_heads');
  const k = headsOf(ctx, 1, 'kv_num_heads');
  const v = headsOf(ctx, 2, 'kv_num_heads');
  const qRank = ctx.shape(0)?.length;
  const y =
    q === undefined
      ? undefined
      : qRank === 4
        ? [q.batch, q.heads, q.sequence, v?.headSize ?? null]
        : [q.batch, q.sequence, mulDims(q.heads, v?.headSize ?? null)];
  const past = (i: number): Dim => (ctx.has(i) ? (ctx.shape(i)?.[2] ?? null) : 0);
  const total = addDims(past(4), k?.sequence ?? v?.sequence ?? null);
  const present = (kv: Heads | undefined, pastIndex: number): Dim[] | undefined =>
    kv === undefined ? undefined : [kv.batch, kv.heads, addDims(past(pastIndex), kv.sequence), kv.headSize];
  return [
    tensorOf(ctx.dtype(0), y),
    tensorOf(ctx.dtype(1), present(k, 4)),
    tensorOf(ctx.dtype(2), present(v, 5)),
    tensorOf(ctx.dtype(0), q === undefined ? undefined : [q.batch, q.heads, q.sequence, total]),
  ];
};

export const rules: Record<string, ShapeRule> = {
  GridSample: gridSample,
  AffineGrid: affineGrid,
  Attention: attention,
  RotaryEmbedding: likeInput,
  'com.microsoft:RotaryEmbedding': likeInput,
  'com.microsoft:GridSample': gridSample,
};
