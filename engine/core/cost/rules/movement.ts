/**
 * Ops that compute nothing: views that alias their input, reads of metadata, and copies. Views
 * (Reshape, Squeeze…) move no bytes: ONNX Runtime gives the output the input's buffer. Copies
 * read their inputs and write their outputs; gathers and slices read only the elements they
 * pick.
 */
import type { CostRule } from '../context.js';
import { fmt, product } from '../format.js';
import { elementWork, movementWork, perElement } from '../work.js';

function nothing(formula: string): CostRule {
  return () => ({ flops: 0, readBytes: 0, writeBytes: 0, formula });
}

const view = nothing('0: a view of its input; the runtime reuses the buffer, no bytes move');

const copy: CostRule = (ctx) => movementWork('data movement', ctx.allInputBytes(), ctx.allOutputBytes());

/** Reads |Y| elements of the data input (plus the small index inputs in full), writes Y. */
const pick: CostRule = (ctx) => {
  const picked = ctx.outElements(0);
  let read = ctx.bytesOfElements(0, picked);
  for (let i = 1; i < ctx.inputCount; i++) read += ctx.inputBytes(i);
  return movementWork(`reads the ${fmt(picked)} elements it picks and its indices`, read, ctx.allOutputBytes());
};

/** Scatter ops copy the data and write the updates; a reduction adds one operation per update. */
const scatter: CostRule = (ctx) => {
  const reduction = ctx.string('reduction', 'none');
  if (reduction === 'none') return copy(ctx);
  const updates = ctx.shape(2);
  const work = elementWork([perElement('|updates|', updates, product(updates), 1, reduction)]);
  return { ...work, formula: `${work.formula}; reads ${fmt(ctx.allInputBytes())} B, writes ${fmt(ctx.allOutputBytes())} B` };
};

/** Range writes start + i·delta: one add per element. */
const range: CostRule = (ctx) => {
  const y = ctx.outShape(0);
  return elementWork([perElement('|Y|', y, product(y), 1, 'running add')]);
};

export const rules: Record<string, CostRule> = {
  Reshape: view,
  Flatten: view,
  Squeeze: view,
  Unsqueeze: view,
  Identity: view,
  // Dropout in inference passes its input through.
  Dropout: view,
  Shape: nothing('0: reads only the input\'s shape'),
  Size: nothing('0: reads only the input\'s shape'),
  Constant: nothing('0: a constant stored in the model'),
  Transpose: copy,
  Concat: copy,
  Split: copy,
  Tile: copy,
  Expand: copy,
  Pad: copy,
  DepthToSpace: copy,
  SpaceToDepth: copy,
  ReverseSequence: copy,
  CenterCropPad: copy,
  Trilu: copy,
  MaxUnpool: copy,
  OneHot: copy,
  EyeLike: copy,
  ConstantOfShape: copy,
  Range: range,
  Gather: pick,
  GatherElements: pick,
  GatherND: pick,
  Slice: pick,
  Scatter: scatter,
  ScatterElements: scatter,
  ScatterND: scatter,
};
