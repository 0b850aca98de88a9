/** Nodes (or pairs of nodes) whose output equals their input, found for the eliminate pass. */
import { NodeAttributes } from '../graph/attributes.js';
import type { GraphView } from '../graph/graph-view.js';
import { isStandardOp } from '../graph/node-label.js';
import { dataTypeName } from '../onnx/data-types.js';
import type { NodeProto } from '../onnx/types.js';
import { formatShape, type Dim } from '../shape/index.js';

/** What the eliminate pass knows about a graph's values. */
export interface ValueFacts {
  /** Opset of the default domain. */
  readonly opset: number;
  /** Element type, 0 when unknown. */
  dtype(name: string): number;
  /** Dims that hold on every run (symbolic ones by name); undefined when not known here. */
  shape(name: string): readonly Dim[] | undefined;
  /** Contents of a small integer constant; undefined unless known before running. */
  ints(name: string): number[] | undefined;
}

/** A chain of nodes whose last output equals the first one's input: readers of `to` can read `from`. */
export interface NoOp {
  readonly nodes: readonly NodeProto[];
  readonly from: string;
  readonly to: string;
  /** Why the chain does nothing, for the log. */
  readonly why: string;
}

/** An integer list given as attribute `name` (older opsets) or as constant input `index` (newer). */
function listArgument(node: NodeProto, facts: ValueFacts, name: string, index: number): number[] | undefined {
  const input = node.input[index];
  if (input !== undefined && input !== '') return facts.ints(input);
  return new NodeAttributes(node).ints(name);
}

function sameDims(a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((d, i) => d !== null && d === b[i]);
}

/** Why a single node passes its first input through unchanged, or undefined when it may not. */
function passThrough(node: NodeProto, facts: ValueFacts): string | undefined {
  const x = node.input[0] ?? '';
  const attributes = new NodeAttributes(node);
  if (isStandardOp(node, 'Identity')) return 'Identity passes its input through';
  if (isStandardOp(node, 'Dropout')) {
    const training = node.input[2] ? facts.ints(node.input[2])?.[0] : 0;
    const isTest = attributes.int('is_test', facts.opset < 7 ? 0 : 1);
    return training === 0 && isTest === 1 ? 'Dropout passes its input through at inference' : undefined;
  }
  if (isStandardOp(node, 'Cast')) {
    const dtype = facts.dtype(x);
    return dtype !== 0 && attributes.int('to') === dtype ? `Cast to ${dataTypeName(dtype)} of a tensor that is already ${dataTypeName(dtype)}` : undefined;
  }
  if (isStandardOp(node, 'Reshape')) {
    const shape = facts.shape(x);
    return sameDims(shape, facts.shape(node.output[0] ?? '')) ? `Reshape to the shape its input already has (${formatShape(shape)})` : undefined;
  }
  if (isStandardOp(node, 'Transpose')) {
    const perm = attributes.ints('perm');
    const rank = perm?.length ?? facts.shape(x)?.length;
    const identity = perm === undefined ? rank !== undefined && rank <= 1 : perm.every((p, i) => p === i);
    return identity ? 'Transpose with the identity permutation' : undefined;
  }
  if (isStandardOp(node, 'Pad')) {
    const pads = facts.opset >= 11 ? listArgument(node, facts, 'pads', 1) : (attributes.ints('pads') ?? attributes.ints('paddings'));
    return pads !== undefined && pads.every((p) => p === 0) ? 'Pad of zero on every side' : undefined;
  }
  return undefined;
}

/**
 * Squeeze then Unsqueeze (or the reverse) of the same axes, the first read only by the second:
 * both axes lists refer to the rank of the value between them, so equal lists cancel.
 */
function cancellingPair(node: NodeProto, facts: ValueFacts, view: GraphView, graphOutputs: ReadonlySet<string>): NoOp | undefined {
  const pair = isStandardOp(node, 'Squeeze') ? 'Unsqueeze' : isStandardOp(node, 'Unsqueeze') ? 'Squeeze' : undefined;
  const middle = node.input[0] ?? '';
  const first = view.producer.get(middle);
  if (pair === undefined || first === undefined || !isStandardOp(first, pair)) return undefined;
  if (graphOutputs.has(middle) || view.consumersOf(middle).length !== 1) return undefined;
  const rank = facts.shape(middle)?.length;
  const axes = (n: NodeProto): string | undefined => {
    const list = listArgument(n, facts, 'axes', 1);
    if (list === undefined || (rank === undefined && list.some((a) => a < 0))) return undefined;
    return [...new Set(list.map((a) => (a < 0 ? a + rank! : a)))].sort((a, b) => a - b).join(',');
  };
  const axesFirst = axes(first);
  if (axesFirst === undefined || axesFirst !== axes(node)) return undefined;
  return { nodes: [first, node], from: first.input[0] ?? '', to: node.output[0] ?? '', why: `${first.opType} then ${node.opType} of axes [${axesFirst}] cancel out` };
}

/**
 * The no-op ending at `node`, if any: the node itself when it passes its input through (its other
 * outputs, such as Dropout's mask, unread), or it and the node before it when they cancel.
 */
export function findNoOp(node: NodeProto, facts: ValueFacts, view: GraphView, graphOutputs: ReadonlySet<string>): NoOp | undefined {
  const from = node.input[0] ?? '';
  const to = node.output[0] ?? '';
  if (from === '' || to === '' || from === to) return undefined;
  const othersUnread = node.output.slice(1).every((o) => o === '' || (!graphOutputs.has(o) && view.consumersOf(o).length === 0));
  const why = othersUnread ? passThrough(node, facts) : undefined;
  return why !== undefined ? { nodes: [node], from, to, why } : cancellingPair(node, facts, view, graphOutputs);
}
