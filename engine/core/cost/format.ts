/** Number and shape text for cost formulas. */

/** 10838016 → `10,838,016`; fractions keep up to three decimals. */
export function fmt(n: number): string {
  const [whole, fraction] = String(Number.isInteger(n) ? n : Number(n.toFixed(3))).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** Dims joined the way formulas show them: `1·32·112·112` (`1` for a scalar). */
export function dimsText(shape: readonly number[]): string {
  return shape.length === 0 ? '1' : shape.join('·');
}

export function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}
