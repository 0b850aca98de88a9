/**
 * Which nodes of the original graph each node of the executed graph computes. onnxruntime keeps
 * tensor names through its fusions (a FusedConv writes the Relu's output, a Conv with a folded
 * BatchNormalization writes the BN's), so a runtime node covers the original nodes lying between
 * its input tensors and its output tensors. The NCHWc layout pass (level `all` on x86) renames
 * tensors: its Reorder nodes and Reshapes are views of an original tensor, and its Conv nodes are
 * named `<original output>_nchwc`; both give the renamed tensors back their original names.
 */
import { isFolded } from '../cost/node.js';
import { GraphView, implicitInputs, subgraphsOf } from '../graph/index.js';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/types.js';
import { analysisLabel, profilerNamer } from './profiler-names.js';

/** One node of the main graph onnxruntime executed. */
export interface RuntimeNode {
  /** The name its kernel events carry. */
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  /** Labels (as the analysis names them) of the original nodes it computes; empty when the runtime inserted it. */
  readonly covers: readonly string[];
  /** `tensors`: found between its inputs and outputs; `name`: an original node of the same name; `inserted`: covers nothing. */
  readonly mappedBy: 'tensors' | 'name' | 'inserted';
}

/** An original node that no runtime node computes. */
export interface UncoveredNode {
  readonly name: string;
  readonly opType: string;
  /** `folded`: computed once at load (constant, or its result became an initializer); `not-mapped`: no kernel found for it. */
  readonly reason: 'folded' | 'not-mapped';
}

export interface KernelMap {
  /** Main-graph nodes of the executed graph, in its order. */
  readonly nodes: readonly RuntimeNode[];
  /** Profiler names of nodes inside If/Loop/Scan bodies of the executed graph; their time is inside their owner's. */
  readonly subgraphNodes: readonly string[];
  readonly uncovered: readonly UncoveredNode[];
}

const NCHWC_DOMAIN = 'com.microsoft.nchwc';
const NCHWC_NAME = /^(.+)_nchwc(?:_token_\d+)?$/;
/** Ops that only change a tensor's layout or view, when the runtime inserts them. */
const VIEW_OPS = new Set(['ReorderInput', 'ReorderOutput', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Flatten', 'Identity', 'MemcpyToHost', 'MemcpyFromHost']);

class TensorClasses {
  private readonly parent = new Map<string, string>();

  find(t: string): string {
    let root = t;
    while (this.parent.has(root)) root = this.parent.get(root)!;
    for (let x = t; x !== root; ) {
      const next = this.parent.get(x)!;
      this.parent.set(x, root);
      x = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/** Original nodes computed from constants only, which the runtime folds at load. */
function constantNodes(order: readonly NodeProto[], graph: GraphProto): Set<NodeProto> {
  const known = new Set<string>(graph.initializer.map((t) => t.name));
  const constant = new Set<NodeProto>();
  for (const node of order) {
    const isConstant = node.opType === 'Constant' ? node.input.length === 0 : isFolded(node, (i) => known.has(node.input[i]!));
    if (!isConstant) continue;
    constant.add(node);
    for (const o of node.output) if (o !== '') known.add(o);
  }
  return constant;
}

/** `<anchor>/<Name>Fusion/`: how onnxruntime names the node a fusion creates after one node of the pattern. */
const FUSION_NAME = /^(.+)\/[A-Za-z]*Fusion\/?(?:_token_\d+)?$/;

/** The original node whose outputs a runtime node's outputs stand for, by name: the same node, or a fusion's anchor. */
function namesake(node: NodeProto, byName: ReadonlyMap<string, NodeProto>): NodeProto | undefined {
  return byName.get(node.name) ?? byName.get(FUSION_NAME.exec(node.name)?.[1] ?? '');
}

/**
 * Original tensor names a runtime tensor stands for. Renamed tensors are traced through inserted
 * views, through `<tensor>_nchwc` node names, and last (NCHWc element-wise ops keep their node
 * name but read and write blocked tensors) through the outputs of the original node of the same name.
 */
function originalNames(runtime: GraphProto, originalTensors: ReadonlySet<string>, originalNodeNames: ReadonlySet<string>, byName: ReadonlyMap<string, NodeProto>): (t: string) => readonly string[] {
  const classes = new TensorClasses();
  for (const node of runtime.node) {
    const [input, output] = [node.input[0] ?? '', node.output[0] ?? ''];
    const insertedView =
      VIEW_OPS.has(node.opType) && (node.domain === NCHWC_DOMAIN || !originalNodeNames.has(node.name)) && !(originalTensors.has(input) && originalTensors.has(output));
    if (insertedView && input !== '' && output !== '') classes.union(input, output);
    const nchwc = NCHWC_NAME.exec(node.name);
    if (nchwc && node.output.length === 1 && originalTensors.has(nchwc[1]!) && !originalTensors.has(output)) classes.union(output, nchwc[1]!);
  }
  const resolved = new Set<string>();
  for (const t of originalTensors) resolved.add(classes.find(t));
  for (const node of runtime.node) {
    const same = namesake(node, byName);
    if (same === undefined) continue;
    node.output.forEach((out, i) => {
      const original = same.output[i];
      if (out === '' || original === undefined || original === '' || resolved.has(classes.find(out))) return;
      classes.union(out, original);
      resolved.add(classes.find(out));
    });
  }
  const byClass = new Map<string, string[]>();
  for (const t of originalTensors) {
    const root = classes.find(t);
    const list = byClass.get(root);
    if (list) list.push(t);
    else byClass.set(root, [t]);
  }
  return (t) => (originalTensors.has(t) ? [t] : (byClass.get(classes.find(t)) ?? []));
}

function isInsertedView(node: NodeProto, names: (t: string) => readonly string[], originalNodeNames: ReadonlySet<string>): boolean {
  if (node.domain === NCHWC_DOMAIN && node.opType.startsWith('Reorder')) return true;
  if (!VIEW_OPS.has(node.opType) || originalNodeNames.has(node.name)) return false;
  const from = names(node.input[0] ?? '');
  const to = names(node.output[0] ?? '');
  return to.length === 0 || to.every((t) => from.includes(t));
}

/**
 * Maps each main-graph node of the graph onnxruntime executed (`optimized`, as written by the
 * session option `optimizedModelFilePath`) to the original nodes it covers. Each original node is
 * covered by at most one runtime node (the first in execution order); the others are listed as
 * folded at load or not mapped. Pure.
 */
export function mapKernels(original: ModelProto, optimized: ModelProto): KernelMap {
  const og = original.graph;
  const rg = optimized.graph;
  if (og === undefined || rg === undefined) return { nodes: [], subgraphNodes: [], uncovered: [] };
  const view = new GraphView(og);
  const { order } = view.topologicalOrder();
  const label = new Map(og.node.map((n, i) => [n, analysisLabel(n, i)]));
  const position = new Map(order.map((n, i) => [n, i]));
  const constant = constantNodes(order, og);
  const originalTensors = new Set<string>([...og.input.map((v) => v.name), ...og.initializer.map((t) => t.name), ...og.node.flatMap((n) => n.output.filter((o) => o !== ''))]);
  const originalNodeNames = new Set(og.node.map((n) => n.name).filter((n) => n !== ''));
  const byName = new Map(og.node.filter((n) => n.name !== '').map((n) => [n.name, n]));
  const names = originalNames(rg, originalTensors, originalNodeNames, byName);
  const profilerName = profilerNamer(og);

  const materialized = new Set<string>();
  for (const v of rg.input) for (const t of names(v.name)) materialized.add(t);
  for (const n of rg.node) for (const t of [...n.input, ...n.output]) if (t !== '') for (const o of names(t)) materialized.add(o);

  const claimed = new Set<NodeProto>();
  const region = (node: NodeProto): NodeProto[] => {
    const starts = new Set(node.output.flatMap((t) => (t === '' ? [] : names(t))));
    const stops = new Set(node.input.flatMap((t) => (t === '' ? [] : names(t))));
    const found = new Set<NodeProto>();
    const seen = new Set<string>();
    const pending = [...starts];
    while (pending.length > 0) {
      const t = pending.pop()!;
      if (seen.has(t) || (!starts.has(t) && (stops.has(t) || materialized.has(t)))) continue;
      seen.add(t);
      const producer = view.producer.get(t);
      if (producer === undefined || constant.has(producer) || claimed.has(producer) || found.has(producer)) continue;
      found.add(producer);
      for (const i of [...producer.input, ...implicitInputs(producer)]) if (i !== '') pending.push(i);
    }
    return [...found].sort((a, b) => position.get(a)! - position.get(b)!);
  };

  const nodes: RuntimeNode[] = rg.node.map((node) => {
    const base = { name: profilerName(node), opType: node.opType, domain: node.domain };
    if (isInsertedView(node, names, originalNodeNames)) return { ...base, covers: [], mappedBy: 'inserted' };
    let covered = region(node);
    let mappedBy: RuntimeNode['mappedBy'] = 'tensors';
    if (covered.length === 0) {
      const same = byName.get(node.name) ?? node.output.map((t) => view.producer.get(t)).find((p) => p?.opType === node.opType);
      covered = same !== undefined && !claimed.has(same) ? [same] : [];
      mappedBy = covered.length > 0 ? 'name' : 'inserted';
    }
    for (const n of covered) claimed.add(n);
    return { ...base, covers: covered.map((n) => label.get(n)!), mappedBy };
  });

  return { nodes, subgraphNodes: subgraphProfilerNames(rg, profilerName), uncovered: classifyUncovered(order, view, claimed, constant, rg, label) };
}

function subgraphProfilerNames(graph: GraphProto, profilerName: (n: NodeProto) => string): string[] {
  const out: string[] = [];
  const visit = (g: GraphProto): void => {
    for (const n of g.node) {
      out.push(profilerName(n));
      for (const s of subgraphsOf(n)) visit(s.graph);
    }
  };
  for (const n of graph.node) for (const s of subgraphsOf(n)) visit(s.graph);
  return out;
}

/**
 * Folded: constant in the original graph, or an output became an initializer of the executed
 * graph, or every output feeds only folded nodes. Dead nodes the runtime dropped are not mapped.
 */
function classifyUncovered(
  order: readonly NodeProto[],
  view: GraphView,
  claimed: ReadonlySet<NodeProto>,
  constant: ReadonlySet<NodeProto>,
  runtime: GraphProto,
  label: ReadonlyMap<NodeProto, string>,
): UncoveredNode[] {
  const runtimeInitializers = new Set(runtime.initializer.map((t) => t.name));
  const graphOutputs = new Set(view.graph.output.map((v) => v.name));
  const folded = new Set<NodeProto>();
  const result = new Map<NodeProto, UncoveredNode>();
  for (const node of [...order].reverse()) {
    if (claimed.has(node)) continue;
    const outputs = node.output.filter((o) => o !== '');
    const feedsOnlyFolded = outputs.every((o) => !graphOutputs.has(o) && view.consumersOf(o).length > 0 && view.consumersOf(o).every((c) => folded.has(c)));
    const isFolded = constant.has(node) || outputs.some((o) => runtimeInitializers.has(o)) || (outputs.length > 0 && feedsOnlyFolded);
    if (isFolded) folded.add(node);
    result.set(node, { name: label.get(node)!, opType: node.opType, reason: isFolded ? 'folded' : 'not-mapped' });
  }
  return order.flatMap((n) => result.get(n) ?? []);
}
