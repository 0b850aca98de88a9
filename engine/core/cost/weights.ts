/**
 * FLOPs charged per element for element-wise work. The units are onnx-tool's instruction
 * counts (add/mul/compare 1, divide 4, square root 24, exp 32, log 43, sin/cos 39, taken from
 * vrcp14ps, vsqrtps and avx_mathfun); composite functions are charged the units of their usual
 * formula, written beside each. docs/cost-model.md lists the same table.
 */
export const UNIT = { add: 1, mul: 1, cmp: 1, div: 4, sqrt: 24, exp: 32, log: 43, sincos: 39 } as const;

const { add, mul, cmp, div, sqrt, exp, log, sincos } = UNIT;

/** (e^2x − 1) / (e^2x + 1), as onnx-tool charges it. */
const TANH = exp + 2 * add + div;
/** 1 / (1 + e^−x). */
const SIGMOID = add + exp + add + div;
/**
 * Abramowitz–Stegun 7.1.26: t = 1/(1 + p|x|) (7), a degree-5 Horner polynomial in t (9),
 * e^−x² (34), 1 − poly·e (2), the sign put back (1).
 */
const ERF = 7 + 9 + (2 * mul + exp) + 2 + 1;
/** saturate(round(x / s) + zp). */
const QUANTIZE = div + add + add + 2 * cmp;
/** (q − zp)·s. */
const DEQUANTIZE = add + mul;
/** log(1 + e^x). */
const SOFTPLUS = exp + add + log;

/**
 * FLOPs per output element of each element-wise op; for Sum, Max, Min and Mean, per output
 * element and per operand after the first. Pow and Gelu depend on their inputs and attributes
 * (see `powWeight`, `geluWeight`).
 */
export const ELEMENTWISE_WEIGHTS: Readonly<Record<string, number>> = {
  Add: add,
  Sub: add,
  Mul: mul,
  Div: div,
  Mod: div + add + mul + add, // a − floor(a / b)·b
  Pow: exp + log + mul, // e^(y·ln x)
  Neg: add,
  Abs: cmp,
  Sign: cmp,
  Floor: add,
  Ceil: add,
  Round: add,
  Relu: cmp,
  Reciprocal: div,
  Sqrt: sqrt,
  Exp: exp,
  Log: log,
  Sin: sincos,
  Cos: sincos,
  Tan: 2 * sincos + div,
  Asin: sqrt + 4 * mul + div, // onnx-tool's arctangent approximation, for all three
  Acos: sqrt + 4 * mul + div,
  Atan: sqrt + 4 * mul + div,
  Sinh: exp + div + add + mul, // (e^x − 1/e^x) / 2
  Cosh: exp + div + add + mul,
  Asinh: mul + add + sqrt + add + log, // ln(x + √(x² + 1))
  Acosh: mul + add + sqrt + add + log,
  Atanh: 2 * add + div + log + mul, // ½ ln((1 + x) / (1 − x))
  Tanh: TANH,
  Sigmoid: SIGMOID,
  Erf: ERF,
  Gelu: ERF + 4 * mul + add, // ½x(1 + erf(x/√2))
  HardSigmoid: mul + add + 2 * cmp,
  HardSwish: mul + add + 2 * cmp + mul,
  LeakyRelu: cmp + mul,
  PRelu: cmp + mul,
  ThresholdedRelu: cmp,
  Elu: cmp + exp + add + mul,
  Selu: cmp + exp + add + 2 * mul,
  Celu: div + exp + add + mul + 3 * cmp, // max(0, x) + min(0, α(e^(x/α) − 1))
  Shrink: 2 * cmp + add,
  Softplus: SOFTPLUS,
  Softsign: cmp + add + div,
  Mish: SOFTPLUS + TANH + mul,
  Swish: mul + SIGMOID + mul,
  Clip: 2 * cmp,
  Cast: add, // one conversion instruction
  CastLike: add,
  IsNaN: cmp,
  IsInf: cmp,
  Not: cmp,
  And: cmp,
  Or: cmp,
  Xor: cmp,
  Equal: cmp,
  Less: cmp,
  Greater: cmp,
  LessOrEqual: cmp,
  GreaterOrEqual: cmp,
  BitShift: add,
  BitwiseAnd: cmp,
  BitwiseOr: cmp,
  BitwiseXor: cmp,
  BitwiseNot: cmp,
  Where: cmp,
  Sum: add,
  Max: cmp,
  Min: cmp,
  Mean: add,
  QuantizeLinear: QUANTIZE,
  DequantizeLinear: DEQUANTIZE,
  DynamicQuantizeLinear: 2 * cmp + QUANTIZE, // min/max, then quantize
  'com.microsoft:QuantizeLinear': QUANTIZE,
  'com.microsoft:DequantizeLinear': DEQUANTIZE,
  'com.microsoft:QLinearAdd': 2 * DEQUANTIZE + add + QUANTIZE,
  'com.microsoft:QLinearMul': 2 * DEQUANTIZE + mul + QUANTIZE,
  'com.microsoft:QLinearLeakyRelu': 1, // ONNX Runtime looks the result up in a 256-entry table
  'com.microsoft:QLinearSigmoid': 1,
};

/** Gelu with approximate="tanh": ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export const GELU_TANH = 3 * mul + add + mul + TANH + add + 2 * mul;

/** Pow with a known exponent: x² and x³ are multiplications, x^0.5 a square root; anything else e^(y·ln x). */
export function powWeight(exponent: readonly number[] | undefined): number {
  const e = exponent !== undefined && exponent.length > 0 && exponent.every((v) => v === exponent[0]) ? exponent[0] : undefined;
  if (e === 2) return mul;
  if (e === 3) return 2 * mul;
  if (e === 0.5) return sqrt;
  return ELEMENTWISE_WEIGHTS.Pow!;
}

/** Activation functions attributes may name (RNN `activations`, fused ops' `activation`), by lower-case name. */
const ACTIVATIONS = new Map<string, number>([
  ...Object.entries(ELEMENTWISE_WEIGHTS)
    .filter(([op]) => !op.includes(':'))
    .map(([op, w]): [string, number] => [op.toLowerCase(), w]),
  ['affine', mul + add],
  ['scaledtanh', mul + TANH + mul],
]);

/** FLOPs per element of an activation named by an attribute (any case), or undefined for a name Whittle does not know. */
export function activationWeight(name: string): number | undefined {
  return ACTIVATIONS.get(name.toLowerCase());
}

/** Requantizing an int32 accumulator: round(acc · s_x·s_w / s_y) + zp, saturated. */
export const REQUANTIZE = mul + add + add + 2 * cmp;

/** Softmax per element: the row max, x − max, e^x, the row sum, ÷ sum. */
export const SOFTMAX = cmp + add + exp + add + div;
