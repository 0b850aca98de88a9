// Checks for the analysis, the devices and node details as the engine answers them: the fields
// the workbench reads are checked; fields a newer engine adds are let through.
import type { Analysis } from '../core/analysis/types.js';
import type { NodeDetails } from '../core/graph/node-details.js';
import type { DeviceProfile } from '../core/hardware/device.js';
import { boolean, count, dictionary, fields, finiteNumber, list, nullable, oneOf, optional, text, type Validator } from './validate.js';

const MAX_NAME = 65_536;
const MAX_TEXT = 4 * 1024 * 1024;
const MAX_NODES = 10_000_000;
const MAX_ITEMS = 1_000_000;

const dim: Validator<number | string | null> = (value, at) => (typeof value === 'string' ? text(MAX_NAME)(value, at) : nullable(finiteNumber)(value, at));
const valueRef = fields({ name: text(MAX_NAME), dtype: text(MAX_NAME), shape: optional(list(dim, 1024)) });
const figure = fields({ value: finiteNumber, source: text(MAX_TEXT) });

export const deviceProfile = fields({
  id: text(200),
  name: text(1000),
  kind: oneOf(['cpu', 'gpu', 'npu', 'soc'] as const),
  peakOpsPerSec: dictionary(figure, 8, 16),
  bandwidthBytesPerSec: figure,
}) as unknown as Validator<DeviceProfile>;

/** What a node costs, and what the model's totals add up. */
const costFields = {
  macs: finiteNumber,
  flops: finiteNumber,
  params: finiteNumber,
  weightBytes: finiteNumber,
  readBytes: finiteNumber,
  writeBytes: finiteNumber,
};

const nodeAnalysisFields = {
  index: count,
  name: text(MAX_NAME),
  opType: text(MAX_NAME),
  inputs: list(valueRef, MAX_ITEMS),
  outputs: list(valueRef, MAX_ITEMS),
  counted: boolean,
  formula: text(MAX_TEXT),
  ...costFields,
  intensity: nullable(finiteNumber),
  bound: nullable(oneOf(['compute', 'memory'] as const)),
  predictedMs: nullable(finiteNumber),
  share: finiteNumber,
};
const nodeAnalysis = fields(nodeAnalysisFields);

const subgraphNodeAnalysis = fields({
  ...nodeAnalysisFields,
  owner: text(MAX_NAME),
  graphPath: text(MAX_TEXT),
  taken: nullable(boolean),
  runs: nullable(finiteNumber),
});

const totals = fields({
  nodes: count,
  ...costFields,
  peakActivationBytes: finiteNumber,
  uncountedNodes: count,
  unknownShapeNodes: count,
  predictedMs: finiteNumber,
  memoryBoundShare: finiteNumber,
});

export const analysis = fields({
  inputs: list(valueRef, MAX_ITEMS),
  outputs: list(valueRef, MAX_ITEMS),
  unpinnedDims: list(text(MAX_NAME), MAX_ITEMS),
  device: fields({ profile: deviceProfile, ridgePoints: dictionary(finiteNumber, 8, 16) }),
  totals,
  byOpType: list(fields({ opType: text(MAX_NAME), count: count, macs: finiteNumber, flops: finiteNumber, predictedMs: finiteNumber, share: finiteNumber }), MAX_ITEMS),
  nodes: list(nodeAnalysis, MAX_NODES),
  // Optional: an engine older than body nodes answers without them.
  subgraphNodes: optional(list(subgraphNodeAnalysis, MAX_NODES)),
}) as unknown as Validator<Analysis>;

export const nodeDetails = fields({
  index: count,
  name: text(MAX_NAME),
  opType: text(MAX_NAME),
  domain: text(MAX_NAME),
  docString: text(MAX_TEXT),
  inputs: list(text(MAX_NAME), MAX_ITEMS),
  outputs: list(text(MAX_NAME), MAX_ITEMS),
  attributes: list(fields({ name: text(MAX_NAME), type: text(100), value: text(MAX_TEXT) }), MAX_ITEMS),
}) as unknown as Validator<NodeDetails>;

export const deviceList = fields({ devices: list(deviceProfile, 1000), thisMachineMeasured: boolean });
