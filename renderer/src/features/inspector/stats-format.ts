/** An element value with four significant digits: `0.01234`, `-1.5`, `1.234e-7`. */
export function formatValue(n: number | null): string {
  if (n === null) return '—';
  if (n === 0) return '0';
  return String(Number(n.toPrecision(4)));
}
