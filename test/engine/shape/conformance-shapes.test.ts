import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataType, decodeModel, decodeTensor, dataTypeName } from '../../../engine/core/onnx/index.js';
import { formatShape, inferShapes } from '../../../engine/core/shape/index.js';
import { conformanceCases, dataSetFiles, requireTestdata } from '../../support/testdata.js';

// ONNX's node conformance tests: each is one op with expected output tensors. Shape inference
// sees only the model's inputs and attributes; its output types must equal the expected
// tensors' dtype and dims. A wrong shape fails at once. An unknown one is allowed only for
// the cases listed in NOT_INFERRED, each with its reason, so the list can only shrink.

/** Cases whose outputs Whittle does not infer yet (prefix match on the case name), with why. */
const INPUT = 'a size parameter (pads, shape, axes, scales, repeats, k…) is a graph input fed at run time, so only the rank is known';
const DATA = 'the output size depends on the data: a named symbolic dim is given';
const LOOP = 'the Loop trip count is computed from graph inputs: a named symbolic dim is given';
const NOT_INFERRED: Readonly<Record<string, string>> = {
  test_blackmanwindow: INPUT,
  test_blackmanwindow_expanded: INPUT,
  test_blackmanwindow_symmetric: INPUT,
  test_blackmanwindow_symmetric_expanded: INPUT,
  test_compress_0: DATA,
  test_compress_1: DATA,
  test_compress_default_axis: DATA,
  test_compress_negative_axis: DATA,
  test_constant_pad: INPUT,
  test_constantofshape_float_ones: INPUT,
  test_constantofshape_int_shape_zero: INPUT,
  test_constantofshape_int_zeros: INPUT,
  test_edge_pad: INPUT,
  test_expand_dim_changed: INPUT,
  test_expand_dim_unchanged: INPUT,
  test_hammingwindow: INPUT,
  test_hammingwindow_expanded: INPUT,
  test_hammingwindow_symmetric: INPUT,
  test_hammingwindow_symmetric_expanded: INPUT,
  test_hannwindow: INPUT,
  test_hannwindow_expanded: INPUT,
  test_hannwindow_symmetric: INPUT,
  test_hannwindow_symmetric_expanded: INPUT,
  test_loop11: LOOP,
  test_maxunpool_export_with_output_shape: INPUT,
  test_melweightmatrix: INPUT,
  test_nonmaxsuppression_center_point_box_format: DATA,
  test_nonmaxsuppression_flipped_coordinates: DATA,
  test_nonmaxsuppression_identical_boxes: DATA,
  test_nonmaxsuppression_limit_output_size: DATA,
  test_nonmaxsuppression_single_box: DATA,
  test_nonmaxsuppression_suppress_by_IOU: DATA,
  test_nonmaxsuppression_suppress_by_IOU_and_scores: DATA,
  test_nonmaxsuppression_two_batches: DATA,
  test_nonmaxsuppression_two_classes: DATA,
  test_nonzero_example: DATA,
  test_onehot_negative_indices: INPUT,
  test_onehot_with_axis: INPUT,
  test_onehot_with_negative_axis: INPUT,
  test_onehot_without_axis: INPUT,
  test_range_float_type_positive_delta: INPUT,
  test_range_float_type_positive_delta_expanded: LOOP,
  test_range_int32_type_negative_delta: INPUT,
  test_range_int32_type_negative_delta_expanded: LOOP,
  test_reduce_sum_do_not_keepdims_example: INPUT,
  test_reduce_sum_do_not_keepdims_random: INPUT,
  test_reduce_sum_keepdims_example: INPUT,
  test_reduce_sum_keepdims_random: INPUT,
  test_reduce_sum_negative_axes_keepdims_example: INPUT,
  test_reflect_pad: INPUT,
  test_reshape_allowzero_reordered: INPUT,
  test_reshape_extended_dims: INPUT,
  test_reshape_negative_dim: INPUT,
  test_reshape_negative_extended_dims: INPUT,
  test_reshape_one_dim: INPUT,
  test_reshape_reduced_dims: INPUT,
  test_reshape_reordered_all_dims: INPUT,
  test_reshape_reordered_last_dims: INPUT,
  test_reshape_zero_and_negative_dim: INPUT,
  test_reshape_zero_dim: INPUT,
  test_resize_downsample_scales_cubic: INPUT,
  test_resize_downsample_scales_cubic_A_n0p5_exclude_outside: INPUT,
  test_resize_downsample_scales_cubic_align_corners: INPUT,
  test_resize_downsample_scales_linear: INPUT,
  test_resize_downsample_scales_linear_align_corners: INPUT,
  test_resize_downsample_scales_nearest: INPUT,
  test_resize_downsample_sizes_cubic: INPUT,
  test_resize_downsample_sizes_linear_pytorch_half_pixel: INPUT,
  test_resize_downsample_sizes_nearest: INPUT,
  test_resize_downsample_sizes_nearest_tf_half_pixel_for_nn: INPUT,
  test_resize_tf_crop_and_resize: INPUT,
  test_resize_upsample_scales_cubic: INPUT,
  test_resize_upsample_scales_cubic_A_n0p5_exclude_outside: INPUT,
  test_resize_upsample_scales_cubic_align_corners: INPUT,
  test_resize_upsample_scales_cubic_asymmetric: INPUT,
  test_resize_upsample_scales_linear: INPUT,
  test_resize_upsample_scales_linear_align_corners: INPUT,
  test_resize_upsample_scales_nearest: INPUT,
  test_resize_upsample_sizes_cubic: INPUT,
  test_resize_upsample_sizes_nearest: INPUT,
  test_resize_upsample_sizes_nearest_ceil_half_pixel: INPUT,
  test_resize_upsample_sizes_nearest_floor_align_corners: INPUT,
  test_resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric: INPUT,
  test_slice: INPUT,
  test_slice_default_axes: INPUT,
  test_slice_default_steps: INPUT,
  test_slice_end_out_of_bounds: INPUT,
  test_slice_neg: INPUT,
  test_slice_neg_steps: INPUT,
  test_slice_negative_axes: INPUT,
  test_slice_start_out_of_bounds: INPUT,
  test_split_variable_parts_1d: INPUT,
  test_split_variable_parts_2d: INPUT,
  test_split_variable_parts_default_axis: INPUT,
  test_split_zero_size_splits: INPUT,
  test_squeeze_negative_axes: INPUT,
  test_stft: INPUT,
  test_stft_with_window: INPUT,
  test_strnormalizer_export_monday_casesensintive_lower: DATA,
  test_strnormalizer_export_monday_casesensintive_nochangecase: DATA,
  test_strnormalizer_export_monday_casesensintive_upper: DATA,
  test_strnormalizer_export_monday_empty_output: DATA,
  test_strnormalizer_export_monday_insensintive_upper_twodim: DATA,
  test_tile: INPUT,
  test_tile_precomputed: INPUT,
  test_top_k: INPUT,
  test_top_k_negative_axis: INPUT,
  test_top_k_smallest: INPUT,
  test_unique_not_sorted_without_axis: DATA,
  test_unique_sorted_with_axis: DATA,
  test_unique_sorted_with_axis_3d: DATA,
  test_unique_sorted_with_negative_axis: DATA,
  test_unique_sorted_without_axis: DATA,
  test_unsqueeze_axis_0: INPUT,
  test_unsqueeze_axis_1: INPUT,
  test_unsqueeze_axis_2: INPUT,
  test_unsqueeze_negative_axes: INPUT,
  test_unsqueeze_three_axes: INPUT,
  test_unsqueeze_two_axes: INPUT,
  test_unsqueeze_unsorted_axes: INPUT,
  test_upsample_nearest: INPUT,
};

interface Outcome {
  readonly name: string;
  readonly op: string;
  readonly status: 'match' | 'unknown' | 'wrong';
  readonly detail: string;
}

function runCase(dir: string, name: string, modelPath: string): Outcome | undefined {
  const model = decodeModel(readFileSync(modelPath));
  const graph = model.graph!;
  const expected = dataSetFiles(dir).filter((f) => f.kind === 'output');
  // Outputs of sequence or optional type have no TensorProto to compare against.
  if (expected.length === 0 || graph.output.some((o) => o.type?.tensorType === undefined)) return undefined;
  const result = inferShapes(model);
  const problems: string[] = [];
  let wrong = false;
  for (const f of expected) {
    const want = decodeTensor(readFileSync(f.path));
    const out = graph.output[f.index]!;
    const got = result.typeOf(out.name);
    // The Debian data predates ONNX storing bfloat16 test tensors as bfloat16: they are uint16
    // there, while the model declares bfloat16. The declared type is the truth for those.
    const declared = out.type?.tensorType?.elemType;
    const wantType = want.dataType === DataType.UINT16 && declared === DataType.BFLOAT16 ? declared : want.dataType;
    const wantText = `${dataTypeName(wantType)}[${formatShape(want.dims)}]`;
    if (got?.kind !== 'tensor' || got.shape === undefined || got.shape.some((d) => typeof d !== 'number') || got.dtype === 0) {
      const why = result.unknown.get(graph.node.find((n) => n.output.includes(out.name))!)?.reason ?? 'no type';
      problems.push(`${out.name}: unknown (${why}); expected ${wantText}`);
      continue;
    }
    const gotText = `${dataTypeName(got.dtype)}[${formatShape(got.shape)}]`;
    if (gotText !== wantText) {
      wrong = true;
      problems.push(`${out.name}: inferred ${gotText}, expected ${wantText}`);
    }
  }
  const status = wrong ? 'wrong' : problems.length > 0 ? 'unknown' : 'match';
  // Name the ops where an unknown started; a test of several nodes blames only those.
  const roots = [...result.unknown.values()].filter((u) => u.cause === undefined).map((u) => u.node.opType);
  const op = [...new Set(roots.length > 0 ? roots : graph.node.map((n) => n.opType))].join('+');
  return { name, op, status, detail: problems.join('; ') };
}

function listedReason(name: string): string | undefined {
  const key = Object.keys(NOT_INFERRED).find((prefix) => name === prefix || name.startsWith(`${prefix}_`));
  return key === undefined ? undefined : NOT_INFERRED[key];
}

describe('shape inference against ONNX node conformance tests', () => {
  it('infers every expected output shape, or the case is listed as not inferred', (ctx) => {
    const root = requireTestdata(ctx);
    const outcomes: Outcome[] = [];
    for (const c of conformanceCases(root, 'node')) {
      const o = runCase(c.dir, c.name, c.modelPath);
      if (o !== undefined) outcomes.push(o);
    }
    const matched = outcomes.filter((o) => o.status === 'match').length;
    const wrong = outcomes.filter((o) => o.status === 'wrong');
    const unlisted = outcomes.filter((o) => o.status === 'unknown' && listedReason(o.name) === undefined);
    const stale = outcomes.filter((o) => o.status === 'match' && listedReason(o.name) !== undefined);
    const missingOps = [...new Set(outcomes.filter((o) => o.status !== 'match').map((o) => o.op))].sort();
    const summary = `shape conformance: ${matched} of ${outcomes.length} cases match (${((100 * matched) / outcomes.length).toFixed(1)}%); ops not fully inferred: ${missingOps.join(', ') || 'none'}`;
    console.info(summary);
    void ctx.annotate(summary);
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/shape-conformance.json', `${JSON.stringify({ matched, total: outcomes.length, missingOps, outcomes: outcomes.filter((o) => o.status !== 'match') }, null, 1)}\n`);
    expect(wrong.map((o) => `${o.name}: ${o.detail}`), 'inferred shapes that differ from the expected outputs').toEqual([]);
    expect(unlisted.map((o) => `${o.name}: ${o.detail}`), 'cases not inferred and not listed in NOT_INFERRED').toEqual([]);
    expect(stale.map((o) => o.name), 'cases listed in NOT_INFERRED that now match: remove them from the list').toEqual([]);
  });
});
