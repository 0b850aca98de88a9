import type { AttributeProto, NodeProto } from '../onnx/types.js';
import type { GraphFacts } from './facts.js';
import type { BytesOf, ReparamBranch, ReparamGroup, SizedValue } from './types.js';
import { DEFAULT_DOMAINS } from '../graph/node-label.js';

interface Branch {
  readonly kind: 'conv' | 'identity';
  readonly source: string;
  readonly nodes: readonly NodeProto[];
  readonly conv?: NodeProto;
  readonly bn?: NodeProto;
}

/** Geometry of a branch convolution, in the form merging needs. */
interface ConvShape {
  readonly cout: number;
  readonly cinPerGroup: number;
  readonly kernel: readonly number[];
  readonly group: number;
  readonly strides: readonly number[];
  /** Per spatial axis, 2·pad − (k − 1) at the start and at the end: equal across branches when the kernels share a centre. */
  readonly offsets: readonly number[];
  readonly elementBytes: number;
}

const SUMS = new Set(['Add', 'Sum']);

function isDefault(node: NodeProto): boolean {
  return DEFAULT_DOMAINS.has(node.domain);
}

function ints(node: NodeProto, name: string): number[] | undefined {
  const a: AttributeProto | undefined = node.attribute.find((x) => x.name === name);
  return a === undefined ? undefined : a.ints.map(Number);
}

/** The value's producer when `reader` is its only reader and it is not a graph output. */
function privateProducer(facts: GraphFacts, name: string, reader: NodeProto, opTypes: ReadonlySet<string>): NodeProto | undefined {
  const p = facts.view.producer.get(name);
  const readers = facts.view.consumersOf(name);
  if (p === undefined || !isDefault(p) || !opTypes.has(p.opType) || !facts.runs(p)) return undefined;
  return readers.length === 1 && readers[0] === reader && !facts.graphOutputs.has(name) ? p : undefined;
}

/** The terms an Add (or Sum) tree adds up, through inner Adds read only by the tree. */
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

function branchOf(facts: GraphFacts, term: string, reader: NodeProto): Branch {
  const bn = privateProducer(facts, term, reader, new Set(['BatchNormalization']));
  const head = bn === undefined ? term : (bn.input[0] ?? '');
  const conv = privateProducer(facts, head, bn ?? reader, new Set(['Conv']));
  if (conv !== undefined) return { kind: 'conv', source: conv.input[0] ?? '', nodes: bn ? [conv, bn] : [conv], conv, bn };
  return { kind: 'identity', source: head, nodes: bn ? [bn] : [], bn };
}

function convShape(facts: GraphFacts, conv: NodeProto): ConvShape | undefined {
  const [, w = '', b = ''] = conv.input;
  const ws = facts.shape(w);
  const wBytes = facts.bytes(w);
  if (!facts.isConstant(w) || (b !== '' && !facts.isConstant(b)) || ws?.length !== 4 || wBytes === undefined) return undefined;
  const autoPad = conv.attribute.find((a) => a.name === 'auto_pad');
  if (autoPad?.s !== undefined && autoPad.s.length > 0 && new TextDecoder().decode(autoPad.s) !== 'NOTSET') return undefined;
  if ((ints(conv, 'dilations') ?? [1, 1]).some((d) => d !== 1)) return undefined;
  const kernel = ws.slice(2);
  const pads = ints(conv, 'pads') ?? [0, 0, 0, 0];
  const offsets = [0, 1, 2, 3].map((i) => 2 * pads[i]! - (kernel[i % 2]! - 1));
  const group = Number(conv.attribute.find((a) => a.name === 'group')?.i ?? 1n);
  const elements = ws.reduce((a, d) => a * d, 1);
  return { cout: ws[0]!, cinPerGroup: ws[1]!, kernel, group, strides: ints(conv, 'strides') ?? [1, 1], offsets, elementBytes: elements > 0 ? wBytes / elements : 0 };
}

function bnFits(facts: GraphFacts, bn: NodeProto | undefined, channels: number): boolean {
  if (bn === undefined) return true;
  const params = bn.input.slice(1, 5);
  return params.length === 4 && params.every((p) => facts.isConstant(p) && facts.shape(p)?.length === 1 && facts.shape(p)![0] === channels);
}

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

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

function merge(facts: GraphFacts, root: NodeProto, bytesOf: BytesOf): { group: ReparamGroup; sums: NodeProto[] } | undefined {
  const { terms, sums } = sumTerms(facts, root);
  if (terms.length < 2) return undefined;
  const branches = terms.map((t) => branchOf(facts, t.name, t.reader));
  const source = branches[0]!.source;
  const output = root.output[0] ?? '';
  const outShape = facts.shape(output);
  if (outShape === undefined || branches.some((b) => b.source !== source) || !terms.every((t) => same(facts.shape(t.name) ?? [], outShape))) return undefined;
  const convs = branches.flatMap((b) => (b.conv ? [convShape(facts, b.conv)] : []));
  if (convs.length === 0 || convs.some((c) => c === undefined)) return undefined;
  const shapes = convs as ConvShape[];
  const first = shapes[0]!;
  if (!shapes.every((c) => c.cout === first.cout && c.group === first.group && c.cinPerGroup === first.cinPerGroup && same(c.strides, first.strides) && same(c.offsets, first.offsets))) return undefined;
  const identities = branches.filter((b) => b.kind === 'identity');
  // An identity is a centred unit kernel: only for a same-size, stride-1 convolution.
  if (identities.length > 0 && (first.offsets.some((o) => o !== 0) || first.strides.some((s) => s !== 1) || facts.shape(source)?.[1] !== first.cout)) return undefined;
  if (!branches.every((b) => bnFits(facts, b.bn, first.cout))) return undefined;

  const kernel = [0, 1].map((axis) => Math.max(...shapes.map((c) => c.kernel[axis]!)));
  const nodes = [...branches.flatMap((b) => b.nodes), ...sums].sort((a, b) => facts.step.get(a)! - facts.step.get(b)!);
  const eliminated: SizedValue[] = nodes.flatMap((n) => n.output.filter((o) => o !== '' && o !== output)).map((name) => ({ name, bytes: facts.bytes(name) ?? null }));
  const outElements = outShape.reduce((a, d) => a * d, 1);
  const macs = (k: readonly number[]): number => outElements * first.cinPerGroup * k[0]! * k[1]!;
  const mergedParams = first.elementBytes * (first.cout * first.cinPerGroup * kernel[0]! * kernel[1]! + first.cout);
  const before = trafficOf(nodes, bytesOf);
  const x = facts.bytes(source);
  const y = facts.bytes(output);
  const savedBytes = before === null || x === undefined || y === undefined ? null : before - (x + mergedParams + y);
  const described: ReparamBranch[] = branches.map((b) => ({
    kind: b.kind,
    nodes: b.nodes.map((n) => facts.label(n)),
    ...(b.conv ? { kernel: facts.shape(b.conv.input[1] ?? '')!.slice(2) } : {}),
  }));
  const group: ReparamGroup = {
    pattern: 'parallel-conv-branches',
    input: source,
    output,
    branches: described,
    nodes: nodes.map((n) => facts.label(n)),
    kernel,
    eliminated,
    savedBytes,
    savedMacs: shapes.reduce((a, c) => a + macs(c.kernel), 0) - macs(kernel),
  };
  return { group, sums };
}

/**
 * Blocks whose parallel branches over one input (convolutions of kernels sharing a centre, each
 * maybe followed by BatchNormalization, and identities) are summed: RepVGG, ACNet and similar
 * training-time structures that can be merged into one convolution before deployment. Largest
 * Add trees first, so a block of three branches summed by two Adds is one group.
 */
export function detectReparameterizable(facts: GraphFacts, bytesOf: BytesOf): ReparamGroup[] {
  const groups: ReparamGroup[] = [];
  const covered = new Set<NodeProto>();
  for (let i = facts.order.length - 1; i >= 0; i--) {
    const node = facts.order[i]!;
    if (covered.has(node) || !isDefault(node) || !SUMS.has(node.opType) || !facts.runs(node)) continue;
    const found = merge(facts, node, bytesOf);
    if (found === undefined) continue;
    for (const s of found.sums) covered.add(s);
    groups.push(found.group);
  }
  return groups.reverse();
}
