import type { BenchmarkResult } from '../../../../engine/protocol/benchmark.js';
import { formatBytes, formatCount } from '../summary/format.js';
import type { GraphNode } from './dataflow.js';
import type { BlockItem, BlockTree } from './grouping.js';
import { ROOT_BLOCK } from './grouping.js';

export type MetricId = 'macs' | 'params' | 'bytes' | 'intensity' | 'predictedMs' | 'measuredMs';

export interface Metric {
  readonly id: MetricId;
  readonly label: string;
  readonly format: (value: number) => string;
}

function formatMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 0.1) return `${ms.toPrecision(3)} ms`;
  return `${(ms * 1000).toPrecision(3)} µs`;
}

/** `512 MAC`, `1.23 GMAC`. */
function formatMacs(macs: number): string {
  const count = formatCount(macs);
  return /\d$/.test(count) ? `${count} MAC` : `${count}MAC`;
}

export const METRICS: readonly Metric[] = [
  { id: 'predictedMs', label: 'Predicted time', format: formatMs },
  { id: 'measuredMs', label: 'Measured time', format: formatMs },
  { id: 'macs', label: 'MACs', format: formatMacs },
  { id: 'params', label: 'Parameters', format: (v) => formatCount(v) },
  { id: 'bytes', label: 'Bytes moved', format: formatBytes },
  { id: 'intensity', label: 'Arithmetic intensity', format: (v) => `${v < 10 ? v.toPrecision(2) : v.toFixed(0)} FLOP/B` },
];

export function metricById(id: MetricId): Metric {
  return METRICS.find((m) => m.id === id)!;
}

/** Measured time only exists once a benchmark was run per node. */
export function availableMetrics(hasMeasured: boolean): readonly Metric[] {
  return hasMeasured ? METRICS : METRICS.filter((m) => m.id !== 'measuredMs');
}

/** Measured milliseconds by node name; null when the result has no per-node times. */
export function measuredTimes(bench: BenchmarkResult | null): ReadonlyMap<string, number> | null {
  if (!bench || bench.nodes.length === 0) return null;
  return new Map(bench.nodes.map((n) => [n.name, n.ms]));
}

/** What a node or a whole block costs; sums only over counted (or measured) nodes. */
export interface Totals {
  nodeCount: number;
  /** Nodes whose cost could not be counted: their figures are absent, not zero. */
  uncounted: number;
  macs: number;
  flops: number;
  params: number;
  bytes: number;
  predictedMs: number;
  predictedNodes: number;
  measuredMs: number;
  measuredNodes: number;
}

function emptyTotals(): Totals {
  return { nodeCount: 0, uncounted: 0, macs: 0, flops: 0, params: 0, bytes: 0, predictedMs: 0, predictedNodes: 0, measuredMs: 0, measuredNodes: 0 };
}

export function nodeTotals(node: GraphNode, measuredMs: number | undefined): Totals {
  const t = emptyTotals();
  t.nodeCount = 1;
  t.params = node.params;
  if (node.counted) {
    t.macs = node.macs;
    t.flops = node.flops;
    t.bytes = node.readBytes + node.writeBytes;
  } else {
    t.uncounted = 1;
  }
  if (node.predictedMs !== null) {
    t.predictedMs = node.predictedMs;
    t.predictedNodes = 1;
  }
  if (measuredMs !== undefined) {
    t.measuredMs = measuredMs;
    t.measuredNodes = 1;
  }
  return t;
}

function add(into: Totals, t: Totals): void {
  into.nodeCount += t.nodeCount;
  into.uncounted += t.uncounted;
  into.macs += t.macs;
  into.flops += t.flops;
  into.params += t.params;
  into.bytes += t.bytes;
  into.predictedMs += t.predictedMs;
  into.predictedNodes += t.predictedNodes;
  into.measuredMs += t.measuredMs;
  into.measuredNodes += t.measuredNodes;
}

/** Totals of every block and of every node (index → totals); If/Loop/Scan body blocks are not added to the blocks around them. */
export function computeTotals(tree: BlockTree, nodes: readonly GraphNode[], measured: ReadonlyMap<string, number> | null): { blocks: Map<string, Totals>; nodes: Totals[] } {
  const nodeTotalsList = nodes.map((n) => nodeTotals(n, measured?.get(n.name)));
  const blocks = new Map<string, Totals>();
  const visit = (id: string): Totals => {
    const total = emptyTotals();
    for (const item of tree.blocks.get(id)!.items as readonly BlockItem[]) {
      const t = item.kind === 'node' ? nodeTotalsList[item.index]! : visit(item.id);
      // A body's cost is already in its owner's: the body block has totals, its parent does not add them.
      if (item.kind === 'node' || tree.blocks.get(item.id)!.kind !== 'body') add(total, t);
    }
    blocks.set(id, total);
    return total;
  };
  visit(ROOT_BLOCK);
  return { blocks, nodes: nodeTotalsList };
}

/** The metric's value, or null where nothing was counted (uncounted is never zero). */
export function metricValue(t: Totals, metric: MetricId): number | null {
  const counted = t.nodeCount > t.uncounted;
  switch (metric) {
    case 'macs':
      return counted ? t.macs : null;
    case 'params':
      return t.params;
    case 'bytes':
      return counted ? t.bytes : null;
    case 'intensity':
      return counted && t.bytes > 0 ? t.flops / t.bytes : null;
    case 'predictedMs':
      return t.predictedNodes > 0 ? t.predictedMs : null;
    case 'measuredMs':
      return t.measuredNodes > 0 ? t.measuredMs : null;
  }
}
