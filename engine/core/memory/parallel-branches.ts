import { NodeAttributes } from '../graph/attributes.js';
import { DEFAULT_DOMAINS } from '../graph/node-label.js';
import type { NodeProto } from '../onnx/types.js';
import type { Dim } from '../shape/types.js';
import type { GraphFacts } from './facts.js';

/** One summed branch: a convolution maybe followed by BatchNormalization, or the input itself maybe through BatchNormalization. */
export interface ParallelBranch {
  readonly kind: 'conv' | 'identity';
  /** The branch's nodes in data order (convolution, then BatchNormalization); none for a plain identity. */
  readonly nodes: readonly NodeProto[];
  readonly conv?: NodeProto;
  readonly bn?: NodeProto;
  /** Spatial kernel size: the convolution's, [1, 1] for an identity. */
  readonly kernel: readonly number[];
}

/** Geometry of the one convolution the branches merge into. */
export interface MergedConvShape {
  readonly outChannels: number;
  readonly inChannelsPerGroup: number;
  readonly group: number;
  /** Per spatial axis, the largest branch kernel: smaller ones sit at its centre. */
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  /** ONNX `pads` (begin of each axis, then end of each): those of the branch with the largest kernel on each axis. */
  readonly pads: readonly number[];
}

/** Parallel branches over one input, summed by an Add/Sum tree, that one convolution can replace. */
export interface ParallelBranches {
  /** The tensor every branch reads. */
  readonly input: string;
  /** The tensor the tree's outermost sum writes. */
  readonly output: string;
  readonly outputShape: readonly Dim[];
  readonly branches: readonly ParallelBranch[];
  /** The Add and Sum nodes of the tree, outermost first. */
  readonly sums: readonly NodeProto[];
  /** Every node the merged convolution replaces, in execution order. */
  readonly nodes: readonly NodeProto[];
  readonly conv: MergedConvShape;
}

interface ConvGeometry {
  readonly cout: number;
  readonly cinPerGroup: number;
  readonly kernel: readonly number[];
  readonly group: number;
  readonly strides: readonly number[];
  /** Per pad entry, 2·pad − (k − 1): equal across branches exactly when their kernels share a centre. */
  readonly offsets: readonly number[];
}

const SUMS: ReadonlySet<string> = new Set(['Add', 'Sum']);
const BATCH_NORM: ReadonlySet<string> = new Set(['BatchNormalization']);
const CONV: ReadonlySet<string> = new Set(['Conv']);

const same = (a: readonly Dim[], b: readonly Dim[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** A tensor's shape when every dim is known (symbolic names allowed: equal names are equal sizes). */
function knownShape(facts: GraphFacts, name: string): readonly Dim[] | undefined {
  const t = facts.typeOf(name);
  return t?.kind === 'tensor' && t.shape !== undefined && t.shape.every((d) => d !== null) ? t.shape : undefined;
}

/** The value's producer when `reader` is its only reader and it is not a graph output. */
function privateProducer(facts: GraphFacts, name: string, reader: NodeProto, opTypes: ReadonlySet<string>): NodeProto | undefined {
  const p = facts.view.producer.get(name);
  if (p === undefined || !DEFAULT_DOMAINS.has(p.domain) || !opTypes.has(p.opType) || !facts.runs(p) || !facts.step.has(p)) return undefined;
  const readers = facts.view.consumersOf(name);
  return readers.length === 1 && readers[0] === reader && !facts.graphOutputs.has(name) ? p : undefined;
}

/** The terms an Add (or Sum) tree adds up, through inner sums read only by the tree. */
function sumTerms(facts: GraphFacts, root: NodeProto): { terms: { name: string; reader: NodeProto }[]; sums: NodeProto[] } {
  const terms: { name: string; reader: NodeProto }[] = [];
  const sums: NodeProto[] = [];
  const visit = (node: NodeProto): void => {
    sums.push(node);
    for (const name of node.input) {
      if (name === '') continue;
      const inner = privateProducer(facts, name, node, SUMS);
      if (inner !== undefined) visit(inner);
      else terms.push({ name, reader: node });
    }
  };
  visit(root);
  return { terms, sums };
}

/** The branch ending in `term`, and the tensor it reads. */
function branchOf(facts: GraphFacts, term: string, reader: NodeProto): { branch: ParallelBranch; source: string } {
  const bn = privateProducer(facts, term, reader, BATCH_NORM);
  const head = bn === undefined ? term : (bn.input[0] ?? '');
  const conv = privateProducer(facts, head, bn ?? reader, CONV);
  if (conv === undefined) return { branch: { kind: 'identity', nodes: bn ? [bn] : [], bn, kernel: [1, 1] }, source: head };
  const kernel = facts.shape(conv.input[1] ?? '')?.slice(2) ?? [];
  return { branch: { kind: 'conv', nodes: bn ? [conv, bn] : [conv], conv, bn, kernel }, source: conv.input[0] ?? '' };
}

function convGeometry(facts: GraphFacts, conv: NodeProto): ConvGeometry | undefined {
  const [, w = '', b = ''] = conv.input;
  const ws = facts.shape(w);
  if (!facts.isConstant(w) || (b !== '' && !facts.isConstant(b)) || ws?.length !== 4) return undefined;
  const attrs = new NodeAttributes(conv);
  if (attrs.string('auto_pad', 'NOTSET') !== 'NOTSET' || attrs.ints('dilations', [1, 1]).some((d) => d !== 1)) return undefined;
  const kernel = ws.slice(2);
  const pads = attrs.ints('pads', [0, 0, 0, 0]);
  const offsets = [0, 1, 2, 3].map((i) => 2 * pads[i]! - (kernel[i % 2]! - 1));
  return { cout: ws[0]!, cinPerGroup: ws[1]!, kernel, group: attrs.int('group', 1), strides: attrs.ints('strides', [1, 1]), offsets };
}

/**
 * True when the BatchNormalization (if any) is a per-channel affine map with constant parameters:
 * not in training mode, its statistics outputs absent or unread.
 */
function bnFits(facts: GraphFacts, bn: NodeProto | undefined, channels: number): boolean {
  if (bn === undefined) return true;
  const attrs = new NodeAttributes(bn);
  const unread = (o: string): boolean => o === '' || (facts.view.consumersOf(o).length === 0 && !facts.graphOutputs.has(o));
  if (attrs.int('training_mode', 0) !== 0 || attrs.int('spatial', 1) !== 1 || !bn.output.slice(1).every(unread)) return false;
  const params = bn.input.slice(1, 5);
  return params.length === 4 && params.every((p) => facts.isConstant(p) && facts.shape(p)?.length === 1 && facts.shape(p)![0] === channels);
}

function match(facts: GraphFacts, root: NodeProto): ParallelBranches | undefined {
  const { terms, sums } = sumTerms(facts, root);
  if (terms.length < 2) return undefined;
  const found = terms.map((t) => branchOf(facts, t.name, t.reader));
  const branches = found.map((f) => f.branch);
  const input = found[0]!.source;
  const output = root.output[0] ?? '';
  const outputShape = knownShape(facts, output);
  if (outputShape === undefined || found.some((f) => f.source !== input)) return undefined;
  if (!terms.every((t) => same(knownShape(facts, t.name) ?? [], outputShape))) return undefined;
  const geometries = branches.flatMap((b) => (b.conv ? [convGeometry(facts, b.conv)] : []));
  if (geometries.length === 0 || geometries.some((c) => c === undefined)) return undefined;
  const convs = geometries as ConvGeometry[];
  const first = convs[0]!;
  const fits = (c: ConvGeometry): boolean =>
    c.cout === first.cout && c.group === first.group && c.cinPerGroup === first.cinPerGroup && same(c.strides, first.strides) && same(c.offsets, first.offsets);
  if (!convs.every(fits)) return undefined;
  // An identity is a centred unit kernel: only for a same-size, stride-1 convolution with as many outputs as inputs.
  const identity = branches.some((b) => b.kind === 'identity');
  if (identity && (first.offsets.some((o) => o !== 0) || first.strides.some((s) => s !== 1) || knownShape(facts, input)?.[1] !== first.cout)) return undefined;
  if (!branches.every((b) => bnFits(facts, b.bn, first.cout))) return undefined;

  const kernel = [0, 1].map((axis) => Math.max(...convs.map((c) => c.kernel[axis]!)));
  const pads = first.offsets.map((o, i) => (o + kernel[i % 2]! - 1) / 2);
  const nodes = [...branches.flatMap((b) => b.nodes), ...sums].sort((a, b) => facts.step.get(a)! - facts.step.get(b)!);
  return {
    input,
    output,
    outputShape,
    branches,
    sums,
    nodes,
    conv: { outChannels: first.cout, inChannelsPerGroup: first.cinPerGroup, group: first.group, kernel, strides: first.strides, pads },
  };
}

/**
 * Blocks whose parallel branches over one input (convolutions of kernels sharing a centre, each
 * maybe followed by BatchNormalization, and identities) are summed: RepVGG, ACNet and similar
 * training-time structures that one convolution can replace. Largest Add trees first, so a
 * block of three branches summed by two Adds is one block; blocks never share nodes. Only
 * structure, shapes and attributes are checked here: merging needs the weights' values too.
 */
export function findParallelBranches(facts: GraphFacts): ParallelBranches[] {
  const found: ParallelBranches[] = [];
  const covered = new Set<NodeProto>();
  for (let i = facts.order.length - 1; i >= 0; i--) {
    const node = facts.order[i]!;
    if (covered.has(node) || !DEFAULT_DOMAINS.has(node.domain) || !SUMS.has(node.opType) || !facts.runs(node)) continue;
    const block = match(facts, node);
    if (block === undefined) continue;
    for (const s of block.sums) covered.add(s);
    found.push(block);
  }
  return found.reverse();
}
