/** Number formats the charts share; rates and times in the units engineers quote them in. */

const PREFIXES = ['', 'K', 'M', 'G', 'T', 'P'] as const;

/** Three significant digits without an exponent: `0.0123`, `1.23`, `123`, `1230`. */
export function sig3(n: number): string {
  if (n === 0 || !Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Number(n.toPrecision(3)).toString();
}

/** A value of a base unit with an SI prefix: `1.23 G`, `512 `, `12.0 T`. */
export function withPrefix(n: number): string {
  let value = n;
  let i = 0;
  while (i < PREFIXES.length - 1 && Math.abs(value) >= 999.5) {
    value /= 1000;
    i++;
  }
  return `${sig3(value)} ${PREFIXES[i]}`;
}

/** Work per second given in GFLOP/s (or GOP/s for int8): `512 GFLOP/s`, `1.2 TFLOP/s`. */
export function formatRate(giga: number, unit = 'FLOP/s'): string {
  return `${withPrefix(giga * 1e9)}${unit}`;
}

/** Three significant digits, trailing zeros kept so that columns of measurements line up: `7.00`, `12.3`. */
function measure(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);
}

/** Milliseconds as a person reads them: `850 µs`, `7.00 ms`, `12.3 ms`, `1.23 s`. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${measure(ms * 1000)} µs`;
  if (ms >= 1000) return `${measure(ms / 1000)} s`;
  return `${measure(ms)} ms`;
}

/** Log-axis tick labels: `0.01`, `1`, `100`, `10k`, `1M`. */
export function formatTick(n: number): string {
  if (n >= 1000) return withPrefix(n).replace(' ', '').replace('K', 'k');
  return sig3(n);
}
