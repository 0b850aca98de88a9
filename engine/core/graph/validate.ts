import type { GraphProto, ModelProto } from '../onnx/types.js';
import { GraphView, subgraphsOf, type NameScope } from './graph-view.js';
import { DEFAULT_DOMAINS, nodeLabel } from './node-label.js';

export type FindingSeverity = 'error' | 'warning';

/** Something wrong or doubtful in a model, phrased for the person reading it. */
export interface Finding {
  readonly severity: FindingSeverity;
  readonly code: 'cycle' | 'dangling-input' | 'duplicate-output' | 'missing-opset' | 'duplicate-opset' | 'unknown-ir-version' | 'missing-graph-output' | 'unknown-shape' | 'unknown-shape-upstream';
  readonly message: string;
  /** Where: `graph`, or a subgraph path such as `graph/If_0.then_branch`. */
  readonly graphPath: string;
  readonly node?: string;
}

/** Newest IR version this build knows (ONNX 1.20). */
export const NEWEST_IR_VERSION = 13;

function checkGraph(graph: GraphProto, outer: NameScope, path: string, domains: ReadonlySet<string>, out: Finding[]): void {
  const view = new GraphView(graph, outer);
  const seenOutputs = new Map<string, string>();
  graph.node.forEach((node, i) => {
    const label = nodeLabel(node, i);
    const domain = node.domain === 'ai.onnx' ? '' : node.domain;
    if (!domains.has(domain)) {
      out.push({ severity: 'error', code: 'missing-opset', graphPath: path, node: label, message: `${label} uses op ${node.opType} from domain "${node.domain}", which the model does not import` });
    }
    for (const o of node.output) {
      if (o === '') continue;
      const first = seenOutputs.get(o);
      if (first !== undefined || view.isSource(o)) {
        out.push({ severity: 'error', code: 'duplicate-output', graphPath: path, node: label, message: `${label} writes "${o}", which ${first ?? 'a graph input or initializer'} already defines` });
      } else seenOutputs.set(o, label);
    }
    for (const inp of node.input) {
      if (inp !== '' && !view.producer.has(inp) && !view.isSource(inp)) {
        out.push({ severity: 'error', code: 'dangling-input', graphPath: path, node: label, message: `${label} reads "${inp}", which nothing produces` });
      }
    }
  });
  for (const o of graph.output) {
    if (!view.producer.has(o.name) && !view.isSource(o.name)) {
      out.push({ severity: 'error', code: 'missing-graph-output', graphPath: path, message: `graph output "${o.name}" is not produced by any node` });
    }
  }
  const { cyclic } = view.topologicalOrder();
  if (cyclic.length > 0) {
    const names = cyclic.slice(0, 5).map((n) => nodeLabel(n, graph.node.indexOf(n)));
    out.push({ severity: 'error', code: 'cycle', graphPath: path, message: `${cyclic.length} node(s) form or depend on a cycle: ${names.join(', ')}${cyclic.length > 5 ? ', …' : ''}` });
  }
  const scope = view.namesInScope();
  graph.node.forEach((node, i) => {
    for (const sub of subgraphsOf(node)) {
      checkGraph(sub.graph, scope, `${path}/${nodeLabel(node, i)}.${sub.attribute}`, domains, out);
    }
  });
}

/**
 * Structural checks of a model: cycles, reads of values nothing produces, values written twice,
 * ops from domains without an opset import. Returns findings; never throws.
 */
export function validateModel(model: ModelProto): Finding[] {
  const out: Finding[] = [];
  const domains = new Set<string>();
  const seen = new Set<string>();
  for (const op of model.opsetImport) {
    const d = DEFAULT_DOMAINS.has(op.domain) ? '' : op.domain;
    if (seen.has(d)) out.push({ severity: 'warning', code: 'duplicate-opset', graphPath: 'model', message: `opset for domain "${op.domain}" is imported more than once` });
    seen.add(d);
    domains.add(d);
  }
  if (model.irVersion > NEWEST_IR_VERSION || model.irVersion < 1) {
    out.push({ severity: 'warning', code: 'unknown-ir-version', graphPath: 'model', message: `IR version ${model.irVersion} is outside the versions this build knows (1–${NEWEST_IR_VERSION})` });
  }
  if (model.graph) checkGraph(model.graph, new Set(), 'graph', domains, out);
  return out;
}
