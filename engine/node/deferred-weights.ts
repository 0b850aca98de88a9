/**
 * Opening a large model without waiting for its weights. The file's bytes go into one buffer at
 * their own offsets, as a plain read would put them, but the large `raw_data` payloads are left
 * for later: the protobuf structure is walked with positional reads, and only the messages that
 * can hold tensors are entered. The decoder never looks inside raw_data (tensors are views), so
 * the model decodes from the partly filled buffer into the same IR as from a full read; the
 * payloads are read into the views the IR already holds when weights are first needed.
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { MAX_NESTING_DEPTH } from '../core/onnx/decode.js';
import { SCHEMA, isMessageKind, type MessageName } from '../core/onnx/schema.js';
import { readFully } from './read-fully.js';

/** A raw_data payload this big or bigger is read after the model is decoded. */
const DEFERRED_PAYLOAD_BYTES = 64 * 1024;
/** Read-ahead while walking: what a deferred payload may have read of it needlessly. */
const CHUNK_BYTES = 64 * 1024;

/** The walk met something a well-formed file does not have: read the file whole instead, and let the decoder say what is wrong. */
export class UnexpectedStructure extends Error {}

interface Region {
  readonly offset: number;
  readonly length: number;
}

/** Message types that can hold a Tensor somewhere inside: the only ones worth entering. */
const HOLDS_TENSORS: ReadonlySet<MessageName> = (() => {
  const holds = new Set<MessageName>(['Tensor']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, fields] of Object.entries(SCHEMA) as [MessageName, (typeof SCHEMA)[MessageName]][]) {
      if (!holds.has(name) && fields.some((f) => isMessageKind(f.kind) && holds.has(f.kind as MessageName))) {
        holds.add(name);
        grew = true;
      }
    }
  }
  return holds;
})();

/** Reads the file into `bytes` at the same offsets, sequentially, skipping what it is told to skip. */
class Filler {
  filledTo = 0;
  readonly deferred: Region[] = [];

  constructor(
    private readonly handle: FileHandle,
    readonly bytes: Uint8Array,
  ) {}

  need(end: number): void {
    if (end > this.bytes.length) throw new UnexpectedStructure(`a field ends at ${end}, past the end of the file`);
    while (this.filledTo < end) {
      const to = Math.min(this.bytes.length, Math.max(end, this.filledTo + CHUNK_BYTES));
      const bytesRead = readSync(this.handle.fd, this.bytes, this.filledTo, to - this.filledTo, this.filledTo);
      if (bytesRead === 0) throw new UnexpectedStructure('the file ended while being read');
      this.filledTo += bytesRead;
    }
  }

  defer(start: number, end: number): void {
    if (end > this.bytes.length) throw new UnexpectedStructure(`a field ends at ${end}, past the end of the file`);
    if (end <= this.filledTo) return;
    this.deferred.push({ offset: Math.max(start, this.filledTo), length: end - Math.max(start, this.filledTo) });
    this.filledTo = end;
  }

  /** A varint at `pos` (read in if needed); returns its value and where it ends. */
  varint(pos: number, limit: number): [number, number] {
    this.need(Math.min(limit, pos + 10));
    let value = 0;
    for (let i = 0; i < 10 && pos + i < limit; i++) {
      const b = this.bytes[pos + i]!;
      value += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return [value, pos + i + 1];
    }
    throw new UnexpectedStructure(`a varint at ${pos} does not end`);
  }
}

function walk(f: Filler, name: MessageName, start: number, end: number, depth: number): void {
  if (depth > MAX_NESTING_DEPTH) throw new UnexpectedStructure('messages nested too deep');
  const fields = SCHEMA[name];
  let pos = start;
  while (pos < end) {
    const [tag, afterTag] = f.varint(pos, end);
    const wire = tag % 8;
    const no = Math.floor(tag / 8);
    if (wire === 0) pos = f.varint(afterTag, end)[1];
    else if (wire === 1) pos = afterTag + 8;
    else if (wire === 5) pos = afterTag + 4;
    else if (wire === 2) {
      const [length, payload] = f.varint(afterTag, end);
      pos = payload + length;
      if (pos > end) throw new UnexpectedStructure(`a field at ${payload} runs past its message`);
      const spec = fields.find((s) => s.no === no);
      if (spec !== undefined && isMessageKind(spec.kind) && HOLDS_TENSORS.has(spec.kind)) walk(f, spec.kind, payload, pos, depth + 1);
      else if (name === 'Tensor' && spec?.name === 'rawData' && length >= DEFERRED_PAYLOAD_BYTES) f.defer(payload, pos);
    } else throw new UnexpectedStructure(`wire type ${wire} at ${pos}`);
    if (pos > end) throw new UnexpectedStructure(`a field at ${afterTag} runs past its message`);
    f.need(pos);
  }
}

export interface PartlyRead {
  /** The whole file's size; every byte but the deferred payloads is in place. */
  readonly bytes: Uint8Array;
  readonly deferred: readonly Region[];
}

/** Reads a model file's structure into a buffer of its size, leaving large raw_data payloads for {@link readDeferred}. */
export function readStructure(handle: FileHandle, size: number): PartlyRead {
  // Zero-filled and lazily backed by the OS: untouched pages cost nothing until the payloads arrive.
  const filler = new Filler(handle, new Uint8Array(size));
  // Synchronous reads of small chunks: tens of thousands of awaits would cost more than the reads.
  walk(filler, 'Model', 0, size, 0);
  filler.need(size);
  return { bytes: filler.bytes, deferred: filler.deferred };
}

/** Reads the deferred payloads into their places, from the file `handle` holds open. */
export async function readDeferred(handle: FileHandle, { bytes, deferred }: PartlyRead): Promise<void> {
  for (const { offset, length } of deferred) {
    if (!(await readFully(handle, bytes, offset, length, offset))) throw new Error('the file got shorter while its weights were being read');
  }
}
