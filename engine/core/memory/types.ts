import type { NodeProto } from '../onnx/types.js';

/**
 * onnxruntime's graph optimization levels, named as onnxruntime-node's `graphOptimizationLevel`
 * names them. Each includes the ones before it; `all` is onnxruntime's default.
 */
export type OptimizationLevel = 'basic' | 'extended' | 'all';

export const OPTIMIZATION_LEVELS: readonly OptimizationLevel[] = ['basic', 'extended', 'all'];

/** Bytes one node moves when it runs once: every input read, every output written. */
export interface NodeBytes {
  readonly readBytes: number;
  readonly writeBytes: number;
}

/** A tensor of the main graph with its size; null when its size is not known. */
export interface SizedValue {
  readonly name: string;
  readonly bytes: number | null;
}

/** An activation buffer alive at the peak. */
export interface LiveTensor extends SizedValue {
  /** The node that writes it; absent for graph inputs. */
  readonly producer?: string;
  /** Outputs of Reshape/Squeeze/Unsqueeze/Flatten/Identity that share this buffer. */
  readonly aliases?: readonly string[];
}

/** The execution step at which live activation memory is highest. */
export interface PeakStep {
  /** Position in the execution order. */
  readonly index: number;
  /** The node run at that step (its name, or `Op #i` by file position when unnamed). */
  readonly node: string;
}

/**
 * Nodes onnxruntime's CPU provider replaces by one kernel, and the traffic that saves: each
 * eliminated intermediate is no longer written once and read by each of its readers, an input
 * that several of the nodes read is read once, and parameters folded into the kernel (a
 * BatchNormalization's, a constant Add's or Mul's, Clip bounds, LayerNorm's ε) are no longer read
 * on every run.
 */
export interface FusionGroup {
  /** What was fused, as op types: `Conv+BatchNormalization`, `Conv+Relu`, `LayerNormalization`. */
  readonly pattern: string;
  /** The onnxruntime graph transformer that performs it (`ConvBNFusion`), so it can be looked up or disabled. */
  readonly transformer: string;
  /** The lowest optimization level that performs it. */
  readonly level: OptimizationLevel;
  /** The op the runtime runs instead: `Conv`, `com.microsoft.FusedConv`, `com.microsoft.Gelu`. */
  readonly kernel: string;
  /**
   * Every node of the model the resulting kernel covers, in execution order; includes nodes merged
   * by earlier fusions (Conv+Relu after Conv+BatchNormalization lists the Conv, the BN and the Relu).
   */
  readonly nodes: readonly string[];
  /** Intermediate tensors that are no longer materialized. */
  readonly eliminated: readonly SizedValue[];
  /** Traffic saved per run; eliminated tensors of unknown size add nothing to it. */
  readonly savedBytes: number;
}

/** One branch of a re-parameterizable block. */
export interface ReparamBranch {
  /** `conv` (a convolution, maybe followed by BatchNormalization), `identity` (the input itself, maybe through BatchNormalization). */
  readonly kind: 'conv' | 'identity';
  readonly nodes: readonly string[];
  /** Spatial kernel size of the branch's convolution. */
  readonly kernel?: readonly number[];
}

/**
 * Parallel branches over one input that are summed and could be merged into one convolution
 * (RepVGG, ACNet, DBB-style training-time blocks exported unmerged): their kernels are padded to
 * the largest, BatchNormalizations folded and identities written as centred unit kernels.
 */
export interface ReparamGroup {
  readonly pattern: 'parallel-conv-branches';
  /** The tensor every branch reads. */
  readonly input: string;
  /** The tensor the summed branches produce. */
  readonly output: string;
  readonly branches: readonly ReparamBranch[];
  /** Every node the single merged convolution would replace, in execution order. */
  readonly nodes: readonly string[];
  /** Spatial kernel size of the merged convolution. */
  readonly kernel: readonly number[];
  readonly eliminated: readonly SizedValue[];
  /**
   * Traffic saved per run compared with the unfused graph: the replaced nodes' traffic minus one
   * convolution reading the input and merged weights and writing the output. Null when a replaced
   * node's traffic is not known.
   */
  readonly savedBytes: number | null;
  /** Multiply-accumulates of the convolutions the merge removes (all but one of the largest kernel's size). */
  readonly savedMacs: number;
}

/**
 * Where a model's bytes go on one run: weights, live activations along the execution order,
 * memory traffic, and what runtime fusions and re-parameterization save. Plain JSON-safe data.
 */
export interface MemoryAnalysis {
  /** Bytes of the initializers and Constant tensors of the main graph (what the session keeps resident). */
  readonly weightBytes: number;
  /** Highest sum of live activation bytes over the execution order (weights excluded). */
  readonly peakActivationBytes: number;
  /** True when some activation's size is unknown, so the real peak may be higher. */
  readonly peakIsLowerBound: boolean;
  /** Activation buffers whose size is not known; they are not in any byte sum. */
  readonly unknownSizeValues: number;
  /** Null for a graph with no nodes to run. */
  readonly peakStep: PeakStep | null;
  /** Buffers alive at the peak, largest first; their known bytes sum to peakActivationBytes. */
  readonly liveAtPeak: readonly LiveTensor[];
  /** Known live activation bytes at each step of the execution order. */
  readonly liveBytes: readonly number[];
  /** Compulsory traffic of one run: Σ over nodes of bytes read + bytes written. */
  readonly trafficBytes: number;
  /** Nodes whose traffic is not known; they are not in trafficBytes. */
  readonly trafficUnknownNodes: number;
  /** trafficBytes minus what the fusions save. */
  readonly fusedTrafficBytes: number;
  /** The onnxruntime optimization level the fusions are those of. */
  readonly optimizationLevel: OptimizationLevel;
  readonly fusions: readonly FusionGroup[];
  readonly reparameterizable: readonly ReparamGroup[];
}

/** Per-node traffic from the cost model; undefined when the node's bytes are not known. */
export type BytesOf = (node: NodeProto) => NodeBytes | undefined;
