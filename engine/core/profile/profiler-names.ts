/**
 * The names onnxruntime's profiler gives nodes, so that kernel events can be found in the graph
 * the runtime wrote (`optimizedModelFilePath`), which keeps node names but not node indices.
 */
import { subgraphsOf } from '../graph/index.js';
import type { GraphProto, NodeProto } from '../onnx/types.js';
import { isStandardOp } from '../graph/node-label.js';

/**
 * onnxruntime turns Constant nodes into initializers before numbering nodes, so an unnamed node's
 * index (and its profiler name `<OpType>_<index>`) counts only the other nodes of its graph.
 */
function isConstantOp(node: NodeProto): boolean {
  return isStandardOp(node, 'Constant');
}

/** Profiler names of a graph's unnamed nodes, keyed by the first output they produce. */
function unnamedByOutput(graph: GraphProto, out: Map<string, string>): void {
  let index = 0;
  for (const node of graph.node) {
    if (isConstantOp(node)) continue;
    const first = node.output.find((o) => o !== '');
    if (node.name === '' && first !== undefined) out.set(`${node.opType}\u0000${first}`, `${node.opType}_${index}`);
    index++;
    for (const s of subgraphsOf(node)) unnamedByOutput(s.graph, out);
  }
}

/**
 * Resolves the profiler name of a node of the executed graph. Named nodes keep their name. An
 * unnamed node is one the runtime kept from the original graph (it names the nodes it creates):
 * its index is the original node's, found through the output tensor they share. Unnamed nodes
 * that cannot be traced back get `<OpType>_?`, which no kernel event carries.
 */
export function profilerNamer(original: GraphProto): (node: NodeProto) => string {
  const unnamed = new Map<string, string>();
  unnamedByOutput(original, unnamed);
  return (node) => {
    if (node.name !== '') return node.name;
    const first = node.output.find((o) => o !== '');
    return (first === undefined ? undefined : unnamed.get(`${node.opType}\u0000${first}`)) ?? `${node.opType}_?`;
  };
}

/** The label the analysis gives an original node: its name, or `<OpType> #<position in the file>`. */
export function analysisLabel(node: NodeProto, fileIndex: number): string {
  return node.name !== '' ? node.name : `${node.opType} #${fileIndex}`;
}
