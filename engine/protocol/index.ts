export * from './bridge.js';
export * from './errors.js';
export * from './messages.js';
export * from './methods.js';
export { ValidationError, type Validator } from './validate.js';
export * from './benchmark.js';
export * from './jobs.js';
