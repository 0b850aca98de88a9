/**
 * What a node card says besides its op type. The Analysis carries no attributes, so the key ones
 * are read back from shapes: a Conv's kernel from its weight, its downsampling from in/out sizes.
 */
import type { Dim } from '../../../../engine/core/shape/types.js';
import { formatShape, type GraphNode } from './dataflow.js';

const CONV_OPS = new Set(['Conv', 'ConvTranspose', 'ConvInteger', 'QLinearConv', 'com.microsoft.FusedConv']);
const POOL_OPS = new Set(['MaxPool', 'AveragePool', 'LpPool']);

function numbers(shape: readonly Dim[] | undefined): readonly number[] | null {
  return shape !== undefined && shape.every((d): d is number => typeof d === 'number') ? shape : null;
}

/** Input size ÷ output size along the spatial axes, when that is a whole number above 1 (`↓2`). */
function downsampling(node: Pick<GraphNode, 'inputs' | 'outputs'>): string | null {
  const x = numbers(node.inputs[0]?.shape);
  const y = numbers(node.outputs[0]?.shape);
  if (!x || !y || x.length < 3 || x.length !== y.length) return null;
  const ratio = (x[2] ?? 0) / (y[2] || 1);
  return Number.isInteger(ratio) && ratio > 1 ? `↓${ratio}` : null;
}

/** Short facts such as `3×3 ↓2 dw` or `768×3072`; empty when there is nothing to add. */
export function keyFacts(node: Pick<GraphNode, 'opType' | 'inputs' | 'outputs'>): string {
  const facts: string[] = [];
  const weightIndex = node.opType === 'QLinearConv' ? 3 : 1;
  const weight = numbers(node.inputs[weightIndex]?.shape);
  if (CONV_OPS.has(node.opType) && weight && weight.length >= 3) {
    facts.push(weight.slice(2).join('×'));
    const stride = downsampling(node);
    if (stride) facts.push(stride);
    const channelsIn = numbers(node.inputs[0]?.shape)?.[1];
    if (weight[1] === 1 && channelsIn !== undefined && channelsIn > 1) facts.push('dw');
  } else if (POOL_OPS.has(node.opType)) {
    const stride = downsampling(node);
    if (stride) facts.push(stride);
  } else if ((node.opType === 'Gemm' || node.opType === 'MatMul') && weight?.length === 2) {
    facts.push(weight.join('×'));
  }
  return facts.join(' ');
}

/** The first output's shape, which is what the node makes. */
export function outputShape(node: Pick<GraphNode, 'outputs'>): string {
  return node.outputs.length === 0 ? '' : formatShape(node.outputs[0]!.shape);
}
