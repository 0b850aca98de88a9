import type { GraphProto, NodeProto } from '../onnx/types.js';
import type { ValueType } from '../shape/types.js';

/**
 * What one node costs to run once. Numbers are per inference; bytes are compulsory traffic
 * (every input read once, every output written once), so flops ÷ (readBytes + writeBytes) is the
 * node's arithmetic intensity.
 */
export interface NodeCost {
  /** False when the node has no cost rule or the shapes its rule needs are not numbers: "uncounted", never a silent 0. */
  readonly counted: boolean;
  readonly uncountedReason?: string;
  /** Multiply-accumulates of matrix-like work (Conv, MatMul, Gemm, RNN gates…); 0 for other ops. */
  readonly macs: number;
  /** 2 × MACs plus element-wise work at the per-op weights of docs/cost-model.md. */
  readonly flops: number;
  /** Elements of the constant inputs (initializers, Constant outputs, folded constants). Known even when uncounted. */
  readonly params: number;
  /** Bytes of those constant inputs. */
  readonly weightBytes: number;
  /** Bytes of every input read (activations and weights). */
  readonly readBytes: number;
  /** Bytes of every output written. */
  readonly writeBytes: number;
  /** How the numbers were worked out, with the sizes used; for an uncounted node, `uncounted: <reason>`. */
  readonly formula: string;
  /** The subgraphs (If branch, Loop or Scan body) whose cost is in these numbers, and how many times each runs. */
  readonly bodies?: readonly BodyRun[];
}

/** A subgraph counted in a control-flow node's cost: `runs` × its cost run once. */
export interface BodyRun {
  readonly graph: GraphProto;
  readonly runs: number;
}

/** Sums over a graph's nodes. */
export interface GraphCostTotals {
  readonly nodes: number;
  /** Nodes not counted; their work is missing from the sums below. */
  readonly uncounted: number;
  readonly macs: number;
  readonly flops: number;
  /** Each constant counted once, however many nodes read it. */
  readonly params: number;
  readonly weightBytes: number;
  readonly readBytes: number;
  readonly writeBytes: number;
}

export interface NodeCostEntry {
  readonly node: NodeProto;
  readonly cost: NodeCost;
}

/** A graph's node costs in execution (topological) order, and their totals. */
export interface GraphCost {
  readonly nodes: readonly NodeCostEntry[];
  readonly totals: GraphCostTotals;
}

/** Totals of one op type, for a "where does the work go" table. */
export interface OpTypeCost {
  /** Prefixed by its domain outside the default one: `com.microsoft.FusedConv`. */
  readonly opType: string;
  readonly count: number;
  readonly uncounted: number;
  readonly macs: number;
  readonly flops: number;
  /** Summed per node: a constant read by two nodes counts twice here. */
  readonly params: number;
  readonly weightBytes: number;
  readonly readBytes: number;
  readonly writeBytes: number;
}

/** Everything a cost rule may look at for one node. */
export interface CostInput {
  readonly node: NodeProto;
  /** Types of the node's inputs by position (undefined: absent or unknown). */
  readonly inputs: readonly (ValueType | undefined)[];
  readonly outputs: readonly (ValueType | undefined)[];
  /** True when input `i` is known before running: an initializer, a Constant's output, or a folded node's. */
  readonly isConstant: (inputIndex: number) => boolean;
  /** Opset version of the node's domain. */
  readonly opset: number;
  /** Cost of a subgraph (If branch, Loop or Scan body) run once; without it control flow is uncounted. */
  readonly subgraphCost?: (graph: GraphProto) => GraphCost;
  /** Why a subgraph cannot run with the shapes it gets (an If branch not taken), or undefined. */
  readonly cannotRun?: (graph: GraphProto) => string | undefined;
}
