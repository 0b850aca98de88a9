export { cloneProto } from './clone.js';
export { DEFAULT_DOMAINS, defaultOpset, isStandardOp, nodeLabel } from './node-label.js';
export { GraphView, forEachGraph, implicitInputs, subgraphsOf, type NameScope, type SubgraphRef } from './graph-view.js';
export { namesIn, removeNodes, removeUnusedInitializers, renameUses, uniqueName } from './rewrite.js';
export { summarizeModel, type ModelSummary, type ValueSummary, type ExternalDataSummary } from './summary.js';
export { NEWEST_IR_VERSION, validateModel, type Finding, type FindingSeverity } from './validate.js';
