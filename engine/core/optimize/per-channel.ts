/**
 * The extent along axis 1 (the channels) of a constant of this shape broadcast into a value of
 * rank `rank`, when it varies along no other axis: 1 for a scalar or a single element, C for a
 * [1,C,1,1] or [C,1,1] on a 4-D value. Undefined when it has more dims than the value or spreads
 * along the batch or spatial axes (then it is not a per-channel affine map).
 */
export function channelExtent(shape: readonly number[], rank: number): number | undefined {
  if (shape.length > rank) return undefined;
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  if (!padded.every((d, i) => i === 1 || d === 1)) return undefined;
  return padded[1] ?? 1;
}
