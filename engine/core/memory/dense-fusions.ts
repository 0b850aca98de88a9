/**
 * onnxruntime's matrix-multiply fusions (onnxruntime/core/optimizer/): MatMulAddFusion turns
 * MatMul + bias Add into Gemm (level basic; inputs of rank ≠ 2 are reshaped around it, which costs
 * no traffic); GemmActivationFusion makes a FusedGemm with its activation and MatMulScaleFusion a
 * FusedMatMul that scales by a constant (extended). MatmulTransposeFusion is not modelled: the
 * transpose optimizer moves Transposes first, so which ones reach a MatMul is hard to foresee.
 */
import { DataType } from '../onnx/data-types.js';
import type { Dim, ValueType } from '../shape/types.js';
import type { GraphFacts } from './facts.js';
import type { Unit } from './fusion-graph.js';
import { FLOAT_TYPES, hasType, loneNext, otherInput, single, type Pattern } from './pattern.js';

const GEMM_TYPES: ReadonlySet<number> = new Set([DataType.FLOAT, DataType.FLOAT16, DataType.BFLOAT16]);
const MATMUL = new Set(['MatMul']);
const ADD = new Set(['Add']);
const SCALE = new Set(['Mul', 'Div']);

/** Activations FusedGemm computes. */
const GEMM_ACTIVATIONS = new Set(['Elu', 'HardSigmoid', 'LeakyRelu', 'Relu', 'Selu', 'Sigmoid', 'Softplus', 'Softsign', 'Tanh', 'ThresholdedRelu']);

function shapeOf(t: ValueType | undefined): readonly Dim[] | undefined {
  return t?.kind === 'tensor' ? t.shape : undefined;
}

const matMulAdd: Pattern = {
  level: 'basic',
  anchors: MATMUL,
  match(g, u) {
    const { facts } = g;
    const matmul = single(u, 'MatMul');
    const next = matmul && loneNext(g, u, ADD);
    if (matmul === undefined || next === undefined) return undefined;
    const [a = '', b = ''] = matmul.input;
    const dtype = facts.dtype(a);
    if (dtype === undefined || !GEMM_TYPES.has(dtype) || facts.dtype(next.node.input[0] ?? '') !== dtype) return undefined;
    const aShape = shapeOf(facts.typeOf(a));
    const bShape = shapeOf(facts.typeOf(b));
    if (aShape === undefined || bShape?.length !== 2) return undefined;
    const reshaped = aShape.length !== 2;
    // Reshaping around Gemm needs the input's whole shape, as onnxruntime infers it, and the weight's dims as numbers.
    if (reshaped && (facts.runtimeShapes !== 'static' || facts.shape(a) === undefined || typeof bShape[0] !== 'number' || typeof bShape[1] !== 'number')) return undefined;
    const n = bShape[1];
    const bias = otherInput(next.node, next.value);
    const c = shapeOf(facts.typeOf(bias));
    if (c === undefined || n === null) return undefined;
    const fits = (c.length === 1 && c[0] === n) || (!reshaped && c.length === 2 && ((c[0] === 1 && c[1] === n) || (c[0] === aShape[0] && c[0] !== null && (c[1] === 1 || c[1] === n))));
    if (!fits) return undefined;
    return { pattern: 'MatMul+Add', transformer: 'MatMulAddFusion', members: [u, next.unit], kernel: 'Gemm', anchor: matmul, paramBytes: u.paramBytes + next.unit.paramBytes };
  },
};

const gemmActivation: Pattern = {
  level: 'extended',
  anchors: new Set(['Gemm']),
  match(g, u) {
    // A Gemm made from a MatMul on rank ≠ 2 inputs is followed by a Reshape, not by the activation.
    if (u.kernel !== 'Gemm' || shapeOf(g.facts.typeOf(u.anchor.input[0] ?? ''))?.length !== 2) return undefined;
    const next = loneNext(g, u, GEMM_ACTIVATIONS);
    if (next === undefined) return undefined;
    return {
      pattern: `Gemm+${next.node.opType}`,
      transformer: 'GemmActivationFusion',
      members: [u, next.unit],
      kernel: 'com.microsoft.FusedGemm',
      anchor: u.anchor,
      paramBytes: u.paramBytes,
    };
  },
};

/** A constant of one element (any rank). */
function isScalarConstant(facts: GraphFacts, name: string): boolean {
  return facts.isConstant(name) && (facts.shape(name)?.every((d) => d === 1) ?? false);
}

/** MatMul with a constant scalar Mul on an input, or a constant scalar Mul or Div on its output (attention's 1/√d). */
export const matMulScale: Pattern = {
  level: 'extended',
  anchors: MATMUL,
  match(g, u) {
    const { facts } = g;
    const matmul = single(u, 'MatMul');
    if (matmul === undefined || !hasType(facts, matmul.input[0] ?? '', FLOAT_TYPES)) return undefined;
    const scales: Unit[] = [];
    for (const name of matmul.input) {
      const p = g.producer(name);
      const mul = single(p, 'Mul');
      if (mul !== undefined && mul.input.some((i) => isScalarConstant(facts, i)) && g.loneReader(p!)?.next === u) scales.push(p!);
    }
    const out = loneNext(g, u, SCALE);
    const scaledOut = out && (out.node.opType === 'Mul' ? isScalarConstant(facts, otherInput(out.node, out.value)) : out.node.input[0] === out.value && isScalarConstant(facts, out.node.input[1] ?? ''));
    const members = scaledOut ? [...scales, u, out!.unit] : [...scales, u];
    if (members.length === 1) return undefined;
    return {
      pattern: members.map((m) => m.kernel).join('+'),
      transformer: 'MatMulScaleFusion',
      members,
      kernel: 'com.microsoft.FusedMatMul',
      anchor: matmul,
      paramBytes: u.paramBytes,
    };
  },
};

export const DENSE_FUSIONS: readonly Pattern[] = [matMulAdd, gemmActivation];
