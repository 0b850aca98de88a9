/**
 * Repeated structures in a flat run of items (nodes or blocks, in execution order): the layers
 * of a network whose node names carry no scopes (`p2o.Conv.12`). A layer ends where the data
 * flowing on narrows to its minimum (the residual stream, say): those boundaries cut the run into
 * segments, and consecutive stretches of segments with the same op types are one structure
 * repeated.
 */

/** A tensor as the finder needs it: the position of the item writing it and those reading it. */
export interface ItemFlow {
  readonly from: number;
  readonly to: number;
  readonly tensor: string;
}

/** `count` consecutive repetitions of `period` segments, starting at segment `start`. */
export interface Repeat {
  readonly start: number;
  readonly period: number;
  readonly count: number;
}

/** Longest repeating unit looked for, in segments: a transformer layer is two (attention, MLP). */
const MAX_PERIOD = 16;

/**
 * Positions after which a cut is made (0-based: a cut after item `b`), where the number of
 * tensors crossing the boundary is the run's minimum. A tensor crosses from its writer to its
 * last reader; tensors from outside the run cross nothing.
 */
export function segmentBoundaries(itemCount: number, flows: readonly ItemFlow[]): number[] {
  if (itemCount < 2) return [];
  const lastReader = new Map<string, { from: number; to: number }>();
  for (const f of flows) {
    if (f.to <= f.from) continue;
    const span = lastReader.get(f.tensor);
    if (span === undefined || f.to > span.to) lastReader.set(f.tensor, { from: f.from, to: f.to });
  }
  // crossing[b]: tensors alive across the boundary after item b.
  const delta = new Int32Array(itemCount);
  for (const { from, to } of lastReader.values()) {
    delta[from]!++;
    delta[to]!--;
  }
  const crossing: number[] = [];
  let live = 0;
  for (let b = 0; b < itemCount - 1; b++) crossing.push((live += delta[b]!));
  const least = Math.min(...crossing);
  return crossing.flatMap((c, b) => (c === least ? [b] : []));
}

/** Splits positions 0…count−1 into segments ending at the boundaries. */
export function segmentsOf(itemCount: number, boundaries: readonly number[]): { start: number; end: number }[] {
  const segments: { start: number; end: number }[] = [];
  let start = 0;
  for (const b of [...boundaries, itemCount - 1]) {
    if (b < start) continue;
    segments.push({ start, end: b + 1 });
    start = b + 1;
  }
  return segments;
}

function repeatsAt(signatures: readonly string[], start: number, period: number): number {
  let count = 1;
  for (;;) {
    const next = start + count * period;
    if (next + period > signatures.length) return count;
    for (let k = 0; k < period; k++) if (signatures[next + k] !== signatures[start + k]) return count;
    count++;
  }
}

/**
 * Stretches of segments repeated at least twice, left to right, each the one covering most
 * segments from where it starts (the shorter period on a tie: `A A A A` is 4 × A, not 2 × AA).
 */
export function findRepeats(signatures: readonly string[]): Repeat[] {
  const found: Repeat[] = [];
  let i = 0;
  while (i < signatures.length) {
    let best: Repeat | undefined;
    for (let period = 1; period <= MAX_PERIOD && i + 2 * period <= signatures.length; period++) {
      const count = repeatsAt(signatures, i, period);
      if (count >= 2 && (best === undefined || count * period > best.count * best.period)) best = { start: i, period, count };
    }
    if (best === undefined) {
      i++;
      continue;
    }
    found.push(best);
    i += best.period * best.count;
  }
  return found;
}

/** `Conv → BatchNormalization → Relu`, at most `most` op types, then `…`. */
export function describeSignature(opTypes: readonly string[], most = 4): string {
  const shown = opTypes.slice(0, most).join(' → ');
  return opTypes.length > most ? `${shown} → …` : shown;
}
