import { describe, expect, it } from 'vitest';
import { DataType, type TensorProto } from '../../../engine/core/onnx/index.js';
import { attr, leBytes, node, tensor, valueInfo } from '../../support/build.js';
import { infer, reasonFor, shapeOf, typeOf } from '../../support/shape.js';

const { FLOAT, INT64 } = DataType;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function int64(name: string, values: (number | bigint)[], dims: number[] = [values.length]): TensorProto {
  return tensor({ name, dataType: INT64, dims, rawData: leBytes(BigInt64Array.from(values, (v) => BigInt(v))) });
}

/** Dim `axis` of a tensor value's inferred shape. */
function dimOf(r: ReturnType<typeof infer>, name: string, axis: number): unknown {
  const t = r.typeOf(name);
  return t?.kind === 'tensor' ? t.shape?.[axis] : undefined;
}

describe('Slice', () => {
  it('sizes symbolic axes from bounds relative to the end, and leaves clamped ones unknown', () => {
    const cases: [string, (number | bigint)[], (number | bigint)[], (number | bigint)[]][] = [
      ['tail', [1], [INT64_MAX], [1]],
      ['last', [-1], [INT64_MAX], [1]],
      ['inner', [-3], [-1], [1]],
      ['trimmed', [2], [-1], [1]],
      ['every_other', [0], [INT64_MAX], [2]],
      ['reversed', [-1], [INT64_MIN], [-1]],
      ['head', [0], [512], [1]],
      ['none', [5], [2], [1]],
    ];
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 'S', 8])],
      initializer: [int64('axis', [1]), ...cases.flatMap(([name, s, e, step]) => [int64(`${name}_s`, s), int64(`${name}_e`, e), int64(`${name}_step`, step)])],
      node: cases.map(([name]) => node('Slice', ['x', `${name}_s`, `${name}_e`, 'axis', `${name}_step`], [name])),
    });
    const middle = (name: string) => dimOf(r, name, 1);
    expect(middle('tail')).toBe('S-1');
    expect(middle('last')).toBe(1);
    expect(middle('inner')).toBe(2);
    expect(middle('trimmed')).toBe('S-3');
    expect(middle('every_other')).toBe('ceil(S/2)');
    expect(middle('reversed')).toBe('S');
    // S might be shorter than 512.
    expect(middle('head')).toBe(null);
    expect(middle('none')).toBe(0);
  });

  it('reads opset 1 attributes, clamps known axes and evaluates contents with negative steps', () => {
    const r = infer(
      {
        input: [valueInfo('x', FLOAT, [20, 10, 5])],
        initializer: [int64('v', [1, 2, 3, 4, 5])],
        node: [
          node('Slice', ['x'], ['y'], [attr.ints('starts', [0, -100]), attr.ints('ends', [1000, -1]), attr.ints('axes', [0, 1])]),
          node('Slice', ['x'], ['z'], [attr.ints('starts', [2]), attr.ints('ends', [1])]),
        ],
      },
      9,
    );
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [20, 9, 5] });
    expect(shapeOf(r.typeOf('z'))).toEqual({ dtype: FLOAT, shape: [0, 10, 5] });
    const reversed = infer({
      initializer: [int64('v', [1, 2, 3, 4, 5]), int64('s', [-2]), int64('e', [INT64_MIN]), int64('a', [0]), int64('step', [-2])],
      node: [node('Slice', ['v', 's', 'e', 'a', 'step'], ['w'])],
    });
    expect(typeOf(reversed.typeOf('w'))).toEqual({ dtype: INT64, shape: [2], value: [4, 2] });
  });

  it('keeps the other axes when starts are not known', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 'S', 8]), valueInfo('s', INT64, [1]), valueInfo('e', INT64, [1])],
      initializer: [int64('axis', [-1])],
      node: [node('Slice', ['x', 's', 'e', 'axis'], ['y']), node('Slice', ['x', 's', 'e'], ['z'])],
    });
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['B', 'S', null] });
    expect(shapeOf(r.typeOf('z'))).toEqual({ dtype: FLOAT, shape: [null, 'S', 8] });
  });
});

describe('Split', () => {
  it('splits by attribute (opset 2), input (13), equally, and unevenly by num_outputs (18)', () => {
    const x = valueInfo('x', FLOAT, [2, 'S', 10]);
    const attrSplit = infer({ input: [x], node: [node('Split', ['x'], ['a', 'b'], [attr.int('axis', 2), attr.ints('split', [3, 7])])] }, 11);
    expect([shapeOf(attrSplit.typeOf('a')), shapeOf(attrSplit.typeOf('b'))]).toEqual([
      { dtype: FLOAT, shape: [2, 'S', 3] },
      { dtype: FLOAT, shape: [2, 'S', 7] },
    ]);
    const r = infer(
      {
        input: [x],
        initializer: [int64('sizes', [4, 6])],
        node: [
          node('Split', ['x', 'sizes'], ['c', 'd'], [attr.int('axis', -1)]),
          node('Split', ['x'], ['e', 'f', 'g', 'h'], [attr.int('axis', 2), attr.int('num_outputs', 4)]),
          node('Split', ['x'], ['i', 'j', 'k'], [attr.int('axis', 1), attr.int('num_outputs', 3)]),
        ],
      },
      18,
    );
    expect(shapeOf(r.typeOf('d'))).toEqual({ dtype: FLOAT, shape: [2, 'S', 6] });
    expect(['e', 'f', 'g', 'h'].map((n) => dimOf(r, n, 2))).toEqual([3, 3, 3, 1]);
    expect(['i', 'j', 'k'].map((n) => dimOf(r, n, 1))).toEqual(['ceil(S/3)', 'ceil(S/3)', 'S-((ceil(S/3))*2)']);
  });

  it('evaluates pieces of known contents and rejects sizes that do not add up', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, [4])],
      initializer: [int64('v', [1, 2, 3, 4, 5, 6]), int64('sizes', [2, 4]), int64('bad_sizes', [1, 1])],
      node: [node('Split', ['v', 'sizes'], ['p', 'q']), node('Split', ['x', 'bad_sizes'], ['m', 'n'], [], { name: 'bad' })],
    });
    expect(typeOf(r.typeOf('p'))).toEqual({ dtype: INT64, shape: [2], value: [1, 2] });
    expect(typeOf(r.typeOf('q'))).toEqual({ dtype: INT64, shape: [4], value: [3, 4, 5, 6] });
    expect(reasonFor(r, 'bad')).toMatch(/add up to 2, not 4/);
  });
});

describe('Concat, Transpose, Tile', () => {
  it('defaults the axis to 1 in opset 1, unifies other dims and evaluates 2-D contents', () => {
    const legacy = infer({ input: [valueInfo('a', FLOAT, [2, 3]), valueInfo('b', FLOAT, [2, 5])], node: [node('Concat', ['a', 'b'], ['c'])] }, 1);
    expect(shapeOf(legacy.typeOf('c'))).toEqual({ dtype: FLOAT, shape: [2, 8] });
    const r = infer({
      input: [valueInfo('a', FLOAT, ['B', 'S', 4]), valueInfo('b', FLOAT, [2, 'T', 4])],
      initializer: [int64('m', [1, 2, 3, 4], [2, 2]), int64('n', [5, 6], [2, 1])],
      node: [node('Concat', ['a', 'b'], ['c'], [attr.int('axis', 1)]), node('Concat', ['m', 'n'], ['mn'], [attr.int('axis', -1)]), node('Transpose', ['mn'], ['t'])],
    });
    expect(shapeOf(r.typeOf('c'))).toEqual({ dtype: FLOAT, shape: [2, 'S+T', 4] });
    expect(typeOf(r.typeOf('mn'))).toEqual({ dtype: INT64, shape: [2, 3], value: [1, 2, 5, 3, 4, 6] });
    expect(typeOf(r.typeOf('t'))).toEqual({ dtype: INT64, shape: [3, 2], value: [1, 3, 2, 4, 5, 6] });
  });

  it('rejects rank and dim conflicts and perms that are not permutations', () => {
    const r = infer({
      input: [valueInfo('a', FLOAT, [2, 3]), valueInfo('b', FLOAT, [4, 3, 1]), valueInfo('c', FLOAT, [5, 3])],
      node: [
        node('Concat', ['a', 'b'], ['x'], [attr.int('axis', 0)], { name: 'ranks' }),
        node('Concat', ['a', 'c'], ['y'], [attr.int('axis', 1)], { name: 'dims' }),
        node('Transpose', ['a'], ['z'], [attr.ints('perm', [0, 0])], { name: 'perm' }),
      ],
    });
    expect(reasonFor(r, 'ranks')).toMatch(/different ranks/);
    expect(reasonFor(r, 'dims')).toMatch(/2 and 5 must be equal/);
    expect(reasonFor(r, 'perm')).toMatch(/repeat an axis/);
  });

  it('tiles one axis by the opset 1 tiles and axis inputs', () => {
    const r = infer(
      { input: [valueInfo('x', FLOAT, [2, 'N'])], initializer: [int64('tiles', [3], []), int64('axis', [1], [])], node: [node('Tile', ['x', 'tiles', 'axis'], ['y'])] },
      1,
    );
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [2, 'N*3'] });
  });
});

describe('Pad and spatial rearrangements', () => {
  it('reads paddings (opset 1), pads (2), the pads input (11) and axes (18)', () => {
    const x = valueInfo('x', FLOAT, [1, 3, 'H', 8]);
    const v1 = infer({ input: [x], node: [node('Pad', ['x'], ['y'], [attr.ints('paddings', [0, 0, 1, 1, 0, 0, 1, 1])])] }, 1);
    expect(shapeOf(v1.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [1, 3, 'H+2', 10] });
    const v2 = infer({ input: [x], node: [node('Pad', ['x'], ['y'], [attr.ints('pads', [0, 0, 0, -2, 0, 0, 0, -2])])] }, 2);
    expect(shapeOf(v2.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [1, 3, 'H', 4] });
    const v18 = infer(
      {
        input: [x, valueInfo('unknown_pads', INT64, [4])],
        initializer: [int64('pads', [1, 2, 3, 4]), int64('axes', [-1, 2])],
        node: [node('Pad', ['x', 'pads', '', 'axes'], ['y'], [attr.string('mode', 'reflect')]), node('Pad', ['x', 'unknown_pads', '', 'axes'], ['z'])],
      },
      18,
    );
    expect(shapeOf(v18.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [1, 3, 'H+6', 12] });
    expect(shapeOf(v18.typeOf('z'))).toEqual({ dtype: FLOAT, shape: [1, 3, null, null] });
  });

  it('trades channels for space by blocksize, and center-crops the listed axes', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['N', 16, 'H', 'W']), valueInfo('img', FLOAT, ['H', 'W', 3])],
      initializer: [int64('crop', [224, 224])],
      node: [
        node('DepthToSpace', ['x'], ['d2s'], [attr.int('blocksize', 2), attr.string('mode', 'CRD')]),
        node('SpaceToDepth', ['x'], ['s2d'], [attr.int('blocksize', 2)]),
        node('CenterCropPad', ['img', 'crop'], ['cropped'], [attr.ints('axes', [0, 1])]),
        node('DepthToSpace', ['x'], ['bad'], [attr.int('blocksize', 3)], { name: 'bad' }),
      ],
    });
    expect(shapeOf(r.typeOf('d2s'))).toEqual({ dtype: FLOAT, shape: ['N', 4, 'H*2', 'W*2'] });
    expect(shapeOf(r.typeOf('s2d'))).toEqual({ dtype: FLOAT, shape: ['N', 64, 'floor(H/2)', 'floor(W/2)'] });
    expect(shapeOf(r.typeOf('cropped'))).toEqual({ dtype: FLOAT, shape: [224, 224, 3] });
    expect(reasonFor(r, 'bad')).toMatch(/channels 16 is not a multiple of 9/);
  });
});

describe('shape-preserving ops', () => {
  it('keeps the input shape for CumProd and TensorScatter, and bitcasts only between equal widths', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 8]), valueInfo('cache', FLOAT, ['B', 4, 128, 64]), valueInfo('update', FLOAT, ['B', 4, 1, 64])],
      initializer: [int64('axis', [1], [])],
      node: [
        node('CumProd', ['x', 'axis'], ['p']),
        node('TensorScatter', ['cache', 'update'], ['present']),
        node('BitCast', ['x'], ['bits'], [attr.int('to', DataType.INT32)]),
        node('BitCast', ['x'], ['bad'], [attr.int('to', DataType.FLOAT16)], { name: 'bad' }),
      ],
    });
    expect(shapeOf(r.typeOf('p'))).toEqual({ dtype: FLOAT, shape: ['B', 8] });
    expect(shapeOf(r.typeOf('present'))).toEqual({ dtype: FLOAT, shape: ['B', 4, 128, 64] });
    expect(shapeOf(r.typeOf('bits'))).toEqual({ dtype: DataType.INT32, shape: ['B', 8] });
    expect(reasonFor(r, 'bad')).toMatch(/cannot bitcast float32 \(32 bits\) to float16 \(16 bits\)/);
  });
});
