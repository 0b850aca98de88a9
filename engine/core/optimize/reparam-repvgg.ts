import { cloneProto } from '../graph/clone.js';
import { GraphView } from '../graph/graph-view.js';
import { isStandardOp, nodeLabel } from '../graph/node-label.js';
import { namesIn, uniqueName } from '../graph/rewrite.js';
import { GraphFacts } from '../memory/facts.js';
import { findParallelBranches, type ParallelBranch, type ParallelBranches } from '../memory/parallel-branches.js';
import { attr, node } from '../onnx/build.js';
import { DataType } from '../onnx/data-types.js';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/types.js';
import { inferShapes } from '../shape/infer.js';
import { GraphConstants, floatTensor } from './constants.js';
import { mergeBranchWeights, type ConvWeights } from './reparam-weights.js';
import type { Change, Pass, PassOptions, PassResult } from './types.js';

interface Merge {
  readonly block: ParallelBranches;
  readonly merged: ConvWeights;
}

function describeBranch(branch: ParallelBranch): string {
  const bn = branch.bn === undefined ? '' : ' + BN';
  return branch.conv === undefined ? (bn === '' ? 'identity' : 'BN identity') : `${branch.kernel.join('×')} conv${bn}`;
}

function detail(block: ParallelBranches): string {
  const { kernel } = block.conv;
  const n = block.sums.length;
  const op = block.sums.every((s) => s.opType === block.sums[0]!.opType) ? block.sums[0]!.opType : 'Add/Sum node';
  const sums = n === 1 ? `one ${op}` : `${n} ${op}s`;
  const steps = [
    block.branches.some((b) => b.bn !== undefined) ? 'BatchNormalizations folded into their kernels' : undefined,
    block.branches.some((b) => b.conv === undefined) ? 'the identity written as a centred unit kernel' : undefined,
    block.branches.some((b) => b.kernel.some((k, i) => k !== kernel[i])) ? `smaller kernels zero-padded around the ${kernel.join('×')} centre` : undefined,
    'biases added',
  ].filter((s) => s !== undefined);
  return (
    `Merged ${block.branches.length} parallel branches (${block.branches.map(describeBranch).join(', ')}) summed by ${sums} into one ` +
    `${kernel.join('×')} convolution: ${steps.join(', ')}. Convolution is linear, so the sum of the branches is one convolution with the summed kernels.`
  );
}

/** The branch convolution with the largest kernel: the merged one takes its place in names. */
function largestConv(block: ParallelBranches): NodeProto | undefined {
  const area = (b: ParallelBranch): number => b.kernel.reduce((a, k) => a * k, 1);
  return block.branches.filter((b) => b.conv !== undefined).sort((a, b) => area(b) - area(a))[0]?.conv;
}

function mergedNode(block: ParallelBranches, merged: ConvWeights, graph: GraphProto, taken: Set<string>): NodeProto {
  const { conv } = block;
  const base = `${largestConv(block)?.name || 'Conv'}_reparam`;
  const name = uniqueName(taken, base);
  const w = uniqueName(taken, `${base}.weight`);
  const b = uniqueName(taken, `${base}.bias`);
  graph.initializer.push(floatTensor([conv.outChannels, conv.inChannelsPerGroup, ...conv.kernel], merged.weights, w), floatTensor([conv.outChannels], merged.bias, b));
  const attributes = [
    attr.ints('dilations', [1, 1]),
    attr.int('group', conv.group),
    attr.ints('kernel_shape', [...conv.kernel]),
    attr.ints('pads', [...conv.pads]),
    attr.ints('strides', [...conv.strides]),
  ];
  return node('Conv', [block.input, w, b], [block.output], attributes, { name });
}

/**
 * Weights only the merged nodes read, which the merge leaves unread: names of initializers and
 * the Constant nodes producing them, each Constant listed with the merge whose node read it.
 */
function deadWeights(facts: GraphFacts, merges: readonly Merge[]): { initializers: Set<string>; constants: Map<NodeProto, Merge> } {
  const replaced = new Set(merges.flatMap((m) => m.block.nodes));
  const onlyMergedRead = (name: string): boolean => !facts.graphOutputs.has(name) && facts.view.consumersOf(name).every((n) => replaced.has(n));
  const initializers = new Set<string>();
  const constants = new Map<NodeProto, Merge>();
  for (const m of merges) {
    for (const name of m.block.nodes.flatMap((n) => n.input)) {
      if (name === '' || name === m.block.input || !onlyMergedRead(name)) continue;
      const producer = facts.view.producer.get(name);
      if (producer === undefined && facts.view.initializers.has(name)) initializers.add(name);
      else if (producer !== undefined && isStandardOp(producer, 'Constant') && producer.output.every(onlyMergedRead)) constants.set(producer, m);
    }
  }
  return { initializers, constants };
}

function apply(model: ModelProto, facts: GraphFacts, merges: readonly Merge[]): PassResult {
  const source = model.graph!;
  const index = new Map(source.node.map((n, i) => [n, i]));
  const dead = deadWeights(facts, merges);
  const out = cloneProto(model);
  const graph = out.graph!;
  const taken = namesIn(source);
  const byRoot = new Map(merges.map((m) => [index.get(m.block.sums[0]!)!, m]));
  const removed = new Set([...merges.flatMap((m) => m.block.nodes), ...dead.constants.keys()].map((n) => index.get(n)!));
  const into = new Map<Merge, string>();
  const nodes: NodeProto[] = [];
  graph.node.forEach((n, i) => {
    const m = byRoot.get(i);
    if (m !== undefined) {
      const conv = mergedNode(m.block, m.merged, graph, taken);
      into.set(m, conv.name);
      nodes.push(conv);
    } else if (!removed.has(i)) nodes.push(n);
  });
  graph.node = nodes;
  graph.initializer = graph.initializer.filter((t) => !dead.initializers.has(t.name));
  const gone = new Set(merges.flatMap((m) => m.block.nodes.flatMap((n) => n.output.filter((o) => o !== m.block.output))));
  graph.valueInfo = graph.valueInfo.filter((v) => !gone.has(v.name));
  const label = (n: NodeProto): string => nodeLabel(n, index.get(n)!);
  const changes: Change[] = merges.map((m) => {
    const constants = [...dead.constants].filter(([, owner]) => owner === m).map(([c]) => c);
    return { pass: 'reparam-repvgg', kind: 'merged', nodes: [...constants, ...m.block.nodes].map(label), into: into.get(m)!, detail: detail(m.block), graphPath: 'graph' };
  });
  return { model: out, changes };
}

/**
 * Structural re-parameterization (RepVGG, ACNet): parallel convolutions over one input whose
 * kernels share a centre (3×3 and 1×1, or any k×k with smaller odd kernels), each maybe followed
 * by BatchNormalization, plus an optional identity (the input, maybe through BatchNormalization),
 * summed by Add/Sum, become one convolution. Needs equal strides, groups and channels, no
 * dilation, pads that align the centres, an identity only for a stride-1 same-size convolution
 * with as many outputs as inputs (per group), float32 constants, and no other reader of the
 * intermediate values.
 */
export const reparamRepVggPass: Pass = {
  id: 'reparam-repvgg',
  title: 'Re-parameterize parallel convolutions',
  summary:
    'Merges parallel convolution branches (with or without BatchNormalization) and identity branches that are summed into one convolution, as RepVGG does for deployment.',
  run(model: ModelProto, options: PassOptions): PassResult {
    const graph = model.graph;
    if (graph === undefined) return { model, changes: [] };
    const shapes = inferShapes(model, { inputDims: options.inputDims });
    const facts = new GraphFacts(graph, new GraphView(graph).topologicalOrder().order, (name) => shapes.typeOf(name, graph));
    const constants = new GraphConstants(graph);
    const merges = findParallelBranches(facts).flatMap((block): Merge[] => {
      if (facts.dtype(block.output) !== DataType.FLOAT) return [];
      const merged = mergeBranchWeights(block.branches, block.conv, constants);
      return merged === undefined ? [] : [{ block, merged }];
    });
    return merges.length === 0 ? { model, changes: [] } : apply(model, facts, merges);
  },
};
