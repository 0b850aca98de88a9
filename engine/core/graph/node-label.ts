import type { ModelProto, NodeProto } from '../onnx/types.js';

/** The domain names of the standard operator set: the empty string and its alias. */
export const DEFAULT_DOMAINS: ReadonlySet<string> = new Set(['', 'ai.onnx']);

/** True when the node is a standard ONNX operator of this type (not a custom domain's namesake). */
export function isStandardOp(node: NodeProto, opType: string): boolean {
  return node.opType === opType && DEFAULT_DOMAINS.has(node.domain);
}

/** How messages name a node: its name, or its op type and position when it has none. */
export function nodeLabel(node: Pick<NodeProto, 'name' | 'opType'>, index: number): string {
  return node.name !== '' ? node.name : `${node.opType} #${index}`;
}

/** The model's opset of the standard operators (0 when it imports none). */
export function defaultOpset(model: Pick<ModelProto, 'opsetImport'>): number {
  return model.opsetImport.find((o) => DEFAULT_DOMAINS.has(o.domain))?.version ?? 0;
}
