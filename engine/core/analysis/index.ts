export { analyzeModel, type AnalyzeOptions } from './analyze.js';
export * from './types.js';
