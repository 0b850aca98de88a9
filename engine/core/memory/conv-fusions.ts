/**
 * onnxruntime's convolution fusions (onnxruntime/core/optimizer/): ConvBNFusion, ConvAddFusion and
 * ConvMulFusion fold a per-channel BatchNormalization, constant Add or constant Mul into the
 * weights (level basic); ConvActivationFusion makes a FusedConv with its activation (extended);
 * ConvAddActivationFusion takes a same-shape Add (a residual) and an activation in as well (all).
 * The FusedConv fusions are modelled for float32 only: onnxruntime also makes them for float16 on
 * CPUs with fp16 vector instructions (ARM64), which a model of the graph alone cannot know.
 */
import { DataType } from '../onnx/data-types.js';
import type { NodeProto } from '../onnx/types.js';
import type { GraphFacts } from './facts.js';
import type { FusionGraph, Match, Unit } from './fusion-graph.js';
import { channelExtent } from '../optimize/per-channel.js';
import { FLOAT_TYPES, constBytes, hasType, loneNext, single, type Pattern } from './pattern.js';

/** Activations the CPU provider's FusedConv computes (Clip only with constant bounds). */
const CONV_ACTIVATIONS = new Set(['Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Clip', 'HardSigmoid']);
const FLOAT32: ReadonlySet<number> = new Set([DataType.FLOAT]);
const CONV = new Set(['Conv']);
const BATCH_NORM = new Set(['BatchNormalization']);
const ADD = new Set(['Add']);
const MUL = new Set(['Mul']);

/** The weight shape of a Conv whose weights and bias are constants the runtime can rewrite. */
function foldableConv(facts: GraphFacts, u: Unit): { shape: readonly number[]; dtype: number } | undefined {
  if (u.kernel !== 'Conv') return undefined;
  const [, w = '', b = ''] = u.anchor.input;
  const shape = facts.shape(w);
  const dtype = facts.dtype(w);
  if (!facts.isConstant(w) || shape === undefined || shape.length <= 2 || dtype === undefined || !FLOAT_TYPES.has(dtype)) return undefined;
  if (b !== '' && !facts.isConstant(b)) return undefined;
  return { shape, dtype };
}

/** True when a constant broadcasts per output channel as onnxruntime requires: C×1×1 or 1×C×1×1 (or a scalar when allowed). */
function perChannel(facts: GraphFacts, name: string, weight: { shape: readonly number[]; dtype: number }, allowScalar: boolean): boolean {
  const s = facts.shape(name);
  if (!facts.isConstant(name) || s === undefined || facts.dtype(name) !== weight.dtype) return false;
  if (s.length === 0) return allowScalar;
  const rank = weight.shape.length;
  return (s.length === rank || s.length === rank - 1) && channelExtent(s, rank) === weight.shape[0];
}

const convBatchNorm: Pattern = {
  level: 'basic',
  anchors: CONV,
  match(g, u) {
    const { facts } = g;
    const weight = foldableConv(facts, u);
    const next = weight && loneNext(g, u, BATCH_NORM);
    if (weight === undefined || next === undefined) return undefined;
    const bn = next.node;
    const params = bn.input.slice(1, 5);
    const fits = (p: string): boolean => facts.isConstant(p) && facts.shape(p)?.length === 1 && facts.shape(p)![0] === weight.shape[0] && facts.dtype(p) === weight.dtype;
    if (params.length !== 4 || !params.every(fits) || bn.output.some((o) => facts.graphOutputs.has(o))) return undefined;
    // Without a bias of its own the Conv takes BatchNormalization's shifted B as one.
    const paramBytes = u.paramBytes + (u.hasBias ? 0 : constBytes(facts, bn.input[2]));
    return { pattern: 'Conv+BatchNormalization', transformer: 'ConvBNFusion', members: [u, next.unit], kernel: 'Conv', anchor: u.anchor, paramBytes, hasBias: true };
  },
};

const convAdd: Pattern = {
  level: 'basic',
  anchors: CONV,
  match(g, u) {
    const weight = foldableConv(g.facts, u);
    const next = weight && loneNext(g, u, ADD);
    if (weight === undefined || next === undefined) return undefined;
    const [a, c = ''] = next.node.input;
    if (a !== next.value || !perChannel(g.facts, c, weight, false)) return undefined;
    const paramBytes = u.paramBytes + (u.hasBias ? 0 : constBytes(g.facts, c));
    return { pattern: 'Conv+Add(constant)', transformer: 'ConvAddFusion', members: [u, next.unit], kernel: 'Conv', anchor: u.anchor, paramBytes, hasBias: true };
  },
};

const convMul: Pattern = {
  level: 'basic',
  anchors: CONV,
  match(g, u) {
    const weight = foldableConv(g.facts, u);
    const next = weight && loneNext(g, u, MUL);
    if (weight === undefined || next === undefined) return undefined;
    const [a, c = ''] = next.node.input;
    if (a !== next.value || !perChannel(g.facts, c, weight, true)) return undefined;
    return { pattern: 'Conv+Mul(constant)', transformer: 'ConvMulFusion', members: [u, next.unit], kernel: 'Conv', anchor: u.anchor, paramBytes: u.paramBytes };
  },
};

/** True when the node is an activation FusedConv takes: Clip's bounds must be constants (they become attributes). */
function fusableActivation(facts: GraphFacts, node: NodeProto): boolean {
  if (!CONV_ACTIVATIONS.has(node.opType)) return false;
  return node.opType !== 'Clip' || node.input.slice(1).every((b) => b === '' || facts.isConstant(b));
}

const convActivation: Pattern = {
  level: 'extended',
  anchors: CONV,
  match(g, u) {
    if (!hasType(g.facts, u.anchor.input[0] ?? '', FLOAT32)) return undefined;
    const next = loneNext(g, u, CONV_ACTIVATIONS);
    if (next === undefined || !fusableActivation(g.facts, next.node)) return undefined;
    const act = next.node.opType;
    return { pattern: `Conv+${act}`, transformer: 'ConvActivationFusion', members: [u, next.unit], kernel: 'com.microsoft.FusedConv', anchor: u.anchor, paramBytes: u.paramBytes };
  },
};

/** Both inputs 4-D and of one shape, as far as onnxruntime's own shape inference can tell. */
function sameRank4Shapes(facts: GraphFacts, a: string, b: string): boolean {
  if (facts.runtimeShapes === 'dynamic') return false;
  const ta = facts.typeOf(a);
  const tb = facts.typeOf(b);
  if (ta?.kind !== 'tensor' || tb?.kind !== 'tensor' || ta.shape?.length !== 4 || tb.shape?.length !== 4) return false;
  return ta.shape.every((d, i) => d !== null && d === tb.shape![i]);
}

/** A Conv that can take an Add in: a bias, no activation yet, one reader. */
function addableConv(g: FusionGraph, u: Unit | undefined): boolean {
  return u !== undefined && u.kernel === 'Conv' && u.hasBias && hasType(g.facts, u.anchor.input[0] ?? '', FLOAT32) && g.loneReader(u) !== undefined;
}

const convAddActivation: Pattern = {
  level: 'all',
  anchors: CONV,
  match(g, u): Match | undefined {
    if (!addableConv(g, u)) return undefined;
    const next = loneNext(g, u, ADD);
    const add = next && single(next.unit, 'Add');
    if (next === undefined || add === undefined || add.input.length !== 2 || !sameRank4Shapes(g.facts, add.input[0]!, add.input[1]!)) return undefined;
    // onnxruntime takes the first of the Add's inputs that comes from a suitable Conv.
    const first = add.input.map((name) => g.producer(name)).find((p) => addableConv(g, p) && g.loneReader(p!)?.next === next.unit);
    if (first !== u) return undefined;
    const act = loneNext(g, next.unit, CONV_ACTIVATIONS);
    const members = act !== undefined && fusableActivation(g.facts, act.node) ? [u, next.unit, act.unit] : [u, next.unit];
    const pattern = members.length === 3 ? `Conv+Add+${act!.node.opType}` : 'Conv+Add';
    const paramBytes = u.paramBytes + next.unit.paramBytes;
    return { pattern, transformer: 'ConvAddActivationFusion', members, kernel: 'com.microsoft.FusedConv', anchor: u.anchor, paramBytes };
  },
};

/** In the order onnxruntime applies them within each level. */
export const CONV_FUSIONS: readonly Pattern[] = [convAdd, convMul, convBatchNorm, convActivation, convAddActivation];
