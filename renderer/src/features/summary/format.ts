import type { ValueSummary } from '../../../../engine/core/graph/index.js';

/** At least three significant digits, never an exponent: 999, 134, 1.23. */
function digits(value: number, unit: number): string {
  return unit === 0 || value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

function scaled(n: number, base: number, units: readonly string[]): string {
  let value = n;
  let unit = 0;
  while (unit < units.length - 1 && Number(digits(value, unit)) >= base) {
    value /= base;
    unit++;
  }
  return `${digits(value, unit)} ${units[unit]}`.trimEnd();
}

/** Counts of things (parameters, MACs): `999`, `134 K`, `1.23 M`. */
export function formatCount(n: number): string {
  return scaled(n, 1000, ['', 'K', 'M', 'G', 'T']);
}

/** Sizes in binary units: `512 B`, `522 KiB`, `1.23 MiB`. */
export function formatBytes(n: number): string {
  return scaled(n, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
}

/** The exact number, grouped: `133,665`. */
export function formatExact(n: number): string {
  return n.toLocaleString('en-US');
}

/** `53.1%`; shares too small to print as such read `<0.1%`. */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

export interface Dim {
  readonly text: string;
  /** fixed: a number; symbolic: a named dim such as `batch`; unknown: no value nor name. */
  readonly kind: 'fixed' | 'symbolic' | 'unknown';
}

/** A shape's dims for display, symbolic ones by name; null when the rank is unknown. */
export function shapeDims(shape: ValueSummary['shape']): Dim[] | null {
  if (shape === undefined) return null;
  return shape.map((d) => (d === null ? { text: '?', kind: 'unknown' } : typeof d === 'string' ? { text: d, kind: 'symbolic' } : { text: String(d), kind: 'fixed' }));
}

export interface OpTypeRow {
  readonly op: string;
  readonly count: number;
  /** Of all nodes. */
  readonly share: number;
  /** Of the most frequent op type, for bar lengths. */
  readonly relative: number;
}

/** Op types by count, most frequent first; ties by name. */
export function opTypeRows(opTypes: Readonly<Record<string, number>>): OpTypeRow[] {
  const entries = Object.entries(opTypes).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const max = entries[0]?.[1] ?? 0;
  return entries.map(([op, count]) => ({ op, count, share: total === 0 ? 0 : count / total, relative: max === 0 ? 0 : count / max }));
}

/** Opset imports as `ai.onnx 17`, the default domain first, then by name. */
export function opsetLabels(opsets: Readonly<Record<string, number>>): string[] {
  return Object.entries(opsets)
    .sort(([a], [b]) => (a === 'ai.onnx' ? -1 : b === 'ai.onnx' ? 1 : a.localeCompare(b)))
    .map(([domain, version]) => `${domain} ${version}`);
}

/** `pytorch 2.1.0`, or null when the file does not say. */
export function producerLabel(producer: { readonly name: string; readonly version: string }): string | null {
  const label = `${producer.name} ${producer.version}`.trim();
  return label === '' ? null : label;
}
