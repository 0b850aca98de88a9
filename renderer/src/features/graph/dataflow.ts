import type { NodeAnalysis, ValueRef } from '../../../../engine/core/analysis/types.js';

/** The graph-view needs only these fields of a node; tests build them without a full Analysis. */
export type GraphNode = Pick<NodeAnalysis, 'name' | 'opType' | 'inputs' | 'outputs' | 'macs' | 'flops' | 'params' | 'readBytes' | 'writeBytes' | 'intensity' | 'predictedMs' | 'counted'>;

/** One tensor passed from the node that writes it to a node that reads it (indices into the node list). */
export interface DataflowEdge {
  readonly source: number;
  readonly target: number;
  readonly tensor: string;
  /** The tensor's shape as edge labels show it. */
  readonly label: string;
}

/** `1×32×112×112`; symbolic dims by name, unknown ones as `?`; `scalar` for rank 0; `?` for unknown rank. */
export function formatShape(shape: ValueRef['shape']): string {
  if (shape === undefined) return '?';
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

/** Edges from each tensor's producer to its consumers; graph inputs and initializers have no producer. */
export function dataflowEdges(nodes: readonly GraphNode[]): DataflowEdge[] {
  const producer = new Map<string, { index: number; value: ValueRef }>();
  nodes.forEach((node, index) => {
    for (const value of node.outputs) if (value.name !== '') producer.set(value.name, { index, value });
  });
  const edges: DataflowEdge[] = [];
  nodes.forEach((node, target) => {
    for (const input of node.inputs) {
      const from = input.name === '' ? undefined : producer.get(input.name);
      if (from && from.index !== target) edges.push({ source: from.index, target, tensor: input.name, label: formatShape(from.value.shape) });
    }
  });
  return edges;
}

/**
 * Where each node belongs in reading order: its execution position, except that a node reading
 * nothing (a Constant) goes just before its first reader, where it matters.
 */
export function readingOrder(nodes: readonly GraphNode[], edges: readonly DataflowEdge[]): number[] {
  const firstReader = new Map<number, number>();
  for (const edge of edges) firstReader.set(edge.source, Math.min(edge.target, firstReader.get(edge.source) ?? Infinity));
  return nodes.map((node, index) => {
    const reader = firstReader.get(index);
    return node.inputs.length === 0 && reader !== undefined ? reader - 0.5 : index;
  });
}
