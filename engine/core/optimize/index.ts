export { GraphConstants, constantNodeTensor, floatTensor, int64Tensor } from './constants.js';
export { PASSES } from './passes.js';
export { DEFAULT_PASSES, UnknownPassError, optimize, parsePassList, type OptimizeOptions, type OptimizeResult } from './pipeline.js';
export * from './types.js';
