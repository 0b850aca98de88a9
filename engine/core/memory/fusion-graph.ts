import { implicitInputs } from '../graph/graph-view.js';
import type { NodeProto } from '../onnx/types.js';
import type { GraphFacts } from './facts.js';
import type { FusionGroup, OptimizationLevel, SizedValue } from './types.js';
import { DEFAULT_DOMAINS } from '../graph/node-label.js';

/** One kernel the runtime would run: a node of the model, or several fused into one. */
export interface Unit {
  /** The op run, prefixed by its domain outside the default one: `Conv`, `com.microsoft.FusedConv`. */
  readonly kernel: string;
  /** The node whose attributes and weights the kernel keeps (the Conv of a FusedConv). */
  readonly anchor: NodeProto;
  readonly nodes: readonly NodeProto[];
  /** Activations read, one entry per read edge (constants are not edges, as in onnxruntime); a fused kernel reads each once. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Bytes of the constants the kernel reads per run. */
  readonly paramBytes: number;
  /** For convolutions: whether the kernel adds a bias (given, or created by folding). */
  readonly hasBias: boolean;
}

/** What a pattern found: units to fuse and the kernel they become. */
export interface Match {
  readonly pattern: string;
  readonly transformer: string;
  readonly members: readonly Unit[];
  readonly kernel: string;
  readonly anchor: NodeProto;
  readonly paramBytes: number;
  readonly hasBias?: boolean;
}

function kernelName(node: NodeProto): string {
  return DEFAULT_DOMAINS.has(node.domain) ? node.opType : `${node.domain}.${node.opType}`;
}

/**
 * The main graph as kernels, rewritten one fusion at a time as onnxruntime does, so later fusions
 * see earlier ones (Conv+BatchNormalization first, then the folded Conv with its Relu).
 */
export class FusionGraph {
  private readonly unitOf = new Map<NodeProto, Unit>();
  private readonly producers = new Map<string, Unit>();
  private readonly readers = new Map<string, Unit[]>();
  private readonly byKernel = new Map<string, Set<Unit>>();
  readonly groups: FusionGroup[] = [];

  constructor(readonly facts: GraphFacts) {
    for (const node of facts.order) {
      if (!facts.runs(node)) continue;
      const inputs = [...node.input, ...implicitInputs(node)].filter((name) => name !== '' && !facts.isConstant(name));
      const unit: Unit = {
        kernel: kernelName(node),
        anchor: node,
        nodes: [node],
        inputs,
        outputs: node.output.filter((o) => o !== ''),
        paramBytes: facts.paramBytes(node),
        hasBias: node.opType === 'Conv' && (node.input[2] ?? '') !== '',
      };
      this.place(unit);
    }
  }

  /** The current units running one of these kernels, in execution order. */
  unitsWith(kernels: ReadonlySet<string>): Unit[] {
    const units: Unit[] = [];
    for (const k of kernels) for (const u of this.byKernel.get(k) ?? []) units.push(u);
    const step = (u: Unit): number => this.facts.step.get(u.nodes[0]!)!;
    return units.sort((a, b) => step(a) - step(b));
  }

  /** False once the unit has been fused into another. */
  alive(u: Unit): boolean {
    return this.unitOf.get(u.nodes[0]!) === u;
  }

  producer(name: string): Unit | undefined {
    return this.producers.get(name);
  }

  readersOf(name: string): readonly Unit[] {
    return this.readers.get(name) ?? [];
  }

  /**
   * The one unit that reads this unit's outputs, and the value it reads, when there is exactly one
   * read edge and no output is a graph output: onnxruntime's condition for fusing a node forward.
   */
  loneReader(u: Unit): { readonly next: Unit; readonly value: string } | undefined {
    let found: { next: Unit; value: string } | undefined;
    for (const out of u.outputs) {
      if (this.facts.graphOutputs.has(out)) return undefined;
      for (const r of this.readersOf(out)) {
        if (found !== undefined) return undefined;
        found = { next: r, value: out };
      }
    }
    return found;
  }

  /**
   * Replaces the match's units by one. Values produced inside and read only inside disappear;
   * refused (undefined) when such a value is also read outside or is a graph output, since the
   * fused kernel could then not drop it.
   */
  fuse(m: Match, level: OptimizationLevel): FusionGroup | undefined {
    const members = new Set(m.members);
    const produced = new Set(m.members.flatMap((u) => u.outputs));
    const eliminated: { name: string; reads: number }[] = [];
    const outputs: string[] = [];
    for (const v of produced) {
      const readers = this.readersOf(v);
      const inside = readers.filter((r) => members.has(r)).length;
      if (inside === 0) {
        outputs.push(v);
        continue;
      }
      if (inside < readers.length || this.facts.graphOutputs.has(v)) return undefined;
      eliminated.push({ name: v, reads: inside });
    }
    // The kernel reads each outside activation once, however many of the fused nodes read it.
    const reads = new Map<string, number>();
    for (const name of m.members.flatMap((u) => u.inputs)) if (!produced.has(name)) reads.set(name, (reads.get(name) ?? 0) + 1);
    const nodes = m.members.flatMap((u) => u.nodes).sort((a, b) => this.facts.step.get(a)! - this.facts.step.get(b)!);
    const unit: Unit = {
      kernel: m.kernel,
      anchor: m.anchor,
      nodes,
      inputs: [...reads.keys()],
      outputs,
      paramBytes: m.paramBytes,
      hasBias: m.hasBias ?? m.members.some((u) => u.hasBias),
    };
    for (const u of m.members) this.byKernel.get(u.kernel)?.delete(u);
    for (const v of eliminated) {
      this.readers.delete(v.name);
      this.producers.delete(v.name);
    }
    for (const name of reads.keys()) this.readers.set(name, this.readersOf(name).filter((r) => !members.has(r)));
    this.place(unit);
    const sized: SizedValue[] = eliminated.map((v) => ({ name: v.name, bytes: this.facts.bytes(v.name) ?? null }));
    const intermediateBytes = eliminated.reduce((a, v) => a + (this.facts.bytes(v.name) ?? 0) * (1 + v.reads), 0);
    const rereadBytes = [...reads].reduce((a, [name, k]) => a + (this.facts.bytes(name) ?? 0) * (k - 1), 0);
    const paramsBefore = m.members.reduce((a, u) => a + u.paramBytes, 0);
    const group: FusionGroup = {
      pattern: m.pattern,
      transformer: m.transformer,
      level,
      kernel: m.kernel,
      nodes: nodes.map((n) => this.facts.label(n)),
      eliminated: sized,
      savedBytes: intermediateBytes + rereadBytes + paramsBefore - m.paramBytes,
    };
    this.groups.push(group);
    return group;
  }

  private place(unit: Unit): void {
    const same = this.byKernel.get(unit.kernel);
    if (same) same.add(unit);
    else this.byKernel.set(unit.kernel, new Set([unit]));
    for (const n of unit.nodes) this.unitOf.set(n, unit);
    for (const o of unit.outputs) this.producers.set(o, unit);
    for (const name of unit.inputs) {
      const list = this.readers.get(name);
      if (list) list.push(unit);
      else this.readers.set(name, [unit]);
    }
  }
}
