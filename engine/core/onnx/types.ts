/**
 * The decoded ONNX model: plain objects mirroring onnx.proto (see schema.ts). Byte fields are
 * views into the buffer the model was decoded from.
 */

/** Repeated numbers as they sit on the wire (packed payloads or single elements), not yet decoded. */
export type LazyNumbers = Uint8Array[];

/** Fields this version of the schema does not know, kept as raw bytes (tag included) and re-encoded as is. */
export interface WithUnknown {
  unknownFields?: Uint8Array[];
}

export interface StringStringEntry extends WithUnknown {
  key: string;
  value: string;
}

export interface OperatorSetId extends WithUnknown {
  domain: string;
  version: number;
}

export interface ModelProto extends WithUnknown {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graph?: GraphProto;
  opsetImport: OperatorSetId[];
  metadataProps: StringStringEntry[];
  trainingInfo: TrainingInfoProto[];
  functions: FunctionProto[];
  configuration: DeviceConfigurationProto[];
}

export interface GraphProto extends WithUnknown {
  node: NodeProto[];
  name: string;
  initializer: TensorProto[];
  docString: string;
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
  quantizationAnnotation: TensorAnnotation[];
  sparseInitializer: SparseTensorProto[];
  metadataProps: StringStringEntry[];
}

export interface NodeProto extends WithUnknown {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: AttributeProto[];
  docString: string;
  domain: string;
  overload: string;
  metadataProps: StringStringEntry[];
  deviceConfigurations: NodeDeviceConfigurationProto[];
}

/** AttributeProto.AttributeType */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

export interface AttributeProto extends WithUnknown {
  name: string;
  f?: number;
  i?: bigint;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats: number[];
  ints: bigint[];
  strings: Uint8Array[];
  tensors: TensorProto[];
  graphs: GraphProto[];
  docString: string;
  tp?: TypeProto;
  typeProtos: TypeProto[];
  type: number;
  refAttrName: string;
  sparseTensor?: SparseTensorProto;
  sparseTensors: SparseTensorProto[];
}

export interface ValueInfoProto extends WithUnknown {
  name: string;
  type?: TypeProto;
  docString: string;
  metadataProps: StringStringEntry[];
}

/** TensorProto.DataLocation */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

export interface TensorProto extends WithUnknown {
  dims: number[];
  dataType: number;
  segment?: { begin: number; end: number } & WithUnknown;
  floatData: LazyNumbers;
  int32Data: LazyNumbers;
  stringData: Uint8Array[];
  int64Data: LazyNumbers;
  name: string;
  rawData?: Uint8Array;
  doubleData: LazyNumbers;
  uint64Data: LazyNumbers;
  docString: string;
  externalData: StringStringEntry[];
  dataLocation: number;
  metadataProps: StringStringEntry[];
}

export interface SparseTensorProto extends WithUnknown {
  values?: TensorProto;
  indices?: TensorProto;
  dims: number[];
}

export interface TensorShapeProto extends WithUnknown {
  dim: DimensionProto[];
}

/** One dimension: a number, a symbolic name, or neither (unknown). */
export interface DimensionProto extends WithUnknown {
  dimValue?: number;
  dimParam?: string;
  denotation: string;
}

export interface TypeProto extends WithUnknown {
  tensorType?: TypeTensor;
  sequenceType?: { elemType?: TypeProto } & WithUnknown;
  mapType?: { keyType: number; valueType?: TypeProto } & WithUnknown;
  denotation: string;
  opaqueType?: { domain: string; name: string } & WithUnknown;
  sparseTensorType?: TypeTensor;
  optionalType?: { elemType?: TypeProto } & WithUnknown;
}

export interface TypeTensor extends WithUnknown {
  elemType: number;
  /** Absent: rank unknown. Present with no dims: a scalar. */
  shape?: TensorShapeProto;
}

export interface TensorAnnotation extends WithUnknown {
  tensorName: string;
  quantParameterTensorNames: StringStringEntry[];
}

export interface TrainingInfoProto extends WithUnknown {
  initialization?: GraphProto;
  algorithm?: GraphProto;
  initializationBinding: StringStringEntry[];
  updateBinding: StringStringEntry[];
}

export interface FunctionProto extends WithUnknown {
  name: string;
  input: string[];
  output: string[];
  attribute: string[];
  node: NodeProto[];
  docString: string;
  opsetImport: OperatorSetId[];
  domain: string;
  attributeProto: AttributeProto[];
  valueInfo: ValueInfoProto[];
  overload: string;
  metadataProps: StringStringEntry[];
}

export interface DeviceConfigurationProto extends WithUnknown {
  name: string;
  numDevices: number;
  device: string[];
}

export interface NodeDeviceConfigurationProto extends WithUnknown {
  configurationId: string;
  shardingSpec: ShardingSpecProto[];
  pipelineStage: number;
}

export interface ShardingSpecProto extends WithUnknown {
  tensorName: string;
  device: number[];
  indexToDeviceGroupMap: { key: number; value: number[] }[];
  shardedDim: {
    axis: number;
    simpleSharding: { dimValue?: number; dimParam?: string; numShards: number }[];
  }[];
}
