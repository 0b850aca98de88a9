export { parseTrace, median, TraceFormatError, type ParsedTrace, type ParseTraceOptions, type TraceNodeTime } from './trace.js';
export { mapKernels, type KernelMap, type RuntimeNode, type UncoveredNode } from './kernel-map.js';
export { analysisLabel, profilerNamer } from './profiler-names.js';
export { GroupTraffic, valueBytes } from './group-traffic.js';
export { joinProfile, splitTime, type MeasuredKernel, type MeasuredNode, type NodeProfile, type OpTypeTime, type ProfileJoin, type RooflinePoint } from './join.js';
