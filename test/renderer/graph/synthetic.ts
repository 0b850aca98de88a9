import type { ValueRef } from '../../../engine/core/analysis/types.js';
import type { GraphNode } from '../../../renderer/src/features/graph/dataflow.js';

export function value(name: string, shape: ValueRef['shape'] = [1, 16, 256]): ValueRef {
  return { name, dtype: 'float32', shape };
}

export function node(name: string, opType: string, inputs: readonly ValueRef[], outputs: readonly ValueRef[], cost: Partial<GraphNode> = {}): GraphNode {
  return { name, opType, inputs, outputs, macs: 0, flops: 0, params: 0, readBytes: 0, writeBytes: 0, intensity: null, predictedMs: null, counted: true, ...cost };
}

const LAYER_OPS = ['MatMul', 'Add', 'Reshape', 'Transpose', 'MatMul', 'Softmax', 'MatMul', 'Add', 'ReduceMean', 'Sub', 'Mul', 'Sqrt', 'Div', 'MatMul', 'Gelu', 'MatMul', 'Add'];

/**
 * A chain of transformer-like layers named the PyTorch way (`/encoder/layer.3/attention/MatMul_2`),
 * or with flat Paddle-style names (`p2o.MatMul.12`), each node reading the previous output and
 * the layer input (a residual), with costs spanning several decades.
 */
export function transformerLike(nodeCount: number, naming: 'scoped' | 'flat' = 'scoped'): GraphNode[] {
  const nodes: GraphNode[] = [];
  let previous = 'input';
  let layerInput = 'input';
  for (let i = 0; i < nodeCount; i++) {
    const layer = Math.floor(i / LAYER_OPS.length);
    const step = i % LAYER_OPS.length;
    const opType = LAYER_OPS[step]!;
    if (step === 0) layerInput = previous;
    const part = step < 8 ? 'attention' : 'mlp';
    const name = naming === 'scoped' ? `/encoder/layer.${layer}/${part}/${opType}_${step}` : `p2o.${opType}.${i}`;
    const out = `t${i}`;
    const inputs = [value(previous), ...(step === 7 ? [value(layerInput)] : [])];
    const macs = opType === 'MatMul' ? 1_048_576 * (1 + (i % 3)) : 0;
    nodes.push(
      node(name, opType, inputs, [value(out)], {
        macs,
        flops: macs * 2 || 4096,
        params: opType === 'MatMul' ? 65_536 : 0,
        readBytes: 16_384,
        writeBytes: 16_384,
        intensity: (macs * 2 || 4096) / 32_768,
        predictedMs: macs > 0 ? 0.05 : 0.001,
      }),
    );
    previous = out;
  }
  return nodes;
}
