import type { NodeProto } from '../onnx/types.js';
import type { GraphFacts } from './facts.js';
import type { BytesOf, NodeBytes } from './types.js';

/**
 * Compulsory traffic from value types alone: every given input read once per position (weights
 * included) and every output written once. Undefined when a size is unknown. For callers without
 * the cost model's per-node numbers, which are the reference when available.
 */
export function bytesFromTypes(facts: GraphFacts): BytesOf {
  const sum = (names: readonly string[]): number | undefined => {
    let total = 0;
    for (const name of names) {
      if (name === '') continue;
      const b = facts.bytes(name);
      if (b === undefined) return undefined;
      total += b;
    }
    return total;
  };
  return (node: NodeProto): NodeBytes | undefined => {
    const readBytes = sum(node.input);
    const writeBytes = sum(node.output);
    return readBytes === undefined || writeBytes === undefined ? undefined : { readBytes, writeBytes };
  };
}

export interface Traffic {
  readonly trafficBytes: number;
  readonly trafficUnknownNodes: number;
}

/** Σ over the nodes that run per inference of bytes read + written; nodes of unknown traffic are counted apart. */
export function totalTraffic(facts: GraphFacts, bytesOf: BytesOf): Traffic {
  let trafficBytes = 0;
  let trafficUnknownNodes = 0;
  for (const node of facts.order) {
    if (!facts.runs(node)) continue;
    const b = bytesOf(node);
    if (b === undefined) trafficUnknownNodes++;
    else trafficBytes += b.readBytes + b.writeBytes;
  }
  return { trafficBytes, trafficUnknownNodes };
}
