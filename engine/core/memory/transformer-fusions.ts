/**
 * onnxruntime's fusions of decomposed transformer blocks (onnxruntime/core/optimizer/):
 * LayerNormFusion (level basic), GeluFusion (basic from opset 20, else extended),
 * SimplifiedLayerNormFusion (RMSNorm), SkipLayerNormFusion, BiasGeluFusion and QuickGeluFusion
 * (extended). Only the common forms are recognized; onnxruntime knows a few more variants (Cast
 * nodes inside LayerNorm, duplicated Sub nodes from old PyTorch exports, the tanh form FastGelu).
 */
import { DataType } from '../onnx/data-types.js';
import type { Dim } from '../shape/types.js';
import type { GraphFacts } from './facts.js';
import type { FusionGraph, Match, Unit } from './fusion-graph.js';
import { FLOAT_TYPES, constantIs, constantsBytes, hasType, loneNext, otherInput, single, type Pattern } from './pattern.js';

const ADD = new Set(['Add']);
const SUB = new Set(['Sub']);
const MUL = new Set(['Mul']);
const DIV = new Set(['Div']);
const SQRT = new Set(['Sqrt']);
const ERF = new Set(['Erf']);
const REDUCE_MEAN = new Set(['ReduceMean']);
const POW = new Set(['Pow']);
const SIGMOID = new Set(['Sigmoid']);
/** SkipLayerNormalization has no double kernel. */
const SKIP_TYPES: ReadonlySet<number> = new Set([DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16]);

function dims(facts: GraphFacts, name: string): readonly Dim[] | undefined {
  const t = facts.typeOf(name);
  return t?.kind === 'tensor' ? t.shape : undefined;
}

/** A LayerNorm scale or bias: a 1-D constant or graph input. */
function isNormParam(facts: GraphFacts, name: string): boolean {
  const known = facts.isConstant(name) || facts.graph.input.some((v) => v.name === name);
  return known && dims(facts, name)?.length === 1;
}

/** ReduceMean → Sub → Pow → ReduceMean → Add(ε) → Sqrt → Div → Mul(scale) → Add(bias), the Sub read by Pow and Div. */
const layerNorm: Pattern = {
  level: 'basic',
  anchors: REDUCE_MEAN,
  match(g, u) {
    const { facts } = g;
    const mean = single(u, 'ReduceMean');
    const x = mean?.input[0] ?? '';
    const sub = mean && hasType(facts, x, FLOAT_TYPES) ? loneNext(g, u, SUB) : undefined;
    if (sub === undefined || sub.node.input[0] !== x || sub.node.input[1] !== sub.value) return undefined;
    const d = sub.node.output[0] ?? '';
    const readers = g.readersOf(d);
    const pow = readers.find((r) => single(r, 'Pow') !== undefined && r.anchor.input[0] === d);
    const div = readers.find((r) => single(r, 'Div') !== undefined && r.anchor.input[0] === d);
    if (readers.length !== 2 || pow === undefined || div === undefined) return undefined;
    const variance = loneNext(g, pow, REDUCE_MEAN);
    const eps = variance && loneNext(g, variance.unit, ADD);
    const sqrt = eps && loneNext(g, eps.unit, SQRT);
    if (sqrt === undefined || !facts.isConstant(otherInput(eps!.node, eps!.value))) return undefined;
    const normed = loneNext(g, sqrt.unit, DIV);
    if (normed?.unit !== div || div.anchor.input[1] !== normed.value) return undefined;
    const scaled = loneNext(g, div, MUL);
    const shifted = scaled && loneNext(g, scaled.unit, ADD);
    if (shifted === undefined) return undefined;
    const scale = otherInput(scaled!.node, scaled!.value);
    const bias = otherInput(shifted.node, shifted.value);
    if (!isNormParam(facts, scale) || !isNormParam(facts, bias) || dims(facts, scale)![0] !== dims(facts, bias)![0]) return undefined;
    return {
      pattern: 'LayerNormalization',
      transformer: 'LayerNormFusion',
      members: [u, sub.unit, pow, variance!.unit, eps!.unit, sqrt.unit, div, scaled!.unit, shifted.unit],
      kernel: 'LayerNormalization',
      anchor: mean!,
      paramBytes: constantsBytes(facts, [scale, bias]),
    };
  },
};

/** Pow(x, 2) → ReduceMean → Add(ε) → Sqrt → Div(x, ·) → Mul(scale): RMSNorm. */
const simplifiedLayerNorm: Pattern = {
  level: 'extended',
  anchors: POW,
  match(g, u) {
    const { facts } = g;
    const pow = single(u, 'Pow');
    const x = pow?.input[0] ?? '';
    if (pow === undefined || !hasType(facts, x, FLOAT_TYPES) || !constantIs(facts, pow.input[1] ?? '', 2)) return undefined;
    const mean = loneNext(g, u, REDUCE_MEAN);
    const eps = mean && loneNext(g, mean.unit, ADD);
    const sqrt = eps && loneNext(g, eps.unit, SQRT);
    const div = sqrt && loneNext(g, sqrt.unit, DIV);
    if (div === undefined || !facts.isConstant(otherInput(eps!.node, eps!.value)) || div.node.input[0] !== x || div.node.input[1] !== div.value) return undefined;
    const scaled = loneNext(g, div.unit, MUL);
    const scale = scaled && otherInput(scaled.node, scaled.value);
    if (scale === undefined || !isNormParam(facts, scale)) return undefined;
    return {
      pattern: 'SimplifiedLayerNormalization',
      transformer: 'SimplifiedLayerNormFusion',
      members: [u, mean!.unit, eps!.unit, sqrt!.unit, div.unit, scaled!.unit],
      kernel: 'SimplifiedLayerNormalization',
      anchor: pow,
      paramBytes: constantsBytes(facts, [scale]),
    };
  },
};

/**
 * x/√2 → Erf → Add(1), then times x and 0.5 in either order: exact Gelu. From opset 20 onnxruntime
 * writes it as the ONNX Gelu op at level basic, before as com.microsoft.Gelu at level extended.
 */
function geluAt(level: 'basic' | 'extended'): Pattern {
  return {
    level,
    anchors: DIV,
    match(g, u) {
      const onnxGelu = (g.facts.opset ?? 0) >= 20;
      return onnxGelu === (level === 'basic') ? matchGelu(g, u, onnxGelu ? 'Gelu' : 'com.microsoft.Gelu') : undefined;
    },
  };
}

function matchGelu(g: FusionGraph, u: Unit, kernel: string): Match | undefined {
  const { facts } = g;
  const head = single(u, 'Div');
  const [x = '', c = ''] = head?.input ?? [];
  if (head === undefined || !hasType(facts, x, FLOAT_TYPES) || !constantIs(facts, c, Math.SQRT2)) return undefined;
  const erf = loneNext(g, u, ERF);
  const one = erf && loneNext(g, erf.unit, ADD);
  const times = one && loneNext(g, one.unit, MUL);
  if (times === undefined || !constantIs(facts, otherInput(one!.node, one!.value), 1)) return undefined;
  const other = otherInput(times.node, times.value);
  let members: Unit[];
  if (other === x) {
    const half = loneNext(g, times.unit, MUL);
    if (half === undefined || !constantIs(facts, otherInput(half.node, half.value), 0.5)) return undefined;
    members = [u, erf!.unit, one!.unit, times.unit, half.unit];
  } else {
    const halfUnit = g.producer(other);
    const half = single(halfUnit, 'Mul');
    if (half === undefined || !half.input.includes(x) || !constantIs(facts, otherInput(half, x), 0.5)) return undefined;
    members = [halfUnit!, u, erf!.unit, one!.unit, times.unit];
  }
  return { pattern: 'Gelu', transformer: 'GeluFusion', members, kernel, anchor: head, paramBytes: 0 };
}

/** Add of a 1-D bias feeding Gelu (or single-input FastGelu). */
const biasGelu: Pattern = {
  level: 'extended',
  anchors: ADD,
  match(g, u) {
    const add = single(u, 'Add');
    const lone = add && g.loneReader(u);
    if (add === undefined || lone === undefined || add.input.length !== 2) return undefined;
    const next = lone.next;
    const fast = next.kernel === 'com.microsoft.FastGelu';
    if (next.kernel !== 'com.microsoft.Gelu' && !(fast && next.nodes.length === 1 && next.anchor.input.filter((i) => i !== '').length === 1)) return undefined;
    const [a, b] = add.input.map((name) => dims(g.facts, name));
    if (a === undefined || b === undefined || a.length < 1 || b.length < 1 || (a.length !== 1 && b.length !== 1)) return undefined;
    const last = a[a.length - 1];
    if (last === null || last !== b[b.length - 1]) return undefined;
    return {
      pattern: fast ? 'Add+FastGelu' : 'Add+Gelu',
      transformer: 'BiasGeluFusion',
      members: [u, next],
      kernel: fast ? 'com.microsoft.FastGelu' : 'com.microsoft.BiasGelu',
      anchor: next.anchor,
      paramBytes: u.paramBytes + next.paramBytes,
    };
  },
};

/** Add of two same-shape 3-D activations feeding LayerNormalization (a residual before the norm). */
const skipLayerNorm: Pattern = {
  level: 'extended',
  anchors: ADD,
  match(g, u) {
    const add = single(u, 'Add');
    const lone = add && g.loneReader(u);
    if (add === undefined || lone?.next.kernel !== 'LayerNormalization' || add.input.length !== 2 || g.facts.runtimeShapes === 'dynamic') return undefined;
    const [a, b] = add.input.map((name) => dims(g.facts, name));
    if (a?.length !== 3 || b?.length !== 3 || !a.every((d, i) => d !== null && d === b[i]) || !add.input.every((i) => hasType(g.facts, i, SKIP_TYPES))) return undefined;
    return {
      pattern: 'Add+LayerNormalization',
      transformer: 'SkipLayerNormFusion',
      members: [u, lone.next],
      kernel: 'com.microsoft.SkipLayerNormalization',
      anchor: lone.next.anchor,
      paramBytes: u.paramBytes + lone.next.paramBytes,
    };
  },
};

/** x·Sigmoid(x) or x·Sigmoid(αx): SiLU/Swish and QuickGelu. */
const quickGelu: Pattern = {
  level: 'extended',
  anchors: SIGMOID,
  match(g, u) {
    const { facts } = g;
    const sigmoid = single(u, 'Sigmoid');
    const times = sigmoid && loneNext(g, u, MUL);
    if (times === undefined) return undefined;
    const other = otherInput(times.node, times.value);
    const s = sigmoid!.input[0] ?? '';
    const scaledUnit = g.producer(s);
    const scaled = single(scaledUnit, 'Mul');
    const alpha = scaled?.input.find((i) => facts.isConstant(i) && (facts.shape(i)?.every((d) => d === 1) ?? false) && (facts.shape(i)?.length ?? 2) <= 1);
    const base = { transformer: 'QuickGeluFusion', kernel: 'com.microsoft.QuickGelu', anchor: sigmoid!, paramBytes: 0 };
    if (alpha !== undefined && otherInput(scaled!, alpha) === other && g.loneReader(scaledUnit!)?.next === u) {
      return { ...base, pattern: 'Mul+Sigmoid+Mul', members: [scaledUnit!, u, times.unit] };
    }
    return other === s ? { ...base, pattern: 'Sigmoid+Mul', members: [u, times.unit] } : undefined;
  },
};

export const TRANSFORMER_FUSIONS: readonly Pattern[] = [geluAt('basic'), layerNorm, geluAt('extended'), simplifiedLayerNorm, biasGelu, skipLayerNorm, quickGelu];
