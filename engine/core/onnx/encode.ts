import { SCHEMA, isLazyKind, isMessageKind, type FieldSpec, type MessageName } from './schema.js';
import type { ModelProto, TensorProto } from './types.js';
import { WireType, WireWriter, int64Size, uintSize } from './wire.js';

type Encodable = Record<string, unknown> & { unknownFields?: Uint8Array[] };

const utf8 = new TextEncoder();

function scalarWireType(kind: FieldSpec['kind']): WireType {
  if (kind === 'float') return WireType.Fixed32;
  if (kind === 'double') return WireType.Fixed64;
  if (kind === 'string' || kind === 'bytes' || isMessageKind(kind)) return WireType.LengthDelimited;
  return WireType.Varint;
}

function isDefault(spec: FieldSpec, v: unknown): boolean {
  if (v === undefined) return true;
  if (spec.presence || isMessageKind(spec.kind)) return false;
  return v === '' || v === 0n || (typeof v === 'number' && Object.is(v, 0));
}

/**
 * Serializes messages in two passes: sizes first (memoized per message object, so nested
 * length prefixes cost linear time), then bytes.
 */
class Encoder {
  private readonly sizes = new Map<object, number>();
  private readonly strings = new Map<string, Uint8Array>();
  out = new WireWriter(0);

  private text(s: string): Uint8Array {
    let b = this.strings.get(s);
    if (b === undefined) {
      b = utf8.encode(s);
      this.strings.set(s, b);
    }
    return b;
  }

  private scalarSize(kind: FieldSpec['kind'], v: unknown): number {
    switch (kind) {
      case 'string': {
        const n = this.text(v as string).length;
        return uintSize(n) + n;
      }
      case 'bytes': {
        const n = (v as Uint8Array).length;
        return uintSize(n) + n;
      }
      case 'float':
        return 4;
      case 'double':
        return 8;
      default:
        return int64Size(v as number | bigint);
    }
  }

  private writeScalar(kind: FieldSpec['kind'], v: unknown): void {
    const out = this.out;
    switch (kind) {
      case 'string': {
        const b = this.text(v as string);
        out.uint(b.length);
        out.raw(b);
        return;
      }
      case 'bytes':
        out.uint((v as Uint8Array).length);
        out.raw(v as Uint8Array);
        return;
      case 'float':
        out.float(v as number);
        return;
      case 'double':
        out.double(v as number);
        return;
      case 'int64big':
      case 'uint64big':
        out.int64Big(v as bigint);
        return;
      default:
        out.int64(v as number);
    }
  }

  /** Payload size of packed repeated scalars. */
  private packedSize(spec: FieldSpec, values: readonly unknown[]): number {
    if (isLazyKind(spec.kind)) return (values as Uint8Array[]).reduce((n, c) => n + c.length, 0);
    let n = 0;
    for (const v of values) n += this.scalarSize(spec.kind, v);
    return n;
  }

  private isPacked(spec: FieldSpec): boolean {
    return isLazyKind(spec.kind) || (spec.repeated === true && scalarWireType(spec.kind) !== WireType.LengthDelimited);
  }

  sizeOf(obj: Encodable, name: MessageName): number {
    const cached = this.sizes.get(obj);
    if (cached !== undefined) return cached;
    let size = 0;
    for (const spec of SCHEMA[name]) {
      const v = obj[spec.name];
      const tagSize = uintSize(spec.no * 8);
      if (spec.repeated || isLazyKind(spec.kind)) {
        const list = v as unknown[];
        if (list.length === 0) continue;
        if (this.isPacked(spec)) {
          const n = this.packedSize(spec, list);
          if (n > 0) size += tagSize + uintSize(n) + n;
        } else if (isMessageKind(spec.kind)) {
          for (const m of list) {
            const n = this.sizeOf(m as Encodable, spec.kind);
            size += tagSize + uintSize(n) + n;
          }
        } else {
          for (const item of list) size += tagSize + this.scalarSize(spec.kind, item);
        }
      } else if (!isDefault(spec, v)) {
        if (isMessageKind(spec.kind)) {
          const n = this.sizeOf(v as Encodable, spec.kind);
          size += tagSize + uintSize(n) + n;
        } else size += tagSize + this.scalarSize(spec.kind, v);
      }
    }
    for (const u of obj.unknownFields ?? []) size += u.length;
    this.sizes.set(obj, size);
    return size;
  }

  write(obj: Encodable, name: MessageName): void {
    const out = this.out;
    for (const spec of SCHEMA[name]) {
      const v = obj[spec.name];
      if (spec.repeated || isLazyKind(spec.kind)) {
        const list = v as unknown[];
        if (list.length === 0) continue;
        if (this.isPacked(spec)) {
          const n = this.packedSize(spec, list);
          if (n === 0) continue;
          out.tag(spec.no, WireType.LengthDelimited);
          out.uint(n);
          if (isLazyKind(spec.kind)) for (const c of list as Uint8Array[]) out.raw(c);
          else for (const item of list) this.writeScalar(spec.kind, item);
        } else if (isMessageKind(spec.kind)) {
          for (const m of list) this.writeMessageField(spec.no, m as Encodable, spec.kind);
        } else {
          for (const item of list) {
            out.tag(spec.no, scalarWireType(spec.kind));
            this.writeScalar(spec.kind, item);
          }
        }
      } else if (!isDefault(spec, v)) {
        if (isMessageKind(spec.kind)) this.writeMessageField(spec.no, v as Encodable, spec.kind);
        else {
          out.tag(spec.no, scalarWireType(spec.kind));
          this.writeScalar(spec.kind, v);
        }
      }
    }
    for (const u of obj.unknownFields ?? []) out.raw(u);
  }

  private writeMessageField(no: number, m: Encodable, name: MessageName): void {
    this.out.tag(no, WireType.LengthDelimited);
    this.out.uint(this.sizeOf(m, name));
    this.write(m, name);
  }
}

function encodeRoot(obj: object, name: MessageName): Uint8Array {
  const enc = new Encoder();
  enc.out = new WireWriter(enc.sizeOf(obj as Encodable, name));
  enc.write(obj as Encodable, name);
  return enc.out.finish();
}

/** Serializes a model to ONNX protobuf bytes. Fields are written in field-number order. */
export function encodeModel(model: ModelProto): Uint8Array {
  return encodeRoot(model, 'Model');
}

export function encodeTensor(tensor: TensorProto): Uint8Array {
  return encodeRoot(tensor, 'Tensor');
}
