export * from './summary.js';
export * from './tensor-summary.js';
