export * from './data-types.js';
export { decodeModel, decodeTensor, MAX_NESTING_DEPTH } from './decode.js';
export { encodeModel, encodeTensor } from './encode.js';
export * from './errors.js';
export { elementCount } from './tensor-check.js';
export * from './tensor.js';
export * from './types.js';
