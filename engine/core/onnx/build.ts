/**
 * Builders for ONNX models made in code (device micro-benchmarks, rewrites, tests). Each returns
 * an object shaped exactly as the decoder returns it (every repeated field present, absent
 * optional fields left out), so a built model compares field by field with decode(encode(model)).
 */
import type { AttributeProto, GraphProto, ModelProto, NodeProto, OperatorSetId, SparseTensorProto, TensorProto, TypeProto, ValueInfoProto } from './types.js';

/** A tensor with every repeated field present; `dataType` is the only field required. */
export function tensor(fields: Partial<TensorProto> & { dataType: number }): TensorProto {
  return {
    dims: [],
    floatData: [],
    int32Data: [],
    stringData: [],
    int64Data: [],
    name: '',
    doubleData: [],
    uint64Data: [],
    docString: '',
    externalData: [],
    dataLocation: 0,
    metadataProps: [],
    ...fields,
  };
}

/** Tensor type; `shape` undefined means rank unknown, a null dim is a Dimension with neither value nor name. */
export function tensorType(elemType: number, shape?: readonly (number | string | null)[]): TypeProto {
  const t: TypeProto = { denotation: '', tensorType: { elemType } };
  if (shape !== undefined) {
    t.tensorType!.shape = {
      dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d, denotation: '' } : typeof d === 'string' ? { dimParam: d, denotation: '' } : { denotation: '' })),
    };
  }
  return t;
}

/** A graph input, output or value_info entry of tensor type. */
export function valueInfo(name: string, elemType: number, shape?: readonly (number | string | null)[]): ValueInfoProto {
  return { name, type: tensorType(elemType, shape), docString: '', metadataProps: [] };
}

/** A node of the default domain unless `extra` says otherwise. */
export function node(opType: string, input: string[], output: string[], attribute: AttributeProto[] = [], extra: Partial<NodeProto> = {}): NodeProto {
  return { input, output, name: '', opType, attribute, docString: '', domain: '', overload: '', metadataProps: [], deviceConfigurations: [], ...extra };
}

function attribute(name: string, type: number, fields: Partial<AttributeProto>): AttributeProto {
  return { name, floats: [], ints: [], strings: [], tensors: [], graphs: [], docString: '', typeProtos: [], type, refAttrName: '', sparseTensors: [], ...fields };
}

/** Node attributes, one builder per AttributeProto type. */
export const attr = {
  float: (name: string, f: number) => attribute(name, 1, { f }),
  int: (name: string, i: bigint | number) => attribute(name, 2, { i: BigInt(i) }),
  string: (name: string, s: string) => attribute(name, 3, { s: new TextEncoder().encode(s) }),
  tensor: (name: string, t: TensorProto) => attribute(name, 4, { t }),
  graph: (name: string, g: GraphProto) => attribute(name, 5, { g }),
  floats: (name: string, floats: number[]) => attribute(name, 6, { floats }),
  ints: (name: string, ints: (bigint | number)[]) => attribute(name, 7, { ints: ints.map((v) => BigInt(v)) }),
  sparseTensor: (name: string, sparseTensor: SparseTensorProto) => attribute(name, 11, { sparseTensor }),
};

/** A graph named "g" with every repeated field present. */
export function graph(fields: Partial<GraphProto>): GraphProto {
  return {
    node: [],
    name: 'g',
    initializer: [],
    docString: '',
    input: [],
    output: [],
    valueInfo: [],
    quantizationAnnotation: [],
    sparseInitializer: [],
    metadataProps: [],
    ...fields,
  };
}

export function opset(version: number, domain = ''): OperatorSetId {
  return { domain, version };
}

/** A model around `g`: IR 10 and opset 21 of the default domain unless told otherwise. */
export function model(g: GraphProto, fields: Partial<ModelProto> = {}): ModelProto {
  return {
    irVersion: 10,
    producerName: 'whittle',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    graph: g,
    opsetImport: [opset(21)],
    metadataProps: [],
    trainingInfo: [],
    functions: [],
    configuration: [],
    ...fields,
  };
}

/** Little-endian bytes of typed values (what raw_data and packed float/double fields hold). */
export function leBytes(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}
