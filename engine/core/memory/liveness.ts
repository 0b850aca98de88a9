import type { NodeProto } from '../onnx/types.js';
import type { GraphFacts } from './facts.js';
import type { LiveTensor, PeakStep } from './types.js';
import { DEFAULT_DOMAINS } from '../graph/node-label.js';

/**
 * Ops whose output the runtimes hand back as a view of their input (onnxruntime reuses the input
 * buffer for Reshape, Squeeze, Unsqueeze, Flatten and Identity): no new allocation.
 */
const VIEW_OPS = new Set(['Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Identity']);

/** One allocation: a value and the views that share its memory. */
interface Buffer {
  readonly name: string;
  bytes: number | undefined;
  readonly producer?: NodeProto;
  /** First and last step at which the buffer is alive, inclusive. */
  readonly start: number;
  end: number;
  readonly aliases: string[];
}

export interface Liveness {
  readonly peakActivationBytes: number;
  readonly peakIsLowerBound: boolean;
  readonly unknownSizeValues: number;
  readonly peakStep: PeakStep | null;
  readonly liveAtPeak: readonly LiveTensor[];
  readonly liveBytes: readonly number[];
}

function isView(node: NodeProto): boolean {
  return DEFAULT_DOMAINS.has(node.domain) && VIEW_OPS.has(node.opType);
}

/** Activation buffers of the main graph with the steps they are alive. */
function buffersOf(facts: GraphFacts): Buffer[] {
  const buffers: Buffer[] = [];
  const bufferOf = new Map<string, Buffer>();
  const open = (name: string, start: number, producer?: NodeProto): void => {
    const b: Buffer = { name, bytes: facts.bytes(name), producer, start, end: start, aliases: [] };
    buffers.push(b);
    bufferOf.set(name, b);
  };
  for (const v of facts.graph.input) if (!facts.isConstant(v.name) && !bufferOf.has(v.name)) open(v.name, 0);
  facts.order.forEach((node, i) => {
    if (!facts.runs(node)) return;
    const viewed = isView(node) ? bufferOf.get(node.input[0] ?? '') : undefined;
    for (const out of node.output) {
      if (out === '') continue;
      if (viewed === undefined) {
        open(out, i, node);
        continue;
      }
      viewed.aliases.push(out);
      viewed.bytes ??= facts.bytes(out);
      bufferOf.set(out, viewed);
    }
  });
  // A buffer lives until the last read of any of its names (reads inside a node's subgraphs
  // count as reads by that node); graph outputs live to the end.
  const last = Math.max(facts.order.length - 1, 0);
  for (const [name, b] of bufferOf) {
    if (facts.graphOutputs.has(name)) b.end = last;
    for (const reader of facts.view.consumersOf(name)) {
      const s = facts.step.get(reader);
      if (s !== undefined && s > b.end) b.end = s;
    }
  }
  return buffers;
}

function compareLive(a: LiveTensor, b: LiveTensor): number {
  if (a.bytes !== b.bytes) return (b.bytes ?? -1) - (a.bytes ?? -1);
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Live activation memory along the execution order, with no memory reuse beyond freeing. Each
 * activation is allocated by the step that produces it (graph inputs at the first step) and freed
 * after the step of its last reader; graph outputs stay to the end; a value nobody reads is freed
 * right after its step but counts at it. Outputs of Reshape, Squeeze, Unsqueeze, Flatten and
 * Identity are views of their input: they allocate nothing and keep the input's buffer alive until
 * the last read of any of them. Weights are not activations and are not counted. Values whose size
 * is unknown are counted in `unknownSizeValues` and make the peak a lower bound. Only the main
 * graph is walked: memory inside If/Loop/Scan bodies is not counted.
 */
export function liveness(facts: GraphFacts): Liveness {
  const steps = facts.order.length;
  const buffers = buffersOf(facts);
  const delta = new Array<number>(steps + 1).fill(0);
  let unknownSizeValues = 0;
  for (const b of buffers) {
    if (b.bytes === undefined) {
      unknownSizeValues++;
      continue;
    }
    delta[b.start]! += b.bytes;
    delta[b.end + 1]! -= b.bytes;
  }
  const liveBytes: number[] = [];
  let running = 0;
  let peak = -1;
  let peakIndex = -1;
  for (let i = 0; i < steps; i++) {
    running += delta[i]!;
    liveBytes.push(running);
    if (running > peak) {
      peak = running;
      peakIndex = i;
    }
  }
  const liveAtPeak = peakIndex < 0 ? [] : buffers.filter((b) => b.start <= peakIndex && peakIndex <= b.end).map((b): LiveTensor => live(b, facts)).sort(compareLive);
  return {
    peakActivationBytes: Math.max(peak, 0),
    peakIsLowerBound: unknownSizeValues > 0,
    unknownSizeValues,
    peakStep: peakIndex < 0 ? null : { index: peakIndex, node: facts.label(facts.order[peakIndex]!) },
    liveAtPeak,
    liveBytes,
  };
}

function live(b: Buffer, facts: GraphFacts): LiveTensor {
  return {
    name: b.name,
    bytes: b.bytes ?? null,
    ...(b.producer !== undefined ? { producer: facts.label(b.producer) } : {}),
    ...(b.aliases.length > 0 ? { aliases: b.aliases } : {}),
  };
}
