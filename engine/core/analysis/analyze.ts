import { costOfNode, isFolded } from '../cost/node.js';
import type { GraphCost, NodeCost, NodeCostEntry } from '../cost/types.js';
import { GraphView } from '../graph/graph-view.js';
import { validateModel } from '../graph/validate.js';
import { DEFAULT_DOMAINS, defaultOpset, isStandardOp, nodeLabel } from '../graph/node-label.js';
import type { ComputeDtype, DeviceProfile } from '../hardware/device.js';
import { COMPUTE_DTYPES } from '../hardware/device.js';
import { placeOnRoofline, ridgePoint, peakFor, rooflineTime } from '../hardware/roofline.js';
import { analyzeMemory } from '../memory/index.js';
import { DataType, dataTypeName } from '../onnx/data-types.js';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/types.js';
import { inferShapes, type ShapeInference } from '../shape/infer.js';
import type { Dim, ValueType } from '../shape/types.js';
import type { Analysis, AnalysisTotals, DeviceLatency, NodeAnalysis, OpTypeTotals, SubgraphNodeAnalysis, ValueRef } from './types.js';

export interface AnalyzeOptions {
  /** Dims for graph inputs by name (numbers, or names for symbolic dims). */
  readonly inputDims?: Readonly<Record<string, readonly Dim[]>>;
  /** The device to predict times for. */
  readonly device: DeviceProfile;
  /** More devices to give the model's predicted latency on (the catalog, say), for comparison. */
  readonly compareWith?: readonly DeviceProfile[];
}


function describe(t: ValueType | undefined): Pick<ValueRef, 'dtype' | 'shape'> {
  if (t === undefined) return { dtype: 'unknown' };
  switch (t.kind) {
    case 'tensor':
      return t.shape === undefined ? { dtype: t.dtype === 0 ? 'unknown' : dataTypeName(t.dtype) } : { dtype: t.dtype === 0 ? 'unknown' : dataTypeName(t.dtype), shape: t.shape };
    case 'sequence':
    case 'optional':
      return { dtype: `${t.kind}<${describe(t.elem).dtype}>` };
    default:
      return { dtype: t.description };
  }
}

function valueRef(name: string, t: ValueType | undefined): ValueRef {
  return { name, ...describe(t) };
}

const INT8_TYPES = new Set<number>([DataType.INT8, DataType.UINT8]);

/**
 * The element type whose peak bounds a node: int8 when it computes on 8-bit integers (QLinearConv,
 * MatMulInteger…), fp16 when its float inputs are half precision, else fp32.
 */
function computeDtypeOf(inputs: readonly (ValueType | undefined)[]): ComputeDtype {
  const dtypes = inputs.flatMap((t) => (t?.kind === 'tensor' ? [t.dtype] : []));
  if (dtypes.some((d) => d === DataType.FLOAT)) return 'fp32';
  if (dtypes.some((d) => d === DataType.FLOAT16 || d === DataType.BFLOAT16)) return 'fp16';
  if (dtypes.some((d) => INT8_TYPES.has(d))) return 'int8';
  return 'fp32';
}

/** The model's predicted latency on a device: the counted nodes placed on its roofline. */
function latencyOn(device: DeviceProfile, nodes: readonly NodeAnalysis[]): DeviceLatency {
  // Once per element type, not per node: this runs for every catalog device over every node.
  const peaks = new Map<ComputeDtype, number | undefined>();
  const bandwidth = device.bandwidthBytesPerSec.value;
  let predictedMs = 0;
  let memoryMs = 0;
  let noFigure = 0;
  for (const n of nodes) {
    if (!n.counted) continue;
    if (!peaks.has(n.computeDtype)) peaks.set(n.computeDtype, peakFor(device, n.computeDtype)?.figure.value);
    const peak = peaks.get(n.computeDtype);
    if (peak === undefined) {
      noFigure++;
      continue;
    }
    const { ms, bound } = rooflineTime(n.flops, n.readBytes + n.writeBytes, peak, bandwidth);
    predictedMs += ms;
    if (bound === 'memory') memoryMs += ms;
  }
  return { id: device.id, name: device.name, predictedMs: noFigure > 0 ? null : predictedMs, memoryBoundShare: predictedMs > 0 ? memoryMs / predictedMs : 0, nodesWithoutFigure: noFigure };
}

/**
 * Names known before running: initializers, Constant outputs, and outputs of nodes the runtime
 * folds, plus those of the enclosing graphs (`outer`) for an If/Loop/Scan body.
 */
function constantNames(graph: GraphProto, order: readonly NodeProto[], outer: ReadonlySet<string> = new Set()): Set<string> {
  const constants = new Set<string>([...outer, ...graph.initializer.map((t) => t.name)]);
  for (const s of graph.sparseInitializer) if (s.values) constants.add(s.values.name);
  for (const node of order) {
    const isConstant = (i: number): boolean => constants.has(node.input[i]!);
    const constantOp = isStandardOp(node, 'Constant');
    if (constantOp || isFolded(node, isConstant)) for (const o of node.output) if (o !== '') constants.add(o);
  }
  return constants;
}

/** Costs every node of a graph in execution order; bodies of If/Loop/Scan nodes are costed through `subgraphCost`. */
class GraphCoster {
  constructor(
    private readonly shapes: ShapeInference,
    private readonly opsetOf: (node: NodeProto) => number,
  ) {}

  costNodes(graph: GraphProto, order: readonly NodeProto[], constants: ReadonlySet<string>): NodeCostEntry[] {
    const typeOf = (name: string): ValueType | undefined => (name === '' ? undefined : this.shapes.typeOf(name, graph));
    return order.map((node) => ({
      node,
      cost: costOfNode({
        node,
        inputs: node.input.map(typeOf),
        outputs: node.output.map(typeOf),
        isConstant: (i) => constants.has(node.input[i]!),
        opset: this.opsetOf(node),
        subgraphCost: (body) => this.body(body, constants).cost,
        cannotRun: (body) => this.shapes.cannotRun(body),
      }),
    }));
  }

  private readonly bodies = new Map<GraphProto, { cost: GraphCost; constants: ReadonlySet<string> }>();

  /** A subgraph's cost run once, with the names known before running inside it; each body is costed once. */
  body(graph: GraphProto, outerConstants: ReadonlySet<string>): { cost: GraphCost; constants: ReadonlySet<string> } {
    let found = this.bodies.get(graph);
    if (found === undefined) {
      const { order } = new GraphView(graph).topologicalOrder();
      const constants = constantNames(graph, order, outerConstants);
      found = { cost: this.graphCost(graph, order, constants), constants };
      this.bodies.set(graph, found);
    }
    return found;
  }

  private graphCost(graph: GraphProto, order: readonly NodeProto[], constants: ReadonlySet<string>): GraphCost {
    const nodes = this.costNodes(graph, order, constants);
    const sum = (f: (c: NodeCost) => number): number => nodes.reduce((a, e) => a + f(e.cost), 0);
    return {
      nodes,
      totals: {
        nodes: nodes.length,
        uncounted: nodes.filter((e) => !e.cost.counted).length,
        macs: sum((c) => c.macs),
        flops: sum((c) => c.flops),
        params: sum((c) => c.params),
        weightBytes: sum((c) => c.weightBytes),
        readBytes: sum((c) => c.readBytes),
        writeBytes: sum((c) => c.writeBytes),
      },
    };
  }
}

type Draft = Omit<NodeAnalysis, 'share'>;
type Recorder = (node: NodeProto, index: number, name: string, cost: NodeCost, graph: GraphProto) => Draft;

/** Builds a node's record from its cost: shapes as inferred in its graph, roofline placement on the device. */
function recordOf(shapes: ShapeInference, device: DeviceProfile): Recorder {
  return (node, index, name, cost, graph) => {
    const typeOf = (n: string): ValueType | undefined => (n === '' ? undefined : shapes.typeOf(n, graph));
    const inputs = node.input.map(typeOf);
    const outputs = node.output.map(typeOf);
    const computeDtype = computeDtypeOf(inputs);
    const work = { ops: cost.flops, bytes: cost.readBytes + cost.writeBytes };
    // A node with no work (a Constant, shape arithmetic the runtime folds) is on neither side of the ridge.
    const placement = cost.counted && work.ops + work.bytes > 0 && peakFor(device, computeDtype) !== undefined ? placeOnRoofline(work, device, computeDtype) : undefined;
    const unknownShape = shapes.unknown.get(node)?.reason;
    return {
      index,
      name,
      opType: opTypeOf(node),
      inputs: node.input.map((n, i) => valueRef(n, inputs[i])),
      outputs: node.output.map((n, i) => valueRef(n, outputs[i])),
      counted: cost.counted,
      ...(cost.uncountedReason === undefined ? {} : { uncountedReason: cost.uncountedReason }),
      formula: cost.formula,
      macs: cost.macs,
      flops: cost.flops,
      params: cost.params,
      weightBytes: cost.weightBytes,
      readBytes: cost.readBytes,
      writeBytes: cost.writeBytes,
      // A property of the node, not of the device: known even where the device has no peak for its element type.
      intensity: cost.counted && cost.readBytes + cost.writeBytes > 0 ? cost.flops / (cost.readBytes + cost.writeBytes) : null,
      computeDtype,
      bound: placement?.bound ?? null,
      predictedMs: placement?.predictedMs ?? (cost.counted && work.ops + work.bytes === 0 ? 0 : null),
      ...(unknownShape === undefined ? {} : { unknownShape }),
    };
  };
}

/**
 * The nodes of every body a node holds (If branches, Loop/Scan bodies, nested ones after their
 * owner), with the costs the owner's cost was made of. `outerRuns`: times the enclosing bodies run.
 */
function bodyNodes(
  ctx: { coster: GraphCoster; record: Recorder; totalMs: number },
  node: NodeProto,
  cost: NodeCost,
  outerConstants: ReadonlySet<string>,
  owner: string,
  name: string,
  path: string,
  outerRuns: number | null,
): SubgraphNodeAnalysis[] {
  const out: SubgraphNodeAnalysis[] = [];
  const isIf = node.opType === 'If' && DEFAULT_DOMAINS.has(node.domain);
  for (const attribute of node.attribute) {
    if (attribute.g === undefined) continue;
    const { cost: body, constants } = ctx.coster.body(attribute.g, outerConstants);
    const counted = cost.bodies?.find((b) => b.graph === attribute.g);
    const runs = outerRuns === null || !cost.counted ? null : outerRuns * (counted?.runs ?? 0);
    const graphPath = `${path === '' ? '' : `${path}/`}${name}/${attribute.name}`;
    const fileIndex = new Map(attribute.g.node.map((n, i) => [n, i]));
    body.nodes.forEach((entry, index) => {
      const draft = ctx.record(entry.node, index, nodeLabel(entry.node, fileIndex.get(entry.node)!), entry.cost, attribute.g!);
      const share = ctx.totalMs > 0 && runs !== null ? ((draft.predictedMs ?? 0) * runs) / ctx.totalMs : 0;
      const perIteration = isIf ? '' : 'per iteration: ';
      out.push({ ...draft, formula: `${perIteration}${draft.formula}`, share, owner, graphPath, taken: isIf ? counted !== undefined && cost.counted : null, runs });
      out.push(...bodyNodes(ctx, entry.node, entry.cost, constants, owner, draft.name, graphPath, runs));
    });
  }
  return out;
}

function opTypeOf(node: NodeProto): string {
  return DEFAULT_DOMAINS.has(node.domain) ? node.opType : `${node.domain}.${node.opType}`;
}

/** Input dims still not numbers after pinning: symbolic names, or `input[i]` for unnamed ones. */
function unpinned(inputs: readonly ValueRef[]): string[] {
  const names = new Set<string>();
  for (const v of inputs) {
    if (v.shape === undefined && v.dtype !== 'unknown' && !v.dtype.includes('<')) names.add(`${v.name} (rank unknown)`);
    v.shape?.forEach((d, i) => {
      if (typeof d === 'string') names.add(d);
      else if (d === null) names.add(`${v.name}[${i}]`);
    });
  }
  return [...names];
}

function byOpType(nodes: readonly NodeAnalysis[], totalMs: number): OpTypeTotals[] {
  const groups = new Map<string, NodeAnalysis[]>();
  for (const n of nodes) {
    const list = groups.get(n.opType);
    if (list) list.push(n);
    else groups.set(n.opType, [n]);
  }
  const sum = (list: readonly NodeAnalysis[], f: (n: NodeAnalysis) => number): number => list.reduce((a, n) => a + f(n), 0);
  return [...groups]
    .map(([opType, list]) => {
      const predictedMs = sum(list, (n) => n.predictedMs ?? 0);
      return {
        opType,
        count: list.length,
        uncounted: list.filter((n) => !n.counted).length,
        macs: sum(list, (n) => n.macs),
        flops: sum(list, (n) => n.flops),
        params: sum(list, (n) => n.params),
        readBytes: sum(list, (n) => n.readBytes),
        writeBytes: sum(list, (n) => n.writeBytes),
        predictedMs,
        share: totalMs > 0 ? predictedMs / totalMs : 0,
      };
    })
    .sort((a, b) => b.predictedMs - a.predictedMs || b.flops - a.flops || a.opType.localeCompare(b.opType));
}

/**
 * Analyzes a model for one device: shapes, per-node cost, memory and roofline placement of every
 * node of the main graph in execution order. Pure; throws InputDimsError when `inputDims` do not
 * fit the model. Nodes inside If/Loop/Scan bodies are costed as part of the node that owns them.
 */
export function analyzeModel(model: ModelProto, options: AnalyzeOptions): Analysis {
  const graph = model.graph;
  if (graph === undefined) throw new RangeError('the model has no graph to analyze');
  const shapes: ShapeInference = inferShapes(model, { inputDims: options.inputDims });
  const typeOf = (name: string): ValueType | undefined => (name === '' ? undefined : shapes.typeOf(name));
  const opsetOf = (node: NodeProto): number => model.opsetImport.find((o) => (DEFAULT_DOMAINS.has(o.domain) ? '' : o.domain) === (DEFAULT_DOMAINS.has(node.domain) ? '' : node.domain))?.version ?? 0;
  // Shape inference has walked the graph in this order already: not computed twice for 10,000 nodes.
  const order = shapes.executionOrder(graph) ?? new GraphView(graph).topologicalOrder().order;
  const constants = constantNames(graph, order);
  const fileIndex = new Map(graph.node.map((n, i) => [n, i]));
  const device = options.device;

  const coster = new GraphCoster(shapes, opsetOf);
  const costs = new Map<NodeProto, NodeCost>(coster.costNodes(graph, order, constants).map((e) => [e.node, e.cost]));
  const record = recordOf(shapes, device);
  const draft = order.map((node, index) => record(node, index, nodeLabel(node, fileIndex.get(node)!), costs.get(node)!, graph));
  const totalMs = draft.reduce((a, n) => a + (n.predictedMs ?? 0), 0);
  const nodes: NodeAnalysis[] = draft.map((n) => ({ ...n, share: totalMs > 0 ? (n.predictedMs ?? 0) / totalMs : 0 }));
  const subgraphNodes = order.flatMap((node, i) => bodyNodes({ coster, record, totalMs }, node, costs.get(node)!, constants, nodes[i]!.name, nodes[i]!.name, '', 1));

  const memory = analyzeMemory(graph, order, typeOf, {
    opset: defaultOpset(model),
    bytesOf: (node) => {
      const c = costs.get(node);
      return c?.counted ? { readBytes: c.readBytes, writeBytes: c.writeBytes } : undefined;
    },
  });
  const sum = (f: (n: NodeAnalysis) => number): number => nodes.reduce((a, n) => a + f(n), 0);
  const totals: AnalysisTotals = {
    nodes: nodes.length,
    macs: sum((n) => n.macs),
    flops: sum((n) => n.flops),
    params: sum((n) => n.params),
    weightBytes: memory.weightBytes,
    readBytes: sum((n) => n.readBytes),
    writeBytes: sum((n) => n.writeBytes),
    peakActivationBytes: memory.peakActivationBytes,
    uncountedNodes: nodes.filter((n) => !n.counted).length,
    unknownShapeNodes: nodes.filter((n) => n.unknownShape !== undefined).length,
    predictedMs: totalMs,
    memoryBoundShare: totalMs > 0 ? sum((n) => (n.bound === 'memory' ? (n.predictedMs ?? 0) : 0)) / totalMs : 0,
  };
  const initializers = new Set(graph.initializer.map((t) => t.name));
  const inputs = graph.input.filter((v) => !initializers.has(v.name)).map((v) => valueRef(v.name, typeOf(v.name)));
  const ridgePoints: Partial<Record<ComputeDtype, number>> = {};
  for (const dtype of COMPUTE_DTYPES) if (device.peakOpsPerSec[dtype] !== undefined) ridgePoints[dtype] = ridgePoint(device, dtype);
  return {
    model: {
      graphName: graph.name,
      producer: `${model.producerName} ${model.producerVersion}`.trim(),
      opsets: Object.fromEntries(model.opsetImport.map((o) => [o.domain === '' ? 'ai.onnx' : o.domain, o.version])),
    },
    inputs,
    outputs: graph.output.map((v) => valueRef(v.name, typeOf(v.name))),
    bindings: shapes.bindings,
    unpinnedDims: unpinned(inputs),
    device: { profile: device, ridgePoints },
    totals,
    byOpType: byOpType(nodes, totalMs),
    latencyByDevice: (options.compareWith ?? []).map((d) => latencyOn(d, nodes)),
    memory,
    nodes,
    subgraphNodes,
    findings: [...validateModel(model), ...shapes.findings],
  };
}
