/**
 * Reader of NumPy `.npy` files (format versions 1.0, 2.0 and 3.0) holding one array of a numeric
 * or bool element type. The format: the magic `\x93NUMPY`, a version, a header length, a header
 * that is a Python dict literal (`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`),
 * then the elements.
 */

/** Element types an `.npy` file may hold, named as onnxruntime names them. */
export type NpyDtype = 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';

export type NpyData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

export interface NpyArray {
  readonly dtype: NpyDtype;
  /** Row-major (C order) dims; empty for a 0-d array. */
  readonly dims: number[];
  /** Elements in C order: float16 as their bits, bool as 0/1 bytes. */
  readonly data: NpyData;
}

/** A file that is not a readable `.npy` array; the message says what is wrong. */
export class NpyFormatError extends Error {}

interface TypedArrayClass {
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): NpyData;
}

const DTYPES: Readonly<Record<string, { readonly dtype: NpyDtype; readonly array: TypedArrayClass }>> = {
  f2: { dtype: 'float16', array: Uint16Array },
  f4: { dtype: 'float32', array: Float32Array },
  f8: { dtype: 'float64', array: Float64Array },
  i1: { dtype: 'int8', array: Int8Array },
  i2: { dtype: 'int16', array: Int16Array },
  i4: { dtype: 'int32', array: Int32Array },
  i8: { dtype: 'int64', array: BigInt64Array },
  u1: { dtype: 'uint8', array: Uint8Array },
  u2: { dtype: 'uint16', array: Uint16Array },
  u4: { dtype: 'uint32', array: Uint32Array },
  u8: { dtype: 'uint64', array: BigUint64Array },
  b1: { dtype: 'bool', array: Uint8Array },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

type HeaderValue = string | boolean | number[];

/** A recursive-descent reader of the few Python literals a header may hold. */
class HeaderReader {
  private at = 0;
  constructor(private readonly text: string) {}

  private fail(what: string): never {
    throw new NpyFormatError(`bad header: ${what} at character ${this.at} of ${JSON.stringify(this.text.slice(0, 200))}`);
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private take(char: string): boolean {
    this.skipSpace();
    if (this.text[this.at] !== char) return false;
    this.at++;
    return true;
  }

  private expect(char: string): void {
    if (!this.take(char)) this.fail(`expected "${char}"`);
  }

  private string(): string {
    this.skipSpace();
    const quote = this.text[this.at];
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted string');
    const end = this.text.indexOf(quote, this.at + 1);
    if (end < 0) this.fail('unterminated string');
    const value = this.text.slice(this.at + 1, end);
    this.at = end + 1;
    return value;
  }

  private integer(): number {
    this.skipSpace();
    // Python 2 wrote long integers with an L suffix: (3L, 4L).
    const match = /^(-?\d+)L?/.exec(this.text.slice(this.at, this.at + 40));
    if (match === null) this.fail('expected an integer');
    this.at += match[0].length;
    const value = Number(match[1]);
    if (value < 0) throw new NpyFormatError(`bad header: the shape has a negative dim ${match[1]}`);
    if (!Number.isSafeInteger(value)) throw new NpyFormatError(`bad header: the shape has a dim ${match[1]} too large to address`);
    return value;
  }

  private tuple(): number[] {
    const items: number[] = [];
    while (!this.take(')')) {
      items.push(this.integer());
      if (!this.take(',')) {
        this.expect(')');
        break;
      }
    }
    return items;
  }

  private value(): HeaderValue {
    this.skipSpace();
    if (this.take('(')) return this.tuple();
    for (const [word, value] of [['True', true], ['False', false]] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    if (this.text[this.at] === '[') throw new NpyFormatError('the array has a structured dtype (fields); only plain numeric and bool arrays are supported');
    return this.string();
  }

  dict(): Map<string, HeaderValue> {
    const entries = new Map<string, HeaderValue>();
    this.expect('{');
    while (!this.take('}')) {
      const key = this.string();
      this.expect(':');
      if (entries.has(key)) this.fail(`key "${key}" given twice`);
      entries.set(key, this.value());
      if (!this.take(',')) {
        this.expect('}');
        break;
      }
    }
    this.skipSpace();
    if (this.at !== this.text.length) this.fail('unexpected text after the dict');
    return entries;
  }
}

interface Header {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
}

function readHeader(text: string): Header {
  const entries = new HeaderReader(text).dict();
  for (const key of entries.keys()) {
    if (key !== 'descr' && key !== 'fortran_order' && key !== 'shape') throw new NpyFormatError(`bad header: unexpected key "${key}"`);
  }
  const descr = entries.get('descr');
  const fortranOrder = entries.get('fortran_order');
  const shape = entries.get('shape');
  if (typeof descr !== 'string') throw new NpyFormatError("bad header: 'descr' is missing or not a string");
  if (typeof fortranOrder !== 'boolean') throw new NpyFormatError("bad header: 'fortran_order' is missing or not True/False");
  if (!Array.isArray(shape)) throw new NpyFormatError("bad header: 'shape' is missing or not a tuple");
  return { descr, fortranOrder, shape };
}

function headerBounds(bytes: Uint8Array): { start: number; length: number; utf8: boolean } {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyFormatError('not a .npy file: it does not start with \\x93NUMPY');
  const major = bytes[6]!;
  const minor = bytes[7]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1 && minor === 0) return { start: 10, length: view.getUint16(8, true), utf8: false };
  if ((major === 2 || major === 3) && minor === 0) {
    if (bytes.length < 12) throw new NpyFormatError(`the file ends inside the ${major}.0 preamble`);
    return { start: 12, length: view.getUint32(8, true), utf8: major === 3 };
  }
  throw new NpyFormatError(`.npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`);
}

function elementType(descr: string): { dtype: NpyDtype; array: TypedArrayClass; bigEndian: boolean } {
  const order = descr[0];
  const type = DTYPES[descr.slice(1)];
  if (type === undefined || (order !== '<' && order !== '>' && order !== '|')) {
    throw new NpyFormatError(`element type '${descr}' is not supported; supported: ${Object.keys(DTYPES).join(' ')} (little- or big-endian)`);
  }
  if (order === '|' && type.array.BYTES_PER_ELEMENT > 1) throw new NpyFormatError(`element type '${descr}' has no byte order, yet its elements take ${type.array.BYTES_PER_ELEMENT} bytes`);
  return { ...type, bigEndian: order === '>' };
}

function elementCount(shape: readonly number[]): number {
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const d of shape) count *= d;
  if (!Number.isSafeInteger(count)) throw new NpyFormatError(`the shape (${shape.join(', ')}) has more elements than can be addressed`);
  return count;
}

/** Elements copied out of `bytes`, each one's bytes reversed. */
function byteSwapped(bytes: Uint8Array, size: number): ArrayBuffer {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j]!;
  }
  return out.buffer;
}

/** The same elements reordered from Fortran (first index fastest) to C order (last index fastest). */
function toCOrder<T extends NpyData>(data: T, dims: readonly number[]): T {
  const out = data.slice() as T;
  const rank = dims.length;
  const fortranStrides: number[] = [];
  for (let axis = 0, stride = 1; axis < rank; stride *= dims[axis]!, axis++) fortranStrides.push(stride);
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let to = 0; to < out.length; to++) {
    out[to] = data[from]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]!++;
      from += fortranStrides[axis]!;
      if (index[axis]! < dims[axis]!) break;
      from -= index[axis]! * fortranStrides[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}

/**
 * Parses the bytes of a `.npy` file. Big-endian elements are converted and Fortran-order arrays
 * reordered to C order; otherwise the data is a view into `bytes` when aligned, else a copy.
 * Throws NpyFormatError for anything else: another format or version, an unsupported element
 * type, a malformed header, or a shape the data does not fill exactly.
 */
export function parseNpy(bytes: Uint8Array): NpyArray {
  const bounds = headerBounds(bytes);
  const dataStart = bounds.start + bounds.length;
  if (dataStart > bytes.length) throw new NpyFormatError(`the header says it takes ${bounds.length} bytes, but the file has only ${bytes.length - bounds.start} after the preamble`);
  const headerBytes = bytes.subarray(bounds.start, dataStart);
  const header = readHeader(new TextDecoder(bounds.utf8 ? 'utf-8' : 'latin1').decode(headerBytes));
  const type = elementType(header.descr);
  const count = elementCount(header.shape);
  const size = type.array.BYTES_PER_ELEMENT;
  const available = bytes.length - dataStart;
  if (count > available / size) throw new NpyFormatError(`the shape (${header.shape.join(', ')}) needs ${count * size} bytes of data, but the file has only ${available}`);
  if (count * size < available) throw new NpyFormatError(`the file has ${available - count * size} bytes after the array's data`);
  const raw = bytes.subarray(dataStart);
  const aligned = (bytes.byteOffset + dataStart) % size === 0;
  const data =
    type.bigEndian && size > 1
      ? new type.array(byteSwapped(raw, size))
      : aligned
        ? new type.array(bytes.buffer as ArrayBuffer, bytes.byteOffset + dataStart, count)
        : new type.array(raw.slice().buffer);
  return { dtype: type.dtype, dims: header.shape, data: header.fortranOrder && header.shape.length > 1 ? toCOrder(data, header.shape) : data };
}
