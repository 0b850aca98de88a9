import { isStandardOp } from '../graph/node-label.js';
import { node as makeNode } from '../onnx/build.js';
import { DataType } from '../onnx/data-types.js';
import type { ModelProto, NodeProto } from '../onnx/types.js';
import { inferShapes } from '../shape/infer.js';
import type { ValueType } from '../shape/types.js';
import { loneReader } from './rewire.js';
import { defaultOpset } from '../graph/node-label.js';
import { rewriteInRounds, type Round } from './rounds.js';
import type { Pass, PassOptions, PassResult } from './types.js';

/** Element types Gemm takes in every opset since 7. */
const GEMM_TYPES: ReadonlySet<number> = new Set([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE]);

/** The Add that alone reads a MatMul's output, when the MatMul has one. */
function biasAdd(round: Round, matmul: NodeProto): NodeProto | undefined {
  if (!isStandardOp(matmul, 'MatMul')) return undefined;
  const add = loneReader(round.view, matmul.output[0] ?? '');
  return add !== undefined && isStandardOp(add, 'Add') && add.input.length === 2 ? add : undefined;
}

/**
 * True when the bias broadcasts into the [M, N] product without growing it: rank ≤ 2 and each
 * dim 1 or the product's (M only when shape inference knows it as a number).
 */
function fitsProduct(bias: readonly number[], m: number | string | null, n: number): boolean {
  if (bias.length > 2) return false;
  const [rows, cols] = bias.length === 2 ? bias : [1, bias[0] ?? 1];
  return (rows === 1 || rows === m) && (cols === 1 || cols === n);
}

function fuse(round: Round, typeOf: (name: string) => ValueType | undefined): void {
  const { graph, constants, log } = round;
  for (const matmul of graph.node) {
    const add = biasAdd(round, matmul);
    if (add === undefined) continue;
    const [a = '', b = ''] = matmul.input;
    const bias = add.input[0] === matmul.output[0] ? add.input[1]! : add.input[0]!;
    const ta = typeOf(a);
    const weight = constants.tensor(b);
    const c = constants.tensor(bias);
    if (ta?.kind !== 'tensor' || ta.shape?.length !== 2 || !GEMM_TYPES.has(ta.dtype) || weight?.dataType !== ta.dtype || c?.dataType !== ta.dtype) continue;
    if (weight.dims.length !== 2 || !fitsProduct(c.dims, ta.shape[0]!, weight.dims[1]!)) continue;
    const gemm = makeNode('Gemm', [a, b, bias], [add.output[0]!], [], { name: matmul.name !== '' ? matmul.name : add.name });
    // In the Add's place: the bias may be made by a Constant node between the two.
    graph.node[graph.node.indexOf(add)] = gemm;
    graph.valueInfo = graph.valueInfo.filter((v) => v.name !== matmul.output[0]);
    round.remove(matmul);
    log.add('merged', [matmul, add], gemm, `${log.label(matmul)} (a 2-D input times a constant [${weight.dims.join(', ')}]) and ${log.label(add)} (a constant bias [${c.dims.join(', ')}]) became one Gemm.`);
  }
}

function run(model: ModelProto, options: PassOptions): PassResult {
  // Gemm's C broadcasts from opset 7 on; and shapes are worth inferring only when there is a MatMul.
  if (defaultOpset(model) < 7 || model.graph?.node.some((n) => isStandardOp(n, 'MatMul')) !== true) return { model, changes: [] };
  const inferred = inferShapes(model, { inputDims: options.inputDims });
  return rewriteInRounds(model, 'fuse-matmul-add', (round) => fuse(round, (name) => inferred.typeOf(name)));
}

/** Turns MatMul + constant bias Add on 2-D inputs into Gemm. */
export const fuseMatMulAddPass: Pass = {
  id: 'fuse-matmul-add',
  title: 'Fuse MatMul and Add into Gemm',
  summary:
    'Turns a MatMul of a 2-D input and a constant 2-D weight, followed by an Add of a constant bias that broadcasts to the product ([N], [1, N], [M, N]), into one Gemm. Inputs of other ranks stay: Gemm is 2-D only (shape inference must know the rank; pass input dims for symbolic inputs).',
  run,
};
