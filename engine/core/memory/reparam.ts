import type { NodeProto } from '../onnx/types.js';
import { isStatic } from '../shape/types.js';
import type { GraphFacts } from './facts.js';
import { findParallelBranches, type ParallelBranches } from './parallel-branches.js';
import type { BytesOf, ReparamGroup, SizedValue } from './types.js';

/** Traffic of the nodes per run, or null when one is not known. */
function trafficOf(nodes: readonly NodeProto[], bytesOf: BytesOf): number | null {
  let sum = 0;
  for (const n of nodes) {
    const b = bytesOf(n);
    if (b === undefined) return null;
    sum += b.readBytes + b.writeBytes;
  }
  return sum;
}

/** Bytes per weight element of the block's convolutions, or undefined when not known. */
function elementBytes(facts: GraphFacts, block: ParallelBranches): number | undefined {
  const w = block.branches.find((b) => b.conv !== undefined)?.conv?.input[1] ?? '';
  const bytes = facts.bytes(w);
  const elements = facts.shape(w)?.reduce((a, d) => a * d, 1);
  return bytes === undefined || elements === undefined ? undefined : elements > 0 ? bytes / elements : 0;
}

function describe(facts: GraphFacts, block: ParallelBranches, bytesOf: BytesOf): ReparamGroup | undefined {
  const { conv, output, outputShape } = block;
  const wordBytes = elementBytes(facts, block);
  if (!isStatic(outputShape) || wordBytes === undefined) return undefined;
  const eliminated: SizedValue[] = block.nodes.flatMap((n) => n.output.filter((o) => o !== '' && o !== output)).map((name) => ({ name, bytes: facts.bytes(name) ?? null }));
  const outElements = outputShape.reduce((a, d) => a * d, 1);
  const macs = (k: readonly number[]): number => outElements * conv.inChannelsPerGroup * k[0]! * k[1]!;
  const mergedParams = wordBytes * (conv.outChannels * conv.inChannelsPerGroup * conv.kernel[0]! * conv.kernel[1]! + conv.outChannels);
  const before = trafficOf(block.nodes, bytesOf);
  const x = facts.bytes(block.input);
  const y = facts.bytes(output);
  const convBranches = block.branches.filter((b) => b.kind === 'conv');
  return {
    pattern: 'parallel-conv-branches',
    input: block.input,
    output,
    branches: block.branches.map((b) => ({ kind: b.kind, nodes: b.nodes.map((n) => facts.label(n)), ...(b.conv ? { kernel: b.kernel } : {}) })),
    nodes: block.nodes.map((n) => facts.label(n)),
    kernel: conv.kernel,
    eliminated,
    savedBytes: before === null || x === undefined || y === undefined ? null : before - (x + mergedParams + y),
    savedMacs: convBranches.reduce((a, b) => a + macs(b.kernel), 0) - macs(conv.kernel),
  };
}

/**
 * Blocks whose parallel branches over one input are summed (RepVGG, ACNet and similar
 * training-time structures, found by `findParallelBranches`) with what merging each into one
 * convolution before deployment would save. Blocks of unknown size are left out.
 */
export function detectReparameterizable(facts: GraphFacts, bytesOf: BytesOf): ReparamGroup[] {
  return findParallelBranches(facts).flatMap((block) => describe(facts, block, bytesOf) ?? []);
}
