/** String ops: normalization, n-gram vectorizing, regex matching, concatenation and splitting. */
import { DataType } from '../../onnx/data-types.js';
import type { ShapeRule } from '../context.js';
import { broadcastShapes } from '../dims.js';
import { tensorOf } from '../types.js';
import { freshDim } from './merge.js';

/** Input [C] or [1, C]; stopwords remove an unknown number of strings from the last axis. */
const stringNormalizer: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (x === undefined) return [tensorOf(DataType.STRING)];
  if (x.length !== 1 && x.length !== 2) return ctx.fail(`StringNormalizer input must be [C] or [1, C]; it has rank ${x.length}`);
  if ((ctx.strings('stopwords') ?? []).length === 0) return [tensorOf(DataType.STRING, x)];
  return [tensorOf(DataType.STRING, [...x.slice(0, -1), freshDim(ctx, 'kept')])];
};

/** Input [C] or [N, C]: one float per n-gram slot, max(ngram_indexes) + 1 of them. */
const tfIdfVectorizer: ShapeRule = (ctx) => {
  const indexes = ctx.ints('ngram_indexes') ?? [];
  if (indexes.length === 0 || indexes.some((i) => i < 0)) return ctx.fail('ngram_indexes must be non-empty and non-negative');
  const width = Math.max(...indexes) + 1;
  const x = ctx.shape(0);
  if (x === undefined) return [tensorOf(DataType.FLOAT)];
  if (x.length === 1) return [tensorOf(DataType.FLOAT, [width])];
  if (x.length === 2) return [tensorOf(DataType.FLOAT, [x[0]!, width])];
  return ctx.fail(`TfIdfVectorizer input must have rank 1 or 2; it has ${x.length}`);
};

const regexFullMatch: ShapeRule = (ctx) => [tensorOf(DataType.BOOL, ctx.shape(0))];

const stringConcat: ShapeRule = (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  if (a === undefined || b === undefined) return [tensorOf(DataType.STRING)];
  const shape = broadcastShapes(a, b);
  return [typeof shape === 'string' ? ctx.fail(shape) : tensorOf(DataType.STRING, shape)];
};

/** Substrings padded to the longest split along a new last axis, and the count per string. */
const stringSplit: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  return [tensorOf(DataType.STRING, x === undefined ? undefined : [...x, freshDim(ctx, 'parts')]), tensorOf(DataType.INT64, x)];
};

export const rules: Record<string, ShapeRule> = {
  StringNormalizer: stringNormalizer,
  TfIdfVectorizer: tfIdfVectorizer,
  RegexFullMatch: regexFullMatch,
  StringConcat: stringConcat,
  StringSplit: stringSplit,
};
