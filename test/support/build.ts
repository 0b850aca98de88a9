/**
 * Builders for hand-made ONNX models. Each returns an object shaped exactly as the decoder
 * returns it (every repeated field present, absent optional fields left out), so a test can
 * compare a built model with decode(encode(model)) field by field.
 */
import type {
  AttributeProto,
  FunctionProto,
  GraphProto,
  ModelProto,
  NodeProto,
  OperatorSetId,
  SparseTensorProto,
  StringStringEntry,
  TensorProto,
  TypeProto,
  ValueInfoProto,
} from '../../engine/core/onnx/index.js';

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

export function sparseTensor(values: TensorProto, indices: TensorProto, dims: number[]): SparseTensorProto {
  return { values, indices, dims };
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

export function valueInfo(name: string, elemType: number, shape?: readonly (number | string | null)[]): ValueInfoProto {
  return { name, type: tensorType(elemType, shape), docString: '', metadataProps: [] };
}

export function node(opType: string, input: string[], output: string[], attribute: AttributeProto[] = [], extra: Partial<NodeProto> = {}): NodeProto {
  return { input, output, name: '', opType, attribute, docString: '', domain: '', overload: '', metadataProps: [], deviceConfigurations: [], ...extra };
}

function attribute(name: string, type: number, fields: Partial<AttributeProto>): AttributeProto {
  return { name, floats: [], ints: [], strings: [], tensors: [], graphs: [], docString: '', typeProtos: [], type, refAttrName: '', sparseTensors: [], ...fields };
}

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

export function entry(key: string, value: string): StringStringEntry {
  return { key, value };
}

export function fn(fields: Partial<FunctionProto> & { name: string; domain: string }): FunctionProto {
  return { input: [], output: [], attribute: [], node: [], docString: '', opsetImport: [], attributeProto: [], valueInfo: [], overload: '', metadataProps: [], ...fields };
}

/** A model around `g`: IR 10 and opset 21 of the default domain unless told otherwise. */
export function model(g: GraphProto, fields: Partial<ModelProto> = {}): ModelProto {
  return {
    irVersion: 10,
    producerName: 'whittle-test',
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

/** Unsigned LEB128 varints of 64-bit two's-complement values: the bytes of a packed int field. */
export function varintBytes(values: readonly (bigint | number)[]): Uint8Array {
  const out: number[] = [];
  for (const v of values) {
    let u = BigInt.asUintN(64, BigInt(v));
    while (u >= 0x80n) {
      out.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    out.push(Number(u));
  }
  return Uint8Array.from(out);
}

/** Little-endian bytes of typed values (what raw_data and packed float/double fields hold). */
export function leBytes(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}
