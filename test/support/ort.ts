import * as ort from 'onnxruntime-node';
import { dataTypeName, tensorValues, type TensorProto } from '../../engine/core/onnx/index.js';

/** Quiet sessions (fatal messages only), one thread each so suites stay predictable on small CI machines. */
export const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  logSeverityLevel: 4,
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
};

/**
 * Element types onnxruntime-node 1.30 accepts as inputs. Its typings list int4/uint4 too, but the
 * binding refuses them ("Tensor.type is not supported"); bfloat16 and float8 have no JS type.
 */
const ORT_TYPES = new Set(['float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool', 'string']);

const utf8 = new TextDecoder();

export type Feed = ort.Tensor | { readonly unsupported: string };

/** The tensor as an onnxruntime input, or the reason onnxruntime-node cannot take it. */
export function toOrtTensor(t: TensorProto): Feed {
  const type = dataTypeName(t.dataType);
  if (!ORT_TYPES.has(type)) return { unsupported: type };
  if (type === 'string') return new ort.Tensor('string', t.stringData.map((s) => utf8.decode(s)), t.dims);
  const values = tensorValues(t);
  if (values === undefined) return { unsupported: type };
  return new ort.Tensor(type as 'float32', values as Float32Array, t.dims);
}

/** An output's exact contents: its bytes (for numbers) or its strings, plus type and dims. */
export function exactContents(t: ort.Tensor): { type: string; dims: readonly number[]; data: Uint8Array | readonly string[] } {
  const d = t.data;
  if (Array.isArray(d)) return { type: t.type, dims: t.dims, data: d as string[] };
  const view = d as ArrayBufferView;
  return { type: t.type, dims: t.dims, data: new Uint8Array(view.buffer, view.byteOffset, view.byteLength) };
}

/** Why two outputs are not bit-identical, or undefined when they are. */
export function bitDifference(a: ort.Tensor, b: ort.Tensor): string | undefined {
  const x = exactContents(a);
  const y = exactContents(b);
  if (x.type !== y.type) return `type ${x.type} vs ${y.type}`;
  if (x.dims.join(',') !== y.dims.join(',')) return `dims [${x.dims.join(', ')}] vs [${y.dims.join(', ')}]`;
  if (x.data.length !== y.data.length) return `${x.data.length} vs ${y.data.length} ${Array.isArray(x.data) ? 'strings' : 'bytes'}`;
  for (let i = 0; i < x.data.length; i++) if (x.data[i] !== y.data[i]) return `differs at ${Array.isArray(x.data) ? 'string' : 'byte'} ${i}`;
  return undefined;
}

/** IEEE half-precision bits to a number. */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Elements as plain numbers, bigints, or strings, for comparisons with a tolerance. */
function elements(type: string, data: unknown): ArrayLike<number | bigint | string> {
  if (type === 'float16') return Array.from(data as Uint16Array, halfToNumber);
  return data as ArrayLike<number | bigint | string>;
}

/**
 * Compares an onnxruntime output with the expected tensor of the conformance data: same type
 * and dims, integers and strings exact, floats within |got − want| ≤ atol + rtol·|want|
 * (NaN matches NaN, infinities match themselves). Returns why not, or undefined.
 */
export function expectedDifference(got: ort.Tensor, want: TensorProto, rtol = 1e-3, atol = 1e-7): string | undefined {
  const wantType = dataTypeName(want.dataType);
  if (got.type !== wantType) return `type ${got.type}, expected ${wantType}`;
  if (got.dims.join(',') !== want.dims.join(',')) return `dims [${got.dims.join(', ')}], expected [${want.dims.join(', ')}]`;
  const wantValues = wantType === 'string' ? want.stringData.map((s) => utf8.decode(s)) : tensorValues(want);
  if (wantValues === undefined) return `expected values of type ${wantType} cannot be read`;
  const g = elements(got.type, got.data);
  const w = elements(wantType, wantValues);
  if (g.length !== w.length) return `${g.length} elements, expected ${w.length}`;
  let bad = 0;
  let first = '';
  for (let i = 0; i < g.length; i++) {
    const x = g[i]!;
    const y = w[i]!;
    const ok =
      typeof x === 'number' && typeof y === 'number'
        ? Object.is(x, y) || x === y || (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= atol + rtol * Math.abs(y)
        : x === y;
    if (!ok) {
      bad++;
      if (first === '') first = `element ${i}: ${String(x)}, expected ${String(y)}`;
    }
  }
  return bad === 0 ? undefined : `${bad} of ${g.length} elements outside rtol ${rtol}, atol ${atol}; first at ${first}`;
}

/** Runs bytes in a fresh session; returns outputs, or the error message of load or run. */
export async function runBytes(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<{ outputs: ort.InferenceSession.ReturnType } | { error: string }> {
  let session: ort.InferenceSession | undefined;
  try {
    session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
    return { outputs: await session.run(feeds) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    await session?.release();
  }
}

export { ort };
