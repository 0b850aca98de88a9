import type { Dim } from '../../../../engine/core/shape/types.js';

/** Three significant digits without an exponent: `0.0123`, `1.23`, `123`, `1234`; tiny values read `<0.001`. */
export function formatDecimal(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) < 0.001) return n < 0 ? '>-0.001' : '<0.001';
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);
}

/** Milliseconds as `0.123 ms`, `12.3 ms`, `1234 ms`. */
export function formatMs(ms: number): string {
  return `${formatDecimal(ms)} ms`;
}

/** A shape as `[1, 3, 224, 224]`, symbolic dims by name, unknown ones `?`; `[?]` when even the rank is unknown. */
export function shapeText(shape: readonly Dim[] | undefined): string {
  if (shape === undefined) return '[?]';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
