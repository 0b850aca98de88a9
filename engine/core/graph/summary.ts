import { DataType, dataTypeName } from '../onnx/data-types.js';
import { isExternal, tensorByteSize, tensorElementCount } from '../onnx/tensor.js';
import type { AttributeProto, GraphProto, ModelProto, TensorProto, TypeProto, ValueInfoProto } from '../onnx/types.js';
import { forEachGraph } from './graph-view.js';
import { validateModel, type Finding } from './validate.js';
import { DEFAULT_DOMAINS, isStandardOp } from './node-label.js';

/** A graph input or output: dtype and shape with symbolic dims kept by name (null: unknown). */
export interface ValueSummary {
  readonly name: string;
  /** float32, int64…; for non-tensors `sequence<float32>`, `map<string,int64>`, `optional<…>`. */
  readonly dtype: string;
  /** undefined when the rank is unknown. */
  readonly shape?: readonly (number | string | null)[];
}

export interface ExternalDataSummary {
  readonly location: string;
  readonly tensors: number;
  readonly bytes: number;
}

/** What `whittle info` prints and the workbench's summary shows. Plain data, JSON-safe. */
export interface ModelSummary {
  readonly irVersion: number;
  readonly opsets: Readonly<Record<string, number>>;
  readonly producer: { readonly name: string; readonly version: string };
  readonly graphName: string;
  readonly docString: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly inputs: readonly ValueSummary[];
  readonly outputs: readonly ValueSummary[];
  /** Nodes of the main graph and of every subgraph. */
  readonly nodeCount: number;
  readonly subgraphCount: number;
  readonly functionCount: number;
  readonly opTypes: Readonly<Record<string, number>>;
  /** Elements of every constant tensor: initializers and Constant nodes, subgraphs included. */
  readonly params: number;
  /** Bytes those constants take at their data type's width. */
  readonly weightBytes: number;
  readonly externalData: readonly ExternalDataSummary[];
  readonly findings: readonly Finding[];
}

export function describeType(type: TypeProto | undefined): Pick<ValueSummary, 'dtype' | 'shape'> {
  if (type === undefined) return { dtype: 'unknown' };
  const tensor = type.tensorType ?? type.sparseTensorType;
  if (tensor) {
    const shape = tensor.shape?.dim.map((d) => d.dimValue ?? (d.dimParam !== undefined && d.dimParam !== '' ? d.dimParam : null));
    const dtype = `${type.sparseTensorType ? 'sparse ' : ''}${dataTypeName(tensor.elemType)}`;
    return shape === undefined ? { dtype } : { dtype, shape };
  }
  if (type.sequenceType) return { dtype: `sequence<${describeType(type.sequenceType.elemType).dtype}>` };
  if (type.mapType) return { dtype: `map<${dataTypeName(type.mapType.keyType)},${describeType(type.mapType.valueType).dtype}>` };
  if (type.optionalType) return { dtype: `optional<${describeType(type.optionalType.elemType).dtype}>` };
  if (type.opaqueType) return { dtype: `opaque<${type.opaqueType.domain}.${type.opaqueType.name}>` };
  return { dtype: 'unknown' };
}

function valueSummary(v: ValueInfoProto): ValueSummary {
  return { name: v.name, ...describeType(v.type) };
}

/** The tensor a Constant's value_float(s)/value_int(s)/value_string(s) attribute defines. */
function attributeConstant(a: AttributeProto): TensorProto | undefined {
  const make = (dataType: number, dims: number[], stringData: Uint8Array[] = []): TensorProto => ({
    dims,
    dataType,
    stringData,
    floatData: [],
    int32Data: [],
    int64Data: [],
    doubleData: [],
    uint64Data: [],
    name: a.name,
    docString: '',
    externalData: [],
    dataLocation: 0,
    metadataProps: [],
  });
  switch (a.name) {
    case 'value_float':
      return make(DataType.FLOAT, []);
    case 'value_floats':
      return make(DataType.FLOAT, [a.floats.length]);
    case 'value_int':
      return make(DataType.INT64, []);
    case 'value_ints':
      return make(DataType.INT64, [a.ints.length]);
    case 'value_string':
      return make(DataType.STRING, [], a.s === undefined ? [] : [a.s]);
    case 'value_strings':
      return make(DataType.STRING, [a.strings.length], a.strings);
    default:
      return undefined;
  }
}

/** Constant tensors held by a graph itself: initializers and Constant nodes' values. */
function constantsOf(graph: GraphProto): TensorProto[] {
  const tensors: TensorProto[] = [...graph.initializer];
  for (const s of graph.sparseInitializer) if (s.values) tensors.push({ ...s.values, dims: s.dims });
  for (const node of graph.node) {
    if (!isStandardOp(node, 'Constant')) continue;
    for (const a of node.attribute) {
      if (a.t) tensors.push(a.t);
      if (a.sparseTensor?.values) tensors.push({ ...a.sparseTensor.values, dims: a.sparseTensor.dims });
      const listed = attributeConstant(a);
      if (listed !== undefined) tensors.push(listed);
    }
  }
  return tensors;
}

/** Counts everything `whittle info` reports. Pure: external tensors are sized from their dims. */
export function summarizeModel(model: ModelProto): ModelSummary {
  const graph = model.graph!;
  const opTypes = new Map<string, number>();
  const external = new Map<string, { tensors: number; bytes: number }>();
  let nodeCount = 0;
  let subgraphCount = -1;
  let params = 0;
  let weightBytes = 0;
  forEachGraph(graph, (g) => {
    subgraphCount++;
    nodeCount += g.node.length;
    for (const n of g.node) {
      const op = DEFAULT_DOMAINS.has(n.domain) ? n.opType : `${n.domain}.${n.opType}`;
      opTypes.set(op, (opTypes.get(op) ?? 0) + 1);
    }
    for (const t of constantsOf(g)) {
      params += tensorElementCount(t);
      weightBytes += tensorByteSize(t);
      if (isExternal(t)) {
        const location = t.externalData.find((e) => e.key === 'location')?.value ?? '';
        const entry = external.get(location) ?? { tensors: 0, bytes: 0 };
        entry.tensors++;
        entry.bytes += tensorByteSize(t);
        external.set(location, entry);
      }
    }
  });
  const sortedOps = [...opTypes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const initializerNames = new Set(graph.initializer.map((t) => t.name));
  return {
    irVersion: model.irVersion,
    opsets: nullProto(model.opsetImport.map((o) => [o.domain === '' ? 'ai.onnx' : o.domain, o.version])),
    producer: { name: model.producerName, version: model.producerVersion },
    graphName: graph.name,
    docString: model.docString,
    metadata: nullProto(model.metadataProps.map((e) => [e.key, e.value])),
    inputs: graph.input.filter((v) => !initializerNames.has(v.name)).map(valueSummary),
    outputs: graph.output.map(valueSummary),
    nodeCount,
    subgraphCount,
    functionCount: model.functions.length,
    opTypes: nullProto(sortedOps),
    params,
    weightBytes,
    externalData: [...external].map(([location, e]) => ({ location, ...e })),
    findings: validateModel(model),
  };
}

/** Record from entries without a prototype, so keys from a file (`__proto__`…) stay plain keys. */
function nullProto<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const obj = Object.create(null) as Record<string, V>;
  for (const [k, v] of entries) Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  return obj;
}
