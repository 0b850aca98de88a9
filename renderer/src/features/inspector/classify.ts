import type { Analysis, NodeAnalysis, ValueRef } from '../../../../engine/core/analysis/types.js';

/**
 * Where a node's input comes from. `weight`: an initializer (no producer, not a graph input);
 * `constant`: a Constant node's output. Both can be fetched with `model.tensor`.
 */
export type InputKind = 'weight' | 'constant' | 'graph input' | 'activation' | 'omitted';

export interface ClassifiedInput {
  readonly value: ValueRef;
  readonly kind: InputKind;
  /** The node computing it, for activations and constants. */
  readonly producer: string | null;
}

export interface ValueSources {
  readonly producers: ReadonlyMap<string, NodeAnalysis>;
  readonly graphInputs: ReadonlySet<string>;
}

/** Which node writes each value, and the graph's inputs: built once per analysis. */
export function valueSources(analysis: Pick<Analysis, 'nodes' | 'inputs'> & Partial<Pick<Analysis, 'subgraphNodes'>>): ValueSources {
  const producers = new Map<string, NodeAnalysis>();
  for (const n of [...(analysis.subgraphNodes ?? []), ...analysis.nodes]) for (const o of n.outputs) if (o.name !== '') producers.set(o.name, n);
  return { producers, graphInputs: new Set(analysis.inputs.map((v) => v.name)) };
}

export function classifyInputs(node: NodeAnalysis, sources: ValueSources): ClassifiedInput[] {
  return node.inputs.map((value) => {
    if (value.name === '') return { value, kind: 'omitted', producer: null };
    const producer = sources.producers.get(value.name);
    if (producer) return { value, kind: producer.opType === 'Constant' ? 'constant' : 'activation', producer: producer.name };
    return { value, kind: sources.graphInputs.has(value.name) ? 'graph input' : 'weight', producer: null };
  });
}

export function isWeight(kind: InputKind): boolean {
  return kind === 'weight' || kind === 'constant';
}
