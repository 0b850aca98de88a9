import { ModelFormatError } from './errors.js';

/** Protobuf wire types used by ONNX (groups, types 3 and 4, are refused). */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

const TWO_POW_32 = 0x1_0000_0000;

/**
 * A bounds-checked cursor over protobuf bytes. Every read checks the remaining length first, so
 * malformed input ends in a {@link ModelFormatError}, never in a read past the buffer.
 */
export class WireReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
    /** Dotted path of the message being read, for error messages. */
    public path: string,
  ) {
    this.pos = start;
  }

  fail(code: ConstructorParameters<typeof ModelFormatError>[0], detail: string, at = this.pos): never {
    throw new ModelFormatError(code, this.path, detail, at);
  }

  /** Reads a varint of at most 10 bytes as an unsigned 64-bit value split into two 32-bit halves. */
  private readVarintParts(): [lo: number, hi: number] {
    const { buf, end } = this;
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      const p = start + i;
      if (p >= end) this.fail('truncated', 'varint runs past the end of its message', start);
      const b = buf[p]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        this.pos = p + 1;
        return [lo >>> 0, hi >>> 0];
      }
    }
    return this.fail('bad-varint', 'varint longer than 10 bytes', start);
  }

  /** A varint read as a non-negative safe integer (lengths, tags, counts). */
  uint(): number {
    const at = this.pos;
    const [lo, hi] = this.readVarintParts();
    if (hi > 0x1f_ffff) this.fail('bad-value', 'integer beyond 2^53', at);
    return hi * TWO_POW_32 + lo;
  }

  /** A varint as a signed 64-bit value, exact. */
  int64Big(): bigint {
    const [lo, hi] = this.readVarintParts();
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  /** A varint as a signed int64 that must fit a JavaScript number exactly. */
  int64(): number {
    const at = this.pos;
    const v = this.int64Big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.fail('bad-value', `integer ${v} is beyond the range this field can hold`, at);
    }
    return Number(v);
  }

  /** A varint as int32 (negative int32 values are sign-extended to 10 bytes on the wire). */
  int32(): number {
    const [lo] = this.readVarintParts();
    return lo | 0;
  }

  bool(): boolean {
    const [lo, hi] = this.readVarintParts();
    return lo !== 0 || hi !== 0;
  }

  float(): number {
    const at = this.need(4);
    return new DataView(this.buf.buffer, this.buf.byteOffset + at, 4).getFloat32(0, true);
  }

  double(): number {
    const at = this.need(8);
    return new DataView(this.buf.buffer, this.buf.byteOffset + at, 8).getFloat64(0, true);
  }

  /** A length-delimited payload, returned as a view (no copy). */
  bytes(): Uint8Array {
    const start = this.pos;
    const len = this.uint();
    if (len > this.end - this.pos) {
      this.fail('truncated', `declared length ${len} exceeds the ${this.end - this.pos} bytes left`, start);
    }
    const view = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return view;
  }

  /** Advances over `n` bytes and returns where they started. */
  need(n: number): number {
    if (n > this.end - this.pos) this.fail('truncated', `needs ${n} bytes, ${this.end - this.pos} left`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** Returns the raw bytes of one field value of the given wire type, for unknown fields. */
  skip(wireType: number): Uint8Array {
    const start = this.pos;
    switch (wireType) {
      case WireType.Varint:
        this.readVarintParts();
        break;
      case WireType.Fixed64:
        this.need(8);
        break;
      case WireType.Fixed32:
        this.need(4);
        break;
      case WireType.LengthDelimited:
        this.bytes();
        break;
      default:
        this.fail('bad-wire-type', `wire type ${wireType} is not used by ONNX`, start);
    }
    return this.buf.subarray(start, this.pos);
  }
}

/** Growable output buffer for encoding. */
export class WireWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;

  /** `capacity`: the expected size, when known, so large models are written without regrowing. */
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(capacity, 16));
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Unsigned varint of a non-negative safe integer. */
  uint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /** Two's-complement varint of a signed 64-bit value. */
  int64Big(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    this.ensure(10);
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  int64(v: number): void {
    if (v >= 0) this.uint(v);
    else this.int64Big(BigInt(v));
  }

  tag(fieldNo: number, wireType: WireType): void {
    this.uint(fieldNo * 8 + wireType);
  }

  float(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** Byte length of `v` as an unsigned varint. */
export function uintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

export function int64Size(v: number | bigint): number {
  if (typeof v === 'number' && v >= 0) return uintSize(v);
  let u = BigInt.asUintN(64, BigInt(v));
  let n = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    n++;
  }
  return n;
}
