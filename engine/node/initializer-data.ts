import { dataTypeName, isExternal, tensorByteSize, tensorElementCount, tensorValues, type GraphProto, type TensorProto, type TensorValues } from '../core/onnx/index.js';
import { summarizeTensor, type TensorSummary } from '../core/stats/index.js';
import { numericValues } from '../core/tensor/numeric-values.js';
import { isStandardOp } from '../core/graph/node-label.js';
import { constantNodeTensor } from '../core/optimize/constants.js';
import { ARRAY_KIND_OF_DTYPE, MAX_TENSOR_BYTES, WorkbenchError, type TensorData } from '../protocol/index.js';
import { readExternalTensor, type OpenedModel } from './model-file.js';

const MIB = 1024 * 1024;

/** Largest weight summarized; 16-bit floats and 64-bit integers are held as doubles while counting. */
const MAX_SUMMARY_BYTES = 1024 * MIB;

/** Weights live in initializers, or (as some exporters write them) in Constant nodes. */
function findWeight(graph: GraphProto | undefined, name: string): TensorProto | undefined {
  const initializer = graph?.initializer.find((t) => t.name === name);
  if (initializer !== undefined) return initializer;
  const constant = graph?.node.find((n) => isStandardOp(n, 'Constant') && n.output[0] === name);
  return constant === undefined ? undefined : constantNodeTensor(constant);
}

/** A weight's elements, read (from external data too) and checked against its dims. */
async function readWeight(opened: OpenedModel, name: string, maxBytes: number, purpose: string): Promise<{ dtype: string; dims: number[]; values: TensorValues }> {
  const tensor = findWeight(opened.model.graph, name);
  if (tensor === undefined) throw new WorkbenchError('not-found', `${opened.fileName} has no initializer or constant named "${name.slice(0, 200)}".`);
  const dtype = dataTypeName(tensor.dataType);
  if (ARRAY_KIND_OF_DTYPE[dtype] === undefined) {
    throw new WorkbenchError('unsupported', `${name} holds ${dtype} elements; Whittle can show ${Object.keys(ARRAY_KIND_OF_DTYPE).join(', ')} tensors.`);
  }
  const bytes = tensorByteSize(tensor);
  if (bytes > maxBytes) {
    throw new WorkbenchError('unsupported', `${name} is ${(bytes / MIB).toFixed(1)} MiB (dims [${tensor.dims.join(', ')}]); Whittle ${purpose} tensors up to ${maxBytes / MIB} MiB.`);
  }
  await opened.loadWeights();
  const values = tensorValues(tensor, isExternal(tensor) ? await readExternalTensor(opened, tensor) : undefined);
  if (values === undefined || values.length !== tensorElementCount(tensor)) {
    throw new WorkbenchError('bad-model', `${opened.fileName}: initializer ${name} holds ${values?.length ?? 0} elements, but its dims [${tensor.dims.join(', ')}] need ${tensorElementCount(tensor)}.`);
  }
  return { dtype, dims: [...tensor.dims], values };
}

/** The elements of the main graph's initializer (or Constant) `name`, as the typed array `model.tensor` sends. */
export async function initializerData(opened: OpenedModel, name: string): Promise<TensorData> {
  const { dtype, dims, values } = await readWeight(opened, name, MAX_TENSOR_BYTES, 'sends');
  // A copy: the values may view the whole model file's buffer, and a structured clone would send all of it.
  return { name, dtype, dims, data: values.slice() };
}

/** Statistics and histogram of the main graph's initializer (or Constant) `name`. */
export async function initializerSummary(opened: OpenedModel, name: string): Promise<TensorSummary> {
  const { dtype, dims, values } = await readWeight(opened, name, MAX_SUMMARY_BYTES, 'summarizes');
  return summarizeTensor(dtype, dims, numericValues(dtype, values));
}
