/**
 * Writes a model file, with its large weights in an external data file when the model is too big
 * for one protobuf message (2 GiB at most) or bigger than the caller wants inline. Both files are
 * written atomically, the data file first, so the model never names data that is not there.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeModel, encodeModel, isExternal, tensorByteSize, DataLocation, type ModelProto, type TensorProto } from '../core/onnx/index.js';
import { SCHEMA, isMessageKind, type MessageName } from '../core/onnx/schema.js';
import { writeFileAtomic, writeFileAtomicWith } from './atomic-write.js';
import { readExternalTensor, type OpenedModel } from './model-file.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
/** protobuf refuses messages over 2 GiB; onnxruntime and onnx cannot load such a model file. */
const PROTOBUF_LIMIT_BYTES = 2 * GiB;
/** Room left for the graph itself when weights stay inline. */
const MAX_INLINE_WEIGHT_BYTES = PROTOBUF_LIMIT_BYTES - 128 * MiB;
/**
 * Offsets in the data file, as onnxruntime's own writer aligns them: tensors of 1 MiB or more at
 * 64 KiB (the page or allocation granularity, so a runtime can map them instead of reading them),
 * the others at 64 bytes (any element type can be viewed in place).
 */
const LARGE_TENSOR_BYTES = 1 * MiB;
const LARGE_ALIGN = 64 * KiB;
const SMALL_ALIGN = 64;

/** When weights leave the model file for a data file beside it. */
export interface ExternalDataPolicy {
  /** Weights (bytes of all tensors) above which they move out; capped so that the model file stays under 2 GiB. */
  readonly thresholdBytes: number;
  /** Tensors smaller than this stay inline (as onnx's writer does, 1 KiB by default). */
  readonly minTensorBytes: number;
}

export const DEFAULT_EXTERNAL_DATA: ExternalDataPolicy = { thresholdBytes: 1 * GiB, minTensorBytes: 1 * KiB };

/** Bytes of an external tensor of the model being written, read from wherever its references point. */
export type ExternalReader = (tensor: TensorProto) => Promise<Uint8Array>;

export interface WrittenFile {
  /** File name, in the folder the model was written to. */
  readonly name: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

export interface WrittenModel extends WrittenFile {
  readonly externalData: WrittenFile | null;
  /** The model as written (external references to the new data file). */
  readonly model: ModelProto;
}

type Message = Record<string, unknown>;

interface FoundTensor {
  readonly tensor: TensorProto;
  /** In the main graph or its subgraphs, as an initializer or attribute: where runtimes accept external data. */
  readonly movable: boolean;
}

/** Every tensor of the model, once each; sparse tensors' parts, functions and training graphs are not movable. */
function tensorsOf(model: ModelProto): FoundTensor[] {
  const found = new Map<TensorProto, boolean>();
  const visit = (obj: Message, name: MessageName, movable: boolean): void => {
    if (name === 'Tensor') {
      const t = obj as unknown as TensorProto;
      found.set(t, (found.get(t) ?? true) && movable);
      return;
    }
    for (const spec of SCHEMA[name]) {
      if (!isMessageKind(spec.kind)) continue;
      const value = obj[spec.name];
      const inside = movable && name !== 'SparseTensor' && !(name === 'Model' && spec.name !== 'graph');
      if (spec.repeated) for (const m of value as Message[]) visit(m, spec.kind, inside);
      else if (value !== undefined) visit(value as Message, spec.kind, inside);
    }
  };
  visit(model as unknown as Message, 'Model', true);
  return [...found].map(([tensor, movable]) => ({ tensor, movable }));
}

/** A copy of `obj` with tensors replaced, sharing every part (and every byte) that did not change. */
function replaceTensors(obj: Message, name: MessageName, replacement: ReadonlyMap<TensorProto, TensorProto>): Message {
  if (name === 'Tensor') return (replacement.get(obj as unknown as TensorProto) as unknown as Message | undefined) ?? obj;
  let copy: Message | undefined;
  for (const spec of SCHEMA[name]) {
    if (!isMessageKind(spec.kind)) continue;
    const value = obj[spec.name];
    if (value === undefined) continue;
    const kind = spec.kind;
    const mapped = spec.repeated ? (value as Message[]).map((m) => replaceTensors(m, kind, replacement)) : replaceTensors(value as Message, kind, replacement);
    const changed = spec.repeated ? (mapped as Message[]).some((m, i) => m !== (value as Message[])[i]) : mapped !== value;
    if (changed) (copy ??= { ...obj })[spec.name] = mapped;
  }
  return copy ?? obj;
}

function withData(t: TensorProto, rawData: Uint8Array): TensorProto {
  return { ...t, rawData, dataLocation: DataLocation.DEFAULT, externalData: [] };
}

function withLocation(t: TensorProto, location: string, offset: number, length: number): TensorProto {
  const { rawData: _moved, ...rest } = t;
  const entries = [
    ['location', location],
    ['offset', String(offset)],
    ['length', String(length)],
  ];
  return { ...rest, dataLocation: DataLocation.EXTERNAL, externalData: entries.map(([key, value]) => ({ key: key!, value: value! })) };
}

async function externalBytes(t: TensorProto, readExternal: ExternalReader | undefined): Promise<Uint8Array> {
  if (readExternal === undefined) throw new Error(`tensor "${t.name}" is external and no reader for its data was given`);
  const bytes = await readExternal(t);
  if (bytes.length !== tensorByteSize(t)) throw new Error(`tensor "${t.name}": read ${bytes.length} bytes, its dims and type need ${tensorByteSize(t)}`);
  return bytes;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Most bytes one write call takes (Node refuses more than 2 GiB at once). */
const WRITE_SLICE_BYTES = 256 * MiB;

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, Math.min(bytes.length - done, WRITE_SLICE_BYTES));
    done += bytesWritten;
  }
}

/** Writes the tensors' bytes at their planned offsets (zeros between); returns the file's SHA-256 and size. */
async function writeData(path: string, moved: readonly { source: TensorProto; offset: number }[], readExternal: ExternalReader | undefined): Promise<Omit<WrittenFile, 'name'>> {
  const hash = createHash('sha256');
  let size = 0;
  await writeFileAtomicWith(path, async (handle) => {
    for (const { source, offset } of moved) {
      const bytes = isExternal(source) ? await externalBytes(source, readExternal) : source.rawData!;
      for (const chunk of [new Uint8Array(offset - size), bytes]) {
        await writeAll(handle, chunk);
        hash.update(chunk);
      }
      size = offset + bytes.length;
    }
  });
  return { sha256: hash.digest('hex'), sizeBytes: size };
}

/** The data file that goes with model file `name`, in the same folder. */
export function dataFileName(name: string): string {
  return `${name}.data`;
}

/**
 * Writes `model` as `dir/name` (and `dir/name.data` when its weights go external, see
 * {@link ExternalDataPolicy}). External tensors of the input are read through `readExternal`
 * and copied, so the written model refers only to files beside it. The input is not changed.
 */
export async function writeModel(dir: string, name: string, input: ModelProto | Uint8Array, readExternal: ExternalReader | undefined, policy: ExternalDataPolicy = DEFAULT_EXTERNAL_DATA): Promise<WrittenModel> {
  const model = input instanceof Uint8Array ? decodeModel(input) : input;
  const tensors = tensorsOf(model);
  const weightBytes = tensors.reduce((n, { tensor }) => n + tensorByteSize(tensor), 0);
  const goExternal = weightBytes > Math.min(policy.thresholdBytes, MAX_INLINE_WEIGHT_BYTES);
  const dataName = dataFileName(name);

  const replacement = new Map<TensorProto, TensorProto>();
  const moved: { source: TensorProto; offset: number }[] = [];
  let end = 0;
  for (const { tensor: t, movable } of tensors) {
    const bytes = tensorByteSize(t);
    const inlineWhole = t.rawData !== undefined && t.rawData.length === bytes;
    if (goExternal && movable && bytes >= policy.minTensorBytes && (isExternal(t) || inlineWhole)) {
      const align = bytes >= LARGE_TENSOR_BYTES ? LARGE_ALIGN : SMALL_ALIGN;
      const offset = Math.ceil(end / align) * align;
      moved.push({ source: t, offset });
      replacement.set(t, withLocation(t, dataName, offset, bytes));
      end = offset + bytes;
    } else if (isExternal(t)) {
      replacement.set(t, withData(t, await externalBytes(t, readExternal)));
    }
  }

  const externalData = moved.length === 0 ? null : { name: dataName, ...(await writeData(join(dir, dataName), moved, readExternal)) };
  const written = replaceTensors(model as unknown as Message, 'Model', replacement) as unknown as ModelProto;
  // Given bytes that need no change are written as they came, byte for byte.
  const bytes = input instanceof Uint8Array && replacement.size === 0 ? input : encodeModel(written);
  if (bytes.length > PROTOBUF_LIMIT_BYTES) throw new Error(`the model would be ${bytes.length} bytes, over the 2 GiB protobuf limit, even with its weights external`);
  await writeFileAtomic(join(dir, name), bytes);
  return { name, sha256: sha256(bytes), sizeBytes: bytes.length, externalData, model: written };
}

/**
 * `model` with every external tensor's bytes read in through `readExternal`, for rewrites that
 * need the weights in memory. The input is not changed; parts without external tensors are shared.
 */
export async function withInlineData(model: ModelProto, readExternal: ExternalReader): Promise<ModelProto> {
  const replacement = new Map<TensorProto, TensorProto>();
  for (const { tensor: t } of tensorsOf(model)) if (isExternal(t)) replacement.set(t, withData(t, await externalBytes(t, readExternal)));
  return replacement.size === 0 ? model : (replaceTensors(model as unknown as Message, 'Model', replacement) as unknown as ModelProto);
}

/**
 * Reads external tensors of `opened`, and of models made from it: a transform may copy a tensor
 * object (keeping its references), so a tensor not found as itself is matched by its location,
 * offset and length.
 */
export function externalReader(opened: OpenedModel): ExternalReader {
  const key = (t: TensorProto): string => ['location', 'offset', 'length'].map((k) => t.externalData.find((e) => e.key === k)?.value ?? '').join('\0');
  const byKey = new Map([...opened.external.keys()].map((t) => [key(t), t]));
  return (t) => {
    const known = opened.external.has(t) ? t : byKey.get(key(t));
    if (known === undefined) throw new Error(`tensor "${t.name}" refers to external data that ${opened.fileName} does not have`);
    return readExternalTensor(opened, known);
  };
}
