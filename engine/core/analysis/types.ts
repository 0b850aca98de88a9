/**
 * The Analysis: everything Whittle predicts about a model on one device, as plain JSON-safe
 * data. `whittle profile` prints it; the workbench draws it.
 */
import type { Finding } from '../graph/validate.js';
import type { ComputeDtype, DeviceProfile } from '../hardware/device.js';
import type { MemoryAnalysis } from '../memory/index.js';
import type { Dim } from '../shape/types.js';

/** A value as a node or graph sees it: dtype name and shape (numbers or dim names, null unknown). */
export interface ValueRef {
  readonly name: string;
  /** `float32`, `int64`…, `sequence<…>`, or `unknown`. */
  readonly dtype: string;
  /** Absent when even the rank is unknown. */
  readonly shape?: readonly Dim[];
}

export interface NodeAnalysis {
  /** Position in the execution order. */
  readonly index: number;
  /** The node's name, or `Op #i` (its position in the file) when it has none. */
  readonly name: string;
  /** The op type, prefixed by its domain outside the default one (`com.microsoft.FusedConv`). */
  readonly opType: string;
  readonly inputs: readonly ValueRef[];
  readonly outputs: readonly ValueRef[];
  /** False when the cost could not be counted; the reason says why (no rule, unknown shapes). */
  readonly counted: boolean;
  readonly uncountedReason?: string;
  /** How the cost was worked out, with the numbers used. */
  readonly formula: string;
  readonly macs: number;
  readonly flops: number;
  readonly params: number;
  readonly weightBytes: number;
  /** Every input byte read (activations and weights): compulsory traffic. */
  readonly readBytes: number;
  readonly writeBytes: number;
  /** FLOPs per byte moved (read + written); null when uncounted or when no bytes move. */
  readonly intensity: number | null;
  /** The element type the roofline used for this node. */
  readonly computeDtype: ComputeDtype;
  readonly bound: 'compute' | 'memory' | null;
  readonly predictedMs: number | null;
  /** Share of the model's predicted time, 0–1 (0 for uncounted nodes). */
  readonly share: number;
  /** Why the node's output shapes are not fully known, when they are not. */
  readonly unknownShape?: string;
}

/**
 * A node inside an If branch or a Loop/Scan body, costed by the same coster as the node that
 * owns it. Its figures are for one run of its body (one Loop/Scan iteration); `runs` says how
 * many times the owner's cost counts them. `index` is its position in its body's execution order;
 * `share` is its counted time (predictedMs × runs) as a share of the model's predicted time.
 */
export interface SubgraphNodeAnalysis extends NodeAnalysis {
  /** Name of the main-graph node that holds the body (the outermost one, for nested bodies). */
  readonly owner: string;
  /** Owner name and attribute of each enclosing body, joined by `/`: `If_0/then_branch`, `Loop_2/body/If_5/else_branch`. */
  readonly graphPath: string;
  /** For an If branch: whether the owner's cost counts this branch (false for both when the If is uncounted); null in Loop/Scan bodies. */
  readonly taken: boolean | null;
  /** Times the model's cost counts this node: 1 in a taken branch, 0 in one not taken, the trip count or sequence length in a Loop/Scan body (multiplied through nested bodies); null when an enclosing node is uncounted. */
  readonly runs: number | null;
}

export interface OpTypeTotals {
  readonly opType: string;
  readonly count: number;
  readonly uncounted: number;
  readonly macs: number;
  readonly flops: number;
  readonly params: number;
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly predictedMs: number;
  readonly share: number;
}

export interface AnalysisTotals {
  readonly nodes: number;
  readonly macs: number;
  readonly flops: number;
  readonly params: number;
  readonly weightBytes: number;
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly peakActivationBytes: number;
  readonly uncountedNodes: number;
  /** Nodes whose output shapes are not fully known. */
  readonly unknownShapeNodes: number;
  /** Sum of the counted nodes' predicted times (uncounted nodes are not in it). */
  readonly predictedMs: number;
  /** Share of the predicted time spent in memory-bound nodes, 0–1. */
  readonly memoryBoundShare: number;
}

/** The device the prediction is for, with the figures used and their sources. */
export interface AnalysisDevice {
  readonly profile: DeviceProfile;
  /** Peak ÷ bandwidth per element type the device has a figure for, in FLOP (or OP) per byte. */
  readonly ridgePoints: Readonly<Partial<Record<ComputeDtype, number>>>;
}

/** The model's predicted latency on one device. */
export interface DeviceLatency {
  readonly id: string;
  readonly name: string;
  /** null when some counted nodes compute in an element type the device has no figure for (fp32 on an int8-only NPU). */
  readonly predictedMs: number | null;
  readonly memoryBoundShare: number;
  /** Counted nodes whose element type the device has no peak figure for. */
  readonly nodesWithoutFigure: number;
}

export interface Analysis {
  readonly model: {
    readonly graphName: string;
    readonly producer: string;
    readonly opsets: Readonly<Record<string, number>>;
  };
  /** Graph inputs with the pinned dims applied. */
  readonly inputs: readonly ValueRef[];
  readonly outputs: readonly ValueRef[];
  /** Symbolic dims that pinned input dims gave numbers to. */
  readonly bindings: Readonly<Record<string, number>>;
  /** Input dims that are not numbers (names, or `input[i]` for unnamed ones): costs that depend on them are uncounted until pinned. */
  readonly unpinnedDims: readonly string[];
  readonly device: AnalysisDevice;
  readonly totals: AnalysisTotals;
  readonly byOpType: readonly OpTypeTotals[];
  /** Predicted latency on each device asked for in `compareWith`. */
  readonly latencyByDevice: readonly DeviceLatency[];
  readonly memory: MemoryAnalysis;
  /** Every node of the main graph, in execution order. */
  readonly nodes: readonly NodeAnalysis[];
  /** Nodes inside If/Loop/Scan bodies, body by body after their owner; not in `totals`, `byOpType` or `nodes` (their owners' costs already hold them). */
  readonly subgraphNodes: readonly SubgraphNodeAnalysis[];
  readonly findings: readonly Finding[];
}
