import { constants } from 'node:fs';
import { open, readFile, realpath, lstat, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep, win32 } from 'node:path';
import { decodeModel, ModelFormatError, isExternal, tensorByteSize, type ModelProto, type TensorProto } from '../core/onnx/index.js';
import { SCHEMA, isMessageKind, type MessageName } from '../core/onnx/schema.js';
import { readDeferred, readStructure, UnexpectedStructure } from './deferred-weights.js';
import { readFully } from './read-fully.js';

/** Keys onnx itself accepts in external_data (docs/Security.md); anything else is refused. */
const EXTERNAL_KEYS = new Set(['location', 'offset', 'length', 'checksum', 'basepath']);

/** Where one external tensor's bytes are, checked against the file they live in. */
export interface ExternalLocation {
  readonly tensorName: string;
  /** As written in the model, relative to the model's folder. */
  readonly location: string;
  /** Absolute, canonical path inside the model's folder. */
  readonly file: string;
  readonly offset: number;
  readonly length: number;
  /** Identity of the file that was checked; a read must find the same file (not one swapped in). */
  readonly dev: number;
  readonly ino: number;
}

/** What was learned about one external data file when it was checked. */
interface CheckedFile {
  readonly size: bigint;
  readonly dev: number;
  readonly ino: number;
}

export interface OpenedModel {
  /** Absolute path of the model file. */
  readonly path: string;
  readonly fileName: string;
  readonly fileBytes: number;
  readonly model: ModelProto;
  /** External tensors, already checked; their bytes are read only through {@link readExternalTensor}. */
  readonly external: ReadonlyMap<TensorProto, ExternalLocation>;
  /**
   * Brings a large model's big weights into memory (see deferred-weights.ts), once, when first
   * asked; a small model has them already. Whoever reads weight values awaits it first; shapes,
   * counts and the analysis need no weights, so opening a model and analyzing it never wait for them.
   */
  readonly loadWeights: () => Promise<void>;
}

export interface OpenOptions {
  /** Files this big or bigger are decoded before their large weights are read; default 64 MiB. */
  readonly deferWeightsFrom?: number;
}

const DEFER_WEIGHTS_FROM = 64 * 1024 * 1024;

/**
 * The file's bytes; a large file's big weights are left to `loadWeights`. Any surprise in the
 * structure reads the file whole, so that the decoder reports what is wrong with it.
 */
async function readModelBytes(path: string, deferFrom: number): Promise<{ bytes: Uint8Array; loadWeights: () => Promise<void> }> {
  const whole = async () => ({ bytes: await readFile(path), loadWeights: () => Promise.resolve() });
  const handle = await open(path, constants.O_RDONLY);
  let partly;
  let identity;
  try {
    identity = await handle.stat();
    if (identity.size < deferFrom) return await whole();
    partly = readStructure(handle, identity.size);
  } catch (err) {
    if (err instanceof UnexpectedStructure) return await whole();
    throw err;
  } finally {
    await handle.close();
  }
  let loading: Promise<void> | undefined;
  const { dev, ino, size, mtimeMs } = identity;
  const load = async (): Promise<void> => {
    const again = await open(path, constants.O_RDONLY);
    try {
      const now = await again.stat();
      if (now.dev !== dev || now.ino !== ino || now.size !== size || now.mtimeMs !== mtimeMs) throw new Error(`${basename(path)} changed on disk since it was opened; open it again`);
      await readDeferred(again, partly);
    } finally {
      await again.close();
    }
  };
  return { bytes: partly.bytes, loadWeights: () => (loading ??= load()) };
}

function refuse(tensorPath: string, detail: string): never {
  throw new ModelFormatError('bad-external-data', tensorPath, detail);
}

/** Parses a non-negative decimal integer written as text, exactly (no floats, signs or hex). */
function parseByteCount(text: string, key: string, where: string): bigint {
  if (!/^[0-9]{1,20}$/.test(text)) refuse(where, `external_data ${key} "${text.slice(0, 40)}" is not a non-negative integer`);
  return BigInt(text);
}

/** The location must be a plain relative path that stays inside the model's folder. */
function checkLocationText(location: string, where: string): void {
  if (location === '') refuse(where, 'external_data has no location');
  if (location.includes('\0')) refuse(where, 'external_data location contains a NUL byte');
  if (isAbsolute(location) || win32.isAbsolute(location) || /^[a-zA-Z]:/.test(location)) {
    refuse(where, `external_data location "${location}" is absolute; it must be relative to the model's folder`);
  }
  if (location.split(/[\\/]/).includes('..')) refuse(where, `external_data location "${location}" contains ".."`);
}

async function locateExternal(t: TensorProto, where: string, modelDir: string, checked: Map<string, CheckedFile>): Promise<ExternalLocation> {
  const entries = new Map<string, string>();
  for (const e of t.externalData) {
    if (!EXTERNAL_KEYS.has(e.key)) refuse(where, `external_data has unknown key "${e.key.slice(0, 40)}"`);
    // Twice the same key is ambiguous: readers disagree on which one wins (the summary shows the first).
    if (entries.has(e.key)) refuse(where, `external_data has key "${e.key}" more than once`);
    entries.set(e.key, e.value);
  }
  const location = entries.get('location') ?? '';
  checkLocationText(location, where);
  const file = resolve(modelDir, location);
  let known = checked.get(file);
  if (known === undefined) {
    const info = await lstat(file).catch(() => refuse(where, `external data file "${location}" does not exist`));
    if (info.isSymbolicLink()) refuse(where, `external data file "${location}" is a symbolic link`);
    if (!info.isFile()) refuse(where, `external data file "${location}" is not a regular file`);
    if (info.nlink > 1) refuse(where, `external data file "${location}" has ${info.nlink} hard links; it may alias a file elsewhere`);
    const canonical = await realpath(file);
    const rel = relative(modelDir, canonical);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      refuse(where, `external data file "${location}" resolves outside the model's folder`);
    }
    known = { size: BigInt(info.size), dev: info.dev, ino: info.ino };
    checked.set(file, known);
  }
  const size = known.size;
  const offset = entries.has('offset') ? parseByteCount(entries.get('offset')!, 'offset', where) : 0n;
  const expected = BigInt(tensorByteSize(t));
  const length = entries.has('length') ? parseByteCount(entries.get('length')!, 'length', where) : size - offset;
  if (offset > size || length > size - offset) {
    refuse(where, `external data range offset ${offset}, length ${length} lies beyond the end of "${location}" (${size} bytes)`);
  }
  if (length !== expected) refuse(where, `external data length ${length} does not match the ${expected} bytes its dims and type need`);
  return { tensorName: t.name, location, file, offset: Number(offset), length: Number(length), dev: known.dev, ino: known.ino };
}

/**
 * Every external tensor anywhere in the model: initializers, node attributes (`t` and `tensors`),
 * sparse tensors, subgraphs, functions, training graphs. Walks the schema rather than a list of
 * places, so a tensor in a spot nobody thought of cannot skip the checks.
 */
function externalTensors(model: ModelProto): { tensor: TensorProto; where: string }[] {
  const found: { tensor: TensorProto; where: string }[] = [];
  const visit = (obj: Record<string, unknown>, name: MessageName, path: string): void => {
    if (name === 'Tensor') {
      const t = obj as unknown as TensorProto;
      if (isExternal(t)) found.push({ tensor: t, where: `${path} (${t.name})` });
    }
    for (const spec of SCHEMA[name]) {
      if (!isMessageKind(spec.kind)) continue;
      const value = obj[spec.name];
      const at = path === '' ? spec.name : `${path}.${spec.name}`;
      if (spec.repeated) (value as Record<string, unknown>[]).forEach((m, i) => visit(m, spec.kind as MessageName, `${at}[${i}]`));
      else if (value !== undefined) visit(value as Record<string, unknown>, spec.kind, at);
    }
  };
  visit(model as unknown as Record<string, unknown>, 'Model', '');
  return found;
}

/**
 * Reads and decodes a model file, and checks every external-data reference (location inside
 * the model's folder, no links, range within the file) without reading the external bytes.
 * Throws {@link ModelFormatError} naming the file for anything it refuses.
 */
export async function openModelFile(path: string, options: OpenOptions = {}): Promise<OpenedModel> {
  const absolute = resolve(path);
  const fileName = basename(absolute);
  try {
    const info = await stat(absolute);
    if (!info.isFile()) throw new ModelFormatError('bad-value', '', 'is not a file');
    // One protobuf message cannot exceed 2 GiB; bigger models keep weights in external files.
    if (info.size > 2 ** 31) throw new ModelFormatError('too-large', '', `is ${info.size} bytes, over the 2 GiB protobuf limit`);
    const { bytes, loadWeights } = await readModelBytes(absolute, options.deferWeightsFrom ?? DEFER_WEIGHTS_FROM);
    const model = decodeModel(bytes);
    const modelDir = await realpath(dirname(absolute));
    const checked = new Map<string, CheckedFile>();
    const external = new Map<TensorProto, ExternalLocation>();
    for (const { tensor, where } of externalTensors(model)) {
      external.set(tensor, await locateExternal(tensor, where, modelDir, checked));
    }
    return { path: absolute, fileName, fileBytes: bytes.length, model, external, loadWeights };
  } catch (err) {
    if (err instanceof ModelFormatError) throw err.inFile(fileName);
    throw err;
  }
}

/** Reads one external tensor's bytes (lazily, only when asked), from its checked location. */
export async function readExternalTensor(opened: OpenedModel, tensor: TensorProto): Promise<Uint8Array> {
  const loc = opened.external.get(tensor);
  if (loc === undefined) throw new Error(`tensor "${tensor.name}" is not an external tensor of ${opened.fileName}`);
  const fail = (detail: string): never => {
    throw new ModelFormatError('bad-external-data', loc.tensorName, `"${loc.location}" ${detail}`).inFile(opened.fileName);
  };
  // O_NOFOLLOW and a fresh fstat: the file may have been swapped for a link since it was checked.
  // O_NOFOLLOW covers only the last path component, so the fstat must also find the very file
  // that was checked: a parent folder swapped for a symlink leads somewhere else.
  const handle = await open(loc.file, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => fail('can no longer be opened as a plain file'));
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.nlink > 1 || info.dev !== loc.dev || info.ino !== loc.ino || info.size < loc.offset + loc.length) {
      fail('changed since the model was opened');
    }
    const out = new Uint8Array(loc.length);
    if (!(await readFully(handle, out, 0, loc.length, loc.offset))) fail('ended early');
    return out;
  } finally {
    await handle.close();
  }
}

