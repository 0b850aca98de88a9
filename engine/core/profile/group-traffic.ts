/**
 * Bytes a kernel moves when it computes a group of original nodes: what enters the group and
 * what leaves it. Intermediates inside a fused group stay in registers or cache.
 */
import type { Analysis, NodeAnalysis, ValueRef } from '../analysis/types.js';
import { dataTypeInfo, rawByteLength, type DataTypeInfo } from '../onnx/data-types.js';

const TYPES_BY_NAME = new Map<string, DataTypeInfo>();
for (let id = 1; id < 64; id++) {
  const info = dataTypeInfo(id);
  if (info !== undefined && info.bits > 0) TYPES_BY_NAME.set(info.name, info);
}

/** Bytes of a value when its element type and every dim are known, else undefined. */
export function valueBytes(v: ValueRef): number | undefined {
  const info = TYPES_BY_NAME.get(v.dtype);
  if (info === undefined || v.shape === undefined) return undefined;
  let count = 1;
  for (const d of v.shape) {
    if (typeof d !== 'number') return undefined;
    count *= d;
  }
  return rawByteLength(info, count);
}

/** Computes group traffic over one analysis; build once, ask per group. */
export class GroupTraffic {
  private readonly consumers = new Map<string, NodeAnalysis[]>();
  private readonly graphOutputs: ReadonlySet<string>;

  constructor(analysis: Analysis) {
    this.graphOutputs = new Set(analysis.outputs.map((o) => o.name));
    for (const n of analysis.nodes) {
      for (const i of n.inputs) {
        if (i.name === '') continue;
        const list = this.consumers.get(i.name);
        if (list) list.push(n);
        else this.consumers.set(i.name, [n]);
      }
    }
  }

  /**
   * Bytes of the tensors entering the group from outside (activations and weights, each once)
   * plus the tensors it produces that are read outside it or are graph outputs. Values of
   * unknown size are left out.
   */
  bytes(group: readonly NodeAnalysis[]): number {
    const members = new Set(group);
    const produced = new Set(group.flatMap((n) => n.outputs.map((o) => o.name)));
    const counted = new Set<string>();
    let total = 0;
    const add = (v: ValueRef): void => {
      if (v.name === '' || counted.has(v.name)) return;
      counted.add(v.name);
      total += valueBytes(v) ?? 0;
    };
    for (const n of group) {
      for (const i of n.inputs) if (!produced.has(i.name)) add(i);
      for (const o of n.outputs) {
        const leaves = this.graphOutputs.has(o.name) || (this.consumers.get(o.name) ?? []).some((c) => !members.has(c));
        if (leaves) add(o);
      }
    }
    return total;
  }
}
