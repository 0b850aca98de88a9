/**
 * The workspace's record of a model's variants (`MODEL.whittle/variants.json`): the original
 * model, each variant's files, where it came from (parent, transform and settings) and what was
 * measured on it. Every transform (optimize, prune, quantize) adds variants the same way; the
 * workbench shows them. The engine writes it; {@link variantManifest} checks it when it is read.
 */
import { boolean, count, dictionary, fields, finiteNumber, list, nonBlank, nullable, text, ValidationError, type Validator } from './validate.js';

/** The manifest format this build reads and writes; a newer one is refused, never rewritten. */
export const MANIFEST_VERSION = 1;

/** The parent of a variant made from the original model itself. */
export const ORIGINAL = 'original';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * Numbers by name, units in the names: `nodeCount`, `params`, `weightBytes`, `macs`,
 * `latencyMeanMs`, `throughput`. Null means counted but unknown (e.g. MACs of uncounted ops).
 */
export type Figures = Readonly<Record<string, number | null>>;

/** One measurement of a model (a benchmark summary, later a fidelity check against the parent). */
export interface VariantResult {
  /** What was measured: `benchmark`, … */
  readonly kind: string;
  /** ISO 8601 time of the measurement. */
  readonly recordedAt: string;
  readonly figures: Figures;
  /** What the numbers depend on (execution provider, threads, inputs, machine), so only like is compared with like. */
  readonly conditions: JsonObject;
  /** The full record (`benchmarks/….json`), relative to the workspace, when one was saved. */
  readonly file: string | null;
}

/** Results by key; a new result under the same key (e.g. `benchmark-cpu-4t`) replaces the old one. */
export type Results = Readonly<Record<string, VariantResult>>;

/** A file the workspace holds, as it was when written. */
export interface StoredFile {
  /** Relative to the workspace folder, `/`-separated: `variants/v3-prune.onnx`. */
  readonly file: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/** The model the workspace belongs to. Whittle never writes to it. */
export interface OriginalModel {
  /** Relative to the workspace folder when it can be (a moved model-and-workspace pair still matches), else absolute. */
  readonly path: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly results: Results;
}

/** The rewrite that made a variant, as it was asked for: enough to make it again. */
export interface VariantTransform {
  /** `optimize`, `prune`, `quantize`, …: lower-case letters, digits and dashes. */
  readonly id: string;
  readonly settings: JsonObject;
}

export interface Variant extends StoredFile {
  /** Short and file-name safe: `v1`, `v2`, … */
  readonly id: string;
  /** {@link ORIGINAL} or the id of an earlier variant. */
  readonly parent: string;
  readonly transform: VariantTransform;
  /** ISO 8601. */
  readonly createdAt: string;
  /** The Whittle that wrote the variant. */
  readonly engineVersion: string;
  /** The weights file beside the model (in the same folder), or null when the weights are inside it. */
  readonly externalData: StoredFile | null;
  readonly figures: Figures;
  readonly results: Results;
}

export interface VariantManifest {
  readonly version: number;
  /** The Whittle that last wrote the manifest. */
  readonly whittleVersion: string;
  /** Null until the first variant is added. */
  readonly original: OriginalModel | null;
  /** In the order they were made: a parent always comes before its children. */
  readonly variants: readonly Variant[];
}

const MAX_NAME = 200;
const MAX_KEYS = 1000;
const MAX_VARIANTS = 100_000;
const MAX_JSON_DEPTH = 32;
const MAX_JSON_TEXT = 100_000;

/** Lower-case, starts with a letter or digit, at most 40 characters: safe in any file system and on a command line. */
export const VARIANT_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const TRANSFORM_ID = /^[a-z][a-z0-9-]{0,39}$/;
/** Plain relative path: no `..`, no leading `/` or `.`, no backslashes, drive letters or colons. */
const WORKSPACE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,199}){0,7}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function matching(pattern: RegExp, what: string): Validator<string> {
  const check = text(1000);
  return (value, at) => {
    if (!pattern.test(check(value, at))) throw new ValidationError(at, `"${(value as string).slice(0, 60)}" is not ${what}`);
    return value as string;
  };
}

const sha256 = matching(/^[0-9a-f]{64}$/, 'a SHA-256 (64 lower-case hex digits)');
const workspaceFile = matching(WORKSPACE_FILE, 'a plain relative path inside the workspace');
const isoTime: Validator<string> = (value, at) => {
  if (!ISO_TIME.test(text(40)(value, at)) || Number.isNaN(Date.parse(value as string))) throw new ValidationError(at, 'is not an ISO 8601 time');
  return value as string;
};

function jsonValue(value: unknown, at: string, depth: number): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return finiteNumber(value, at);
  if (typeof value === 'string') return text(MAX_JSON_TEXT)(value, at);
  if (depth >= MAX_JSON_DEPTH) throw new ValidationError(at, `nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) return list((v, where) => jsonValue(v, where, depth + 1), MAX_KEYS)(value, at);
  return dictionary((v, where) => jsonValue(v, where, depth + 1), MAX_KEYS, MAX_NAME)(value, at);
}

/** A plain JSON object: finite numbers, strings, booleans, null, arrays and objects, not too deep. */
export const jsonObject: Validator<JsonObject> = (value, at) => dictionary((v, where) => jsonValue(v, where, 1), MAX_KEYS, MAX_NAME)(value, at);

export const variantFigures: Validator<Figures> = dictionary(nullable(finiteNumber), MAX_KEYS, MAX_NAME);

export const variantResult: Validator<VariantResult> = fields({
  kind: nonBlank(100),
  recordedAt: isoTime,
  figures: variantFigures,
  conditions: jsonObject,
  file: nullable(workspaceFile),
});

const results: Validator<Results> = dictionary(variantResult, MAX_KEYS, MAX_NAME);

export const variantTransform: Validator<VariantTransform> = fields({
  id: matching(TRANSFORM_ID, 'a transform id (lower-case letters, digits and dashes)'),
  settings: jsonObject,
});

const storedFile = { file: workspaceFile, sha256, sizeBytes: count };

export const variant: Validator<Variant> = fields({
  ...storedFile,
  id: matching(VARIANT_ID, 'a variant id (lower-case letters, digits and dashes)'),
  parent: nonBlank(100),
  transform: variantTransform,
  createdAt: isoTime,
  engineVersion: nonBlank(MAX_NAME),
  externalData: nullable(fields(storedFile)),
  figures: variantFigures,
  results,
});

const shape = fields({
  version: count,
  whittleVersion: nonBlank(MAX_NAME),
  original: nullable(fields({ path: nonBlank(4096), sha256, sizeBytes: count, results })),
  variants: list(variant, MAX_VARIANTS),
});

function folderOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/') + 1);
}

/** What field checks cannot see: ids and files unique, parents made before their children, data beside its model. */
function checkLinks(manifest: VariantManifest, at: string): void {
  const seen = new Set<string>([ORIGINAL]);
  const files = new Set<string>();
  manifest.variants.forEach((v, i) => {
    const where = `${at}.variants[${i}]`;
    if (seen.has(v.id)) throw new ValidationError(`${where}.id`, `"${v.id}" is used twice (or is the reserved word "${ORIGINAL}")`);
    if (!seen.has(v.parent)) throw new ValidationError(`${where}.parent`, `"${v.parent.slice(0, 60)}" is neither "${ORIGINAL}" nor an earlier variant`);
    for (const [file, field] of [[v.file, 'file'], [v.externalData?.file, 'externalData.file']] as const) {
      if (file === undefined) continue;
      if (files.has(file)) throw new ValidationError(`${where}.${field}`, `"${file}" is listed twice`);
      files.add(file);
    }
    if (v.externalData !== null && folderOf(v.externalData.file) !== folderOf(v.file)) {
      throw new ValidationError(`${where}.externalData.file`, 'must be in the same folder as the model file');
    }
    seen.add(v.id);
  });
  if (manifest.original === null && manifest.variants.length > 0) throw new ValidationError(`${at}.original`, 'is missing, but there are variants');
}

/** Checks a parsed manifest of {@link MANIFEST_VERSION}; the caller refuses newer versions first, with a better message. */
export const variantManifest: Validator<VariantManifest> = (value, at) => {
  const manifest = shape(value, at);
  if (manifest.version !== MANIFEST_VERSION) throw new ValidationError(`${at}.version`, `is ${manifest.version}; this Whittle reads version ${MANIFEST_VERSION}`);
  checkLinks(manifest, at);
  return manifest;
};

/** A variant as listed: with where its model file is now, and whether its files are there with the sizes recorded. */
export interface ListedVariant extends Variant {
  /** Absolute path of the model file. */
  readonly path: string;
  /** Hashes are not checked here: that would read every file. */
  readonly present: boolean;
}

export const listedVariant: Validator<ListedVariant> = (value, at) => {
  variant(value, at);
  fields({ path: nonBlank(4096), present: boolean })(value, at);
  return value as ListedVariant;
};
