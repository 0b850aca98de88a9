/** onnxruntime's FuseReluClip rule (level basic): a Relu feeding a Clip is dropped, the Clip's lower bound raised to 0. */
import { loneNext, single, type Pattern } from './pattern.js';

const CLIP = new Set(['Clip']);

const reluClip: Pattern = {
  level: 'basic',
  anchors: new Set(['Relu']),
  match(g, u) {
    const next = single(u, 'Relu') && loneNext(g, u, CLIP);
    if (next === undefined) return undefined;
    return { pattern: 'Relu+Clip', transformer: 'FuseReluClip', members: [u, next.unit], kernel: 'Clip', anchor: next.node, paramBytes: next.unit.paramBytes };
  },
};

export const ELEMENTWISE_FUSIONS: readonly Pattern[] = [reluClip];
