import type { ListedVariant } from '../../../../engine/protocol/index.js';
import { formatMs } from '../layers/format.js';
import { formatCount } from '../summary/format.js';

export interface VariantRow {
  readonly id: string;
  /** `optimize (eliminate, fold-batchnorm) from original`. */
  readonly madeBy: string;
  /** `2026-11-24 16:40` (UTC). */
  readonly made: string;
  readonly nodes: string;
  readonly macs: string;
  readonly fidelity: string;
  readonly latency: string;
  /** Where the variant's model file is. */
  readonly path: string;
  /** False when its files are gone or changed size since they were written. */
  readonly present: boolean;
}

function passesOf(settings: Readonly<Record<string, unknown>>): string {
  const passes = settings.passes;
  return Array.isArray(passes) && passes.every((p) => typeof p === 'string') ? ` (${passes.join(', ')})` : '';
}

const figure = (value: number | null | undefined, format: (n: number) => string): string => (value === null || value === undefined ? '—' : format(value));

/** What the variants table shows of each variant. */
export function variantRows(variants: readonly ListedVariant[]): VariantRow[] {
  return variants.map((v) => {
    const fidelity = v.results.fidelity?.figures;
    // The newest benchmark, whatever its conditions: the table is an overview, the report compares like with like.
    const benchmark = Object.values(v.results)
      .filter((r) => r.kind === 'benchmark')
      .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt))[0];
    return {
      id: v.id,
      madeBy: `${v.transform.id}${passesOf(v.transform.settings)} from ${v.parent}`,
      made: v.createdAt.slice(0, 16).replace('T', ' '),
      nodes: figure(v.figures.nodeCount, formatCount),
      macs: figure(v.figures.macs, formatCount),
      fidelity: fidelity === undefined ? 'not checked' : fidelity.passed === 1 ? `agree (${figure(fidelity.worstRelativeError, (e) => e.toExponential(1))})` : 'DIFFER',
      latency: benchmark === undefined ? '—' : figure(benchmark.figures.latencyP50Ms, formatMs),
      path: v.path,
      present: v.present,
    };
  });
}
