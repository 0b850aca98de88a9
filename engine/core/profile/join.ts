/**
 * Measured time joined with the analysis: per kernel, per original node and per op type, with
 * achieved FLOP/s and bytes/s next to the roofline prediction. engine/protocol/benchmark.ts
 * carries these types to the CLI's JSON and the workbench.
 */
import type { Analysis, NodeAnalysis } from '../analysis/types.js';
import { GroupTraffic } from './group-traffic.js';
import type { KernelMap, UncoveredNode } from './kernel-map.js';
import type { ParsedTrace } from './trace.js';

/** One kernel the runtime ran, and the original nodes it stands for. */
export interface MeasuredKernel {
  /** The node name in the graph onnxruntime executed (after its fusions and layout changes). */
  readonly name: string;
  /** The runtime's op, such as `FusedConv` or `ReorderInput`. */
  readonly opType: string;
  readonly provider: string;
  /** Median time per run. */
  readonly ms: number;
  /** Share of the median run time, 0–1. */
  readonly share: number;
  /** Original nodes this kernel computes; empty for nodes the runtime inserted. */
  readonly covers: readonly string[];
  /** FLOPs of the covered nodes per measured second (1e9); null when none is counted. */
  readonly gflops: number | null;
  /** Bytes the group moves per measured second (1e9); null when none is counted. */
  readonly gbps: number | null;
}

/** One original node with the share of its kernel's time attributed to it. */
export interface MeasuredNode {
  readonly name: string;
  readonly opType: string;
  /**
   * Time attributed to this node: its kernel's median time, split between the nodes a fused kernel
   * covers in proportion to their predicted time.
   */
  readonly ms: number;
  /** Share of the median run time, 0–1. */
  readonly share: number;
  /** The kernel that computed it. */
  readonly kernel: string;
  readonly gflops: number | null;
  readonly gbps: number | null;
  readonly predictedMs: number | null;
}

export interface OpTypeTime {
  readonly opType: string;
  readonly ms: number;
  readonly share: number;
  readonly gflops: number | null;
  readonly gbps: number | null;
}

export interface NodeProfile {
  /** Profiled runs after warm-up whose kernel events were used. */
  readonly runs: number;
  /** Median `model_run` time of the profiled runs. */
  readonly runMs: number;
  /** Summed median time of the top-level kernels (nested subgraph kernels are inside their owner's). */
  readonly kernelMs: number;
  /** kernelMs / runMs; 0 when no run was kept. */
  readonly coverage: number;
  /** Kernel time covering no original node (runtime-inserted kernels, or kernels not in the executed graph). */
  readonly unmappedMs: number;
  readonly kernels: readonly MeasuredKernel[];
  readonly opTypes: readonly OpTypeTime[];
}

/** A node on the roofline twice: where the analysis put it, and where it ran. */
export interface RooflinePoint {
  readonly name: string;
  readonly opType: string;
  /** FLOPs per byte from the analysis; null when uncounted. */
  readonly intensity: number | null;
  readonly predictedGflops: number | null;
  readonly measuredGflops: number | null;
}

export interface ProfileJoin {
  readonly profile: NodeProfile;
  /** Covered original nodes, largest measured time first. */
  readonly nodes: MeasuredNode[];
  /** Original nodes no kernel computed, with why. */
  readonly uncovered: readonly UncoveredNode[];
  readonly roofline: readonly RooflinePoint[];
}

/** Work per second in units of 1e9; null when the work is not counted or there is no time to divide by. */
function rate(amount: number | null, ms: number): number | null {
  return amount === null || !(ms > 0) ? null : amount / (ms / 1000) / 1e9;
}

/**
 * Splits `ms` among nodes by weight (predicted time, else FLOPs, else equally). The last part
 * takes the remainder, so the parts add back to `ms` up to one rounding of the sum.
 */
export function splitTime(ms: number, nodes: readonly Pick<NodeAnalysis, 'predictedMs' | 'flops' | 'counted'>[]): number[] {
  if (nodes.length === 0) return [];
  const predicted = nodes.map((n) => (n.counted ? (n.predictedMs ?? 0) : 0));
  const flops = nodes.map((n) => (n.counted ? n.flops : 0));
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const weights = sum(predicted) > 0 ? predicted : sum(flops) > 0 ? flops : nodes.map(() => 1);
  const total = sum(weights);
  const parts = weights.map((w) => (ms * w) / total);
  parts[parts.length - 1] = ms - sum(parts.slice(0, -1));
  return parts;
}

/**
 * Joins the analysis of the original model (at the input dims that ran), a parsed trace and the
 * kernel map of the executed graph into the per-node profile. Nested kernels (inside If/Loop/Scan)
 * are left out of the sums: their time is inside their owner's kernel. Pure.
 */
export function joinProfile(analysis: Analysis, trace: ParsedTrace, map: KernelMap): ProfileJoin {
  const runtimeNodes = new Map(map.nodes.map((n) => [n.name, n]));
  const analyzed = new Map(analysis.nodes.map((n) => [n.name, n]));
  const traffic = new GroupTraffic(analysis);
  const runMs = trace.runMs;
  const shareOf = (ms: number): number => (runMs > 0 ? ms / runMs : 0);

  const kernels: MeasuredKernel[] = [];
  const measured: MeasuredNode[] = [];
  for (const t of trace.nodes) {
    if (t.parent !== null) continue;
    const covers = runtimeNodes.get(t.name)?.covers ?? [];
    const group = covers.flatMap((c) => analyzed.get(c) ?? []);
    const counted = group.filter((n) => n.counted);
    kernels.push({
      name: t.name,
      opType: t.opType,
      provider: t.provider,
      ms: t.ms,
      share: shareOf(t.ms),
      covers,
      gflops: rate(counted.length > 0 ? counted.reduce((a, n) => a + n.flops, 0) : null, t.ms),
      gbps: rate(counted.length > 0 ? traffic.bytes(group) : null, t.ms),
    });
    const parts = splitTime(t.ms, group);
    group.forEach((n, i) => {
      const ms = parts[i]!;
      measured.push({
        name: n.name,
        opType: n.opType,
        ms,
        share: shareOf(ms),
        kernel: t.name,
        gflops: rate(n.counted ? n.flops : null, ms),
        gbps: rate(n.counted ? n.readBytes + n.writeBytes : null, ms),
        predictedMs: n.predictedMs,
      });
    });
  }

  const kernelMs = kernels.reduce((a, k) => a + k.ms, 0);
  const unmappedMs = kernels.reduce((a, k) => a + (k.covers.length === 0 ? k.ms : 0), 0);
  measured.sort((a, b) => b.ms - a.ms);
  return {
    profile: {
      runs: trace.runs,
      runMs,
      kernelMs,
      coverage: shareOf(kernelMs),
      unmappedMs,
      kernels,
      opTypes: byOpType(measured, analyzed, shareOf),
    },
    nodes: measured,
    uncovered: map.uncovered,
    roofline: measured.map((m) => {
      const n = analyzed.get(m.name)!;
      return { name: m.name, opType: m.opType, intensity: n.intensity, predictedGflops: n.counted && n.predictedMs !== null ? rate(n.flops, n.predictedMs) : null, measuredGflops: m.gflops };
    }),
  };
}

function byOpType(measured: readonly MeasuredNode[], analyzed: ReadonlyMap<string, NodeAnalysis>, shareOf: (ms: number) => number): OpTypeTime[] {
  const totals = new Map<string, { ms: number; flops: number; bytes: number; counted: boolean }>();
  for (const m of measured) {
    const n = analyzed.get(m.name)!;
    const t = totals.get(m.opType) ?? { ms: 0, flops: 0, bytes: 0, counted: false };
    t.ms += m.ms;
    if (n.counted) {
      t.flops += n.flops;
      t.bytes += n.readBytes + n.writeBytes;
      t.counted = true;
    }
    totals.set(m.opType, t);
  }
  return [...totals]
    .map(([opType, t]) => ({ opType, ms: t.ms, share: shareOf(t.ms), gflops: rate(t.counted ? t.flops : null, t.ms), gbps: rate(t.counted ? t.bytes : null, t.ms) }))
    .sort((a, b) => b.ms - a.ms);
}
