/**
 * The ONNX protobuf schema (onnx.in.proto, IR version 11 and the types added since), as a table
 * that drives one generic decoder and encoder. Field names are the camelCase of the proto names.
 */

export type ScalarKind =
  | 'string' // UTF-8 text, decoded
  | 'bytes' // a view into the input, never copied
  | 'int32'
  | 'int64' // must fit a JS number exactly
  | 'int64big' // exact signed 64-bit, as bigint
  | 'uint64big'
  | 'float'
  | 'double';

/** Repeated numbers kept as views of their wire bytes until someone asks for values. */
export type LazyKind = 'lazyFloat' | 'lazyDouble' | 'lazyInt32' | 'lazyInt64' | 'lazyUint64';

export interface FieldSpec {
  readonly no: number;
  readonly name: string;
  readonly kind: ScalarKind | LazyKind | MessageName;
  readonly repeated?: boolean;
  /** Singular field whose absence differs from its default value (kept as `undefined`). */
  readonly presence?: boolean;
}

export type MessageName =
  | 'Model'
  | 'Graph'
  | 'Node'
  | 'Attribute'
  | 'ValueInfo'
  | 'Tensor'
  | 'Segment'
  | 'SparseTensor'
  | 'TensorShape'
  | 'Dimension'
  | 'Type'
  | 'TypeTensor'
  | 'TypeSequence'
  | 'TypeMap'
  | 'TypeOptional'
  | 'TypeOpaque'
  | 'OperatorSetId'
  | 'StringStringEntry'
  | 'TensorAnnotation'
  | 'TrainingInfo'
  | 'Function'
  | 'DeviceConfiguration'
  | 'NodeDeviceConfiguration'
  | 'ShardingSpec'
  | 'IntIntListEntry'
  | 'ShardedDim'
  | 'SimpleShardedDim';

const f = (no: number, name: string, kind: FieldSpec['kind'], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  no,
  name,
  kind,
  ...extra,
});
const rep = { repeated: true } as const;
const opt = { presence: true } as const;

export const SCHEMA: Readonly<Record<MessageName, readonly FieldSpec[]>> = {
  Model: [
    f(1, 'irVersion', 'int64'),
    f(2, 'producerName', 'string'),
    f(3, 'producerVersion', 'string'),
    f(4, 'domain', 'string'),
    f(5, 'modelVersion', 'int64'),
    f(6, 'docString', 'string'),
    f(7, 'graph', 'Graph'),
    f(8, 'opsetImport', 'OperatorSetId', rep),
    f(14, 'metadataProps', 'StringStringEntry', rep),
    f(20, 'trainingInfo', 'TrainingInfo', rep),
    f(25, 'functions', 'Function', rep),
    f(26, 'configuration', 'DeviceConfiguration', rep),
  ],
  Graph: [
    f(1, 'node', 'Node', rep),
    f(2, 'name', 'string'),
    f(5, 'initializer', 'Tensor', rep),
    f(10, 'docString', 'string'),
    f(11, 'input', 'ValueInfo', rep),
    f(12, 'output', 'ValueInfo', rep),
    f(13, 'valueInfo', 'ValueInfo', rep),
    f(14, 'quantizationAnnotation', 'TensorAnnotation', rep),
    f(15, 'sparseInitializer', 'SparseTensor', rep),
    f(16, 'metadataProps', 'StringStringEntry', rep),
  ],
  Node: [
    f(1, 'input', 'string', rep),
    f(2, 'output', 'string', rep),
    f(3, 'name', 'string'),
    f(4, 'opType', 'string'),
    f(5, 'attribute', 'Attribute', rep),
    f(6, 'docString', 'string'),
    f(7, 'domain', 'string'),
    f(8, 'overload', 'string'),
    f(9, 'metadataProps', 'StringStringEntry', rep),
    f(10, 'deviceConfigurations', 'NodeDeviceConfiguration', rep),
  ],
  Attribute: [
    f(1, 'name', 'string'),
    f(2, 'f', 'float', opt),
    f(3, 'i', 'int64big', opt),
    f(4, 's', 'bytes', opt),
    f(5, 't', 'Tensor'),
    f(6, 'g', 'Graph'),
    f(7, 'floats', 'float', rep),
    f(8, 'ints', 'int64big', rep),
    f(9, 'strings', 'bytes', rep),
    f(10, 'tensors', 'Tensor', rep),
    f(11, 'graphs', 'Graph', rep),
    f(13, 'docString', 'string'),
    f(14, 'tp', 'Type'),
    f(15, 'typeProtos', 'Type', rep),
    f(20, 'type', 'int32'),
    f(21, 'refAttrName', 'string'),
    f(22, 'sparseTensor', 'SparseTensor'),
    f(23, 'sparseTensors', 'SparseTensor', rep),
  ],
  ValueInfo: [
    f(1, 'name', 'string'),
    f(2, 'type', 'Type'),
    f(3, 'docString', 'string'),
    f(4, 'metadataProps', 'StringStringEntry', rep),
  ],
  Tensor: [
    f(1, 'dims', 'int64', rep),
    f(2, 'dataType', 'int32'),
    f(3, 'segment', 'Segment'),
    f(4, 'floatData', 'lazyFloat'),
    f(5, 'int32Data', 'lazyInt32'),
    f(6, 'stringData', 'bytes', rep),
    f(7, 'int64Data', 'lazyInt64'),
    f(8, 'name', 'string'),
    f(9, 'rawData', 'bytes', opt),
    f(10, 'doubleData', 'lazyDouble'),
    f(11, 'uint64Data', 'lazyUint64'),
    f(12, 'docString', 'string'),
    f(13, 'externalData', 'StringStringEntry', rep),
    f(14, 'dataLocation', 'int32'),
    f(16, 'metadataProps', 'StringStringEntry', rep),
  ],
  Segment: [f(1, 'begin', 'int64'), f(2, 'end', 'int64')],
  SparseTensor: [f(1, 'values', 'Tensor'), f(2, 'indices', 'Tensor'), f(3, 'dims', 'int64', rep)],
  TensorShape: [f(1, 'dim', 'Dimension', rep)],
  Dimension: [f(1, 'dimValue', 'int64', opt), f(2, 'dimParam', 'string', opt), f(3, 'denotation', 'string')],
  Type: [
    f(1, 'tensorType', 'TypeTensor'),
    f(4, 'sequenceType', 'TypeSequence'),
    f(5, 'mapType', 'TypeMap'),
    f(6, 'denotation', 'string'),
    f(7, 'opaqueType', 'TypeOpaque'),
    f(8, 'sparseTensorType', 'TypeTensor'),
    f(9, 'optionalType', 'TypeOptional'),
  ],
  TypeTensor: [f(1, 'elemType', 'int32'), f(2, 'shape', 'TensorShape')],
  TypeSequence: [f(1, 'elemType', 'Type')],
  TypeMap: [f(1, 'keyType', 'int32'), f(2, 'valueType', 'Type')],
  TypeOptional: [f(1, 'elemType', 'Type')],
  TypeOpaque: [f(1, 'domain', 'string'), f(2, 'name', 'string')],
  OperatorSetId: [f(1, 'domain', 'string'), f(2, 'version', 'int64')],
  StringStringEntry: [f(1, 'key', 'string'), f(2, 'value', 'string')],
  TensorAnnotation: [f(1, 'tensorName', 'string'), f(2, 'quantParameterTensorNames', 'StringStringEntry', rep)],
  TrainingInfo: [
    f(1, 'initialization', 'Graph'),
    f(2, 'algorithm', 'Graph'),
    f(3, 'initializationBinding', 'StringStringEntry', rep),
    f(4, 'updateBinding', 'StringStringEntry', rep),
  ],
  Function: [
    f(1, 'name', 'string'),
    f(4, 'input', 'string', rep),
    f(5, 'output', 'string', rep),
    f(6, 'attribute', 'string', rep),
    f(7, 'node', 'Node', rep),
    f(8, 'docString', 'string'),
    f(9, 'opsetImport', 'OperatorSetId', rep),
    f(10, 'domain', 'string'),
    f(11, 'attributeProto', 'Attribute', rep),
    f(12, 'valueInfo', 'ValueInfo', rep),
    f(13, 'overload', 'string'),
    f(14, 'metadataProps', 'StringStringEntry', rep),
  ],
  DeviceConfiguration: [f(1, 'name', 'string'), f(2, 'numDevices', 'int32'), f(3, 'device', 'string', rep)],
  NodeDeviceConfiguration: [
    f(1, 'configurationId', 'string'),
    f(2, 'shardingSpec', 'ShardingSpec', rep),
    f(3, 'pipelineStage', 'int32'),
  ],
  ShardingSpec: [
    f(1, 'tensorName', 'string'),
    f(2, 'device', 'int64', rep),
    f(3, 'indexToDeviceGroupMap', 'IntIntListEntry', rep),
    f(4, 'shardedDim', 'ShardedDim', rep),
  ],
  IntIntListEntry: [f(1, 'key', 'int64'), f(2, 'value', 'int64', rep)],
  ShardedDim: [f(1, 'axis', 'int64'), f(2, 'simpleSharding', 'SimpleShardedDim', rep)],
  SimpleShardedDim: [f(1, 'dimValue', 'int64', opt), f(2, 'dimParam', 'string', opt), f(3, 'numShards', 'int64')],
};

export function isMessageKind(kind: FieldSpec['kind']): kind is MessageName {
  return kind in SCHEMA;
}

export function isLazyKind(kind: FieldSpec['kind']): kind is LazyKind {
  return kind.startsWith('lazy');
}
