/** Element-wise ops: unary (same shape), broadcasting binary and variadic ops, Where, Cast. */
import { DataType } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { addDims, broadcastShapes, floorDivDims, mulDims, subDims } from '../dims.js';
import { tensorOf, type Dim, type TensorType } from '../types.js';
import { broadcastEval, castNumber, isIntegerType, numeric } from './values.js';

/** Output like input 0 (shape and dtype), contents dropped. */
const sameAsInput: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  return [x === undefined ? undefined : tensorOf(x.dtype, x.shape)];
};

const UNARY = [
  'Abs', 'Acos', 'Acosh', 'Asin', 'Asinh', 'Atan', 'Atanh', 'BitwiseNot', 'Ceil', 'Celu', 'Cos', 'Cosh', 'Elu', 'Erf', 'Exp',
  'Floor', 'Gelu', 'HardSigmoid', 'HardSwish', 'Hardmax', 'LeakyRelu', 'Log', 'LogSoftmax', 'LpNormalization', 'Mish', 'Neg',
  'Reciprocal', 'Relu', 'Round', 'Selu', 'Shrink', 'Sigmoid', 'Sign', 'Sin', 'Sinh', 'Softmax', 'Softplus', 'Softsign', 'Sqrt',
  'Tan', 'Tanh', 'ThresholdedRelu', 'Swish',
];

/** Unary ops that are worth evaluating on known contents (shape arithmetic uses them). */
const UNARY_VALUES: Record<string, (x: Dim) => Dim> = {
  Neg: (x) => subDims(0, x),
  Abs: numeric(Math.abs),
  Floor: numeric(Math.floor),
  Ceil: numeric(Math.ceil),
  Sqrt: numeric(Math.sqrt),
  Reciprocal: numeric((x) => 1 / x),
  Relu: numeric((x) => Math.max(0, x)),
  Sign: numeric(Math.sign),
  Round: numeric((x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; // half to even, as ONNX specifies
  }),
};

function withValues(fn: (x: Dim) => Dim): ShapeRule {
  return (ctx) => {
    const x = ctx.tensor(0);
    if (x === undefined) return [undefined];
    return [tensorOf(x.dtype, x.shape, x.value?.map(fn))];
  };
}

function integerDivision(a: number, b: number): number {
  return Math.trunc(a / b);
}

function divide(dtype: number): (a: Dim, b: Dim) => Dim {
  if (!isIntegerType(dtype)) return numeric((a, b) => a / b);
  // Symbolic quotients are only formed when exact semantics agree (non-negative shape values).
  return (a, b) => (typeof a === 'number' && typeof b === 'number' ? (b === 0 ? null : integerDivision(a, b)) : floorDivDims(a, b));
}

const compare = (fn: (a: number, b: number) => boolean) => (a: Dim, b: Dim): Dim => {
  if (typeof a === 'number' && typeof b === 'number') return fn(a, b) ? 1 : 0;
  if (a !== null && a === b) return fn(0, 0) ? 1 : 0; // same symbol: equal
  return null;
};

/** Binary ops whose result dtype is the inputs', with an evaluator for known contents. */
const ARITHMETIC: Record<string, ((dtype: number) => (a: Dim, b: Dim) => Dim) | undefined> = {
  Add: () => addDims,
  Sub: () => subDims,
  Mul: () => mulDims,
  Div: divide,
  Pow: () => numeric((a, b) => a ** b),
  Mod: () => numeric((a, b) => a % b),
  BitShift: undefined,
  BitwiseAnd: undefined,
  BitwiseOr: undefined,
  BitwiseXor: undefined,
};

const LOGICAL: Record<string, ((a: Dim, b: Dim) => Dim) | undefined> = {
  Equal: compare((a, b) => a === b),
  Less: compare((a, b) => a < b),
  Greater: compare((a, b) => a > b),
  LessOrEqual: compare((a, b) => a <= b),
  GreaterOrEqual: compare((a, b) => a >= b),
  And: numeric((a, b) => (a !== 0 && b !== 0 ? 1 : 0)),
  Or: numeric((a, b) => (a !== 0 || b !== 0 ? 1 : 0)),
  Xor: numeric((a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0)),
};

/** Broadcasts all tensor inputs; contents evaluated with `fn` when every input's are known. */
function broadcastRule(dtypeOf: (ctx: NodeContext) => number, evaluate?: (ctx: NodeContext) => ((...args: Dim[]) => Dim) | undefined): ShapeRule {
  return (ctx) => {
    const operands: TensorType[] = [];
    for (let i = 0; i < ctx.inputCount; i++) {
      const t = ctx.tensor(i);
      if (t === undefined || t.shape === undefined) return [dtypeOf(ctx) === 0 ? undefined : tensorOf(dtypeOf(ctx))];
      operands.push(t);
    }
    if (operands.length === 0) ctx.fail(`${ctx.node.opType} needs at least one input`);
    let shape: readonly Dim[] = operands[0]!.shape!;
    for (const o of operands.slice(1)) {
      const b = broadcastShapes(shape, o.shape!);
      if (typeof b === 'string') return ctx.fail(b);
      shape = b;
    }
    const fn = evaluate?.(ctx);
    const value = fn === undefined ? undefined : broadcastEval(operands, shape, fn);
    return [tensorOf(dtypeOf(ctx), shape, value)];
  };
}

const firstDtype = (ctx: NodeContext): number => ctx.dtype(0);
const boolDtype = (): number => DataType.BOOL;

const variadic = (fn: (a: number, b: number) => number) => (...xs: Dim[]): Dim =>
  xs.every((x) => typeof x === 'number') ? (xs as number[]).reduce(fn) : null;

const cast: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const to = ctx.node.opType === 'CastLike' ? ctx.dtype(1) : ctx.int('to', 0);
  if (x === undefined) return [to === 0 ? undefined : tensorOf(to)];
  const value = x.value?.map((v) => (typeof v === 'number' ? castNumber(v, to) : isIntegerType(to) ? v : null));
  return [tensorOf(to, x.shape, value)];
};

const dropout: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x === undefined) return [];
  return [tensorOf(x.dtype, x.shape, x.value), tensorOf(DataType.BOOL, x.shape)];
};

/** PRelu broadcasts the slope to X's shape (unidirectionally). */
const prelu: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const slope = ctx.shape(1);
  if (x?.shape !== undefined && slope !== undefined) {
    const b = broadcastShapes(x.shape, slope);
    if (typeof b === 'string' || b.length !== x.shape.length) ctx.fail(`slope of shape ${slope.join('x')} does not broadcast to X`);
  }
  return sameAsInput(ctx);
};

const clip: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x === undefined) return [undefined];
  const lo = ctx.numbers(1)?.[0] ?? ctx.float('min', -Infinity);
  const hi = ctx.numbers(2)?.[0] ?? ctx.float('max', Infinity);
  const clamp = numeric((v) => Math.min(hi, Math.max(lo, v)));
  return [tensorOf(x.dtype, x.shape, x.value?.map((v) => clamp(v)))];
};

const logicalNot = numeric((v) => (v === 0 ? 1 : 0));

const boolOf: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  return [x === undefined ? undefined : tensorOf(DataType.BOOL, x.shape, ctx.node.opType === 'Not' ? x.value?.map((v) => logicalNot(v)) : undefined)];
};

export const rules: Record<string, ShapeRule> = {
  ...Object.fromEntries(UNARY.map((op) => [op, UNARY_VALUES[op] ? withValues(UNARY_VALUES[op]) : sameAsInput])),
  // Identity also passes sequences (opset 14) and optionals (opset 16) through.
  Identity: (ctx) => [ctx.input(0)],
  ...Object.fromEntries(Object.entries(ARITHMETIC).map(([op, make]) => [op, broadcastRule(firstDtype, make && ((ctx) => make(ctx.dtype(0))))])),
  ...Object.fromEntries(Object.entries(LOGICAL).map(([op, fn]) => [op, broadcastRule(boolDtype, fn && (() => fn))])),
  Sum: broadcastRule(firstDtype, () => variadic((a, b) => a + b)),
  Max: broadcastRule(firstDtype, () => variadic(Math.max)),
  Min: broadcastRule(firstDtype, () => variadic(Math.min)),
  Mean: broadcastRule(firstDtype),
  Where: broadcastRule((ctx) => ctx.dtype(1), () => (c, a, b) => (c === null ? null : c !== 0 ? a : b)),
  Cast: cast,
  CastLike: cast,
  Dropout: dropout,
  PRelu: prelu,
  Clip: clip,
  Not: boolOf,
  IsNaN: boolOf,
  IsInf: boolOf,
};

