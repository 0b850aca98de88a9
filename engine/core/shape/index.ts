export { NodeContext, ShapeError, type ShapeRule } from './context.js';
export { MAX_KNOWN_ELEMENTS, constantType } from './constants.js';
export * from './dims.js';
export { InputDimsError, inferShapes, type ShapeInference, type ShapeOptions, type UnknownShape } from './infer.js';
export { coveredOps, ruleFor } from './ops/index.js';
export * from './types.js';
