import { dataTypeName, isExternal, tensorByteSize, tensorElementCount, tensorValues, type GraphProto, type TensorProto } from '../core/onnx/index.js';
import { ARRAY_KIND_OF_DTYPE, MAX_TENSOR_BYTES, WorkbenchError, type TensorData } from '../protocol/index.js';
import { readExternalTensor, type OpenedModel } from './model-file.js';

const MIB = 1024 * 1024;

/** Weights live in initializers, or (as some exporters write them) in Constant nodes' `value`. */
function findWeight(graph: GraphProto | undefined, name: string): TensorProto | undefined {
  const initializer = graph?.initializer.find((t) => t.name === name);
  if (initializer !== undefined) return initializer;
  const constant = graph?.node.find((n) => n.opType === 'Constant' && n.output[0] === name);
  return constant?.attribute.find((a) => a.name === 'value')?.t;
}

/** The elements of the main graph's initializer (or Constant) `name`, as the typed array `model.tensor` sends. */
export async function initializerData(opened: OpenedModel, name: string): Promise<TensorData> {
  const tensor = findWeight(opened.model.graph, name);
  if (tensor === undefined) throw new WorkbenchError('not-found', `${opened.fileName} has no initializer or constant named "${name.slice(0, 200)}".`);
  const dtype = dataTypeName(tensor.dataType);
  if (ARRAY_KIND_OF_DTYPE[dtype] === undefined) {
    throw new WorkbenchError('unsupported', `${name} holds ${dtype} elements; Whittle can show ${Object.keys(ARRAY_KIND_OF_DTYPE).join(', ')} tensors.`);
  }
  const bytes = tensorByteSize(tensor);
  if (bytes > MAX_TENSOR_BYTES) {
    throw new WorkbenchError('unsupported', `${name} is ${(bytes / MIB).toFixed(1)} MiB (dims [${tensor.dims.join(', ')}]); Whittle shows tensors up to ${MAX_TENSOR_BYTES / MIB} MiB.`);
  }
  const values = tensorValues(tensor, isExternal(tensor) ? await readExternalTensor(opened, tensor) : undefined);
  if (values === undefined || values.length !== tensorElementCount(tensor)) {
    throw new WorkbenchError('bad-model', `${opened.fileName}: initializer ${name} holds ${values?.length ?? 0} elements, but its dims [${tensor.dims.join(', ')}] need ${tensorElementCount(tensor)}.`);
  }
  // A copy: the values may view the whole model file's buffer, and a structured clone would send all of it.
  return { name, dtype, dims: [...tensor.dims], data: values.slice() };
}
