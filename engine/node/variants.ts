/**
 * A model's variants in its workspace: `variants/` holds their files, `variants.json` (the
 * manifest) says what each one is. Every change follows one order: variant files first (each
 * written to a temp file, fsynced, renamed), the manifest last, all under the workspace lock.
 * A process killed at any point leaves the old manifest (and perhaps a file it does not list,
 * which is ignored and never overwritten) or the new one, never a manifest naming a missing or
 * half-written file. The original model is only read; nothing is written outside the workspace.
 */
import { lstat, readdir, realpath, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { summarizeModel } from '../core/graph/index.js';
import type { ModelProto } from '../core/onnx/index.js';
import { ValidationError, type Validator } from '../protocol/validate.js';
import { ORIGINAL, variantFigures, variantManifest, variantResult, variantTransform, type Figures, type ListedVariant, type OriginalModel, type Variant, type VariantManifest, type VariantResult, type VariantTransform } from '../protocol/variants.js';
import { TEMP_FILE } from './atomic-write.js';
import { DEFAULT_EXTERNAL_DATA, dataFileName, writeModel, type ExternalDataPolicy, type ExternalReader } from './model-writer.js';
import { MANIFEST_FILE, VARIANTS_DIR, openWorkspace, readManifest, writeManifest } from './variant-manifest.js';
import { WHITTLE_VERSION } from './version.js';
import { WorkspaceError } from './workspace-error.js';
import { withLock } from './workspace-lock.js';

export { MANIFEST_FILE, readManifest } from './variant-manifest.js';

/** Making a variant can mean writing gigabytes; another process doing so is waited for this long by default. */
const DEFAULT_LOCK_TIMEOUT_MS = 5 * 60_000;

export interface NewVariant {
  /** The workspace's model. Recorded with the first variant; later ones must come from the same file (same SHA-256). */
  readonly original: { readonly path: string; readonly sha256: string };
  /** {@link ORIGINAL} or the id of an existing variant. */
  readonly parent: string;
  readonly transform: VariantTransform;
  readonly model: ModelProto | Uint8Array;
  /** Reads the model's external tensors (see `externalReader`); needed only when it has some. */
  readonly readExternal?: ExternalReader;
  /** Figures the transform knows, such as `macs`; node count, parameters and weight bytes are counted here. */
  readonly figures?: Figures;
}

export interface WorkspaceWriteOptions {
  readonly externalData?: ExternalDataPolicy;
  /** How long to wait while another process changes the workspace; default 5 minutes. */
  readonly lockTimeoutMs?: number;
}


function checked<T>(validate: Validator<T>, value: unknown, what: string): T {
  try {
    return validate(value, what);
  } catch (err) {
    if (err instanceof ValidationError) throw new WorkspaceError('bad-input', '', `Cannot record this: ${err.message}.`);
    throw err;
  }
}

/**
 * Reads the manifest, lets `change` make a new one, and writes it; all under the workspace lock.
 * Files `change` lists in `written` are removed again if the manifest cannot be written.
 */
async function update<T>(workspaceDir: string, options: WorkspaceWriteOptions, change: (root: string, manifest: VariantManifest, written: string[]) => Promise<{ manifest: VariantManifest; value: T }>): Promise<T> {
  const root = await openWorkspace(workspaceDir);
  return withLock(join(root, `${MANIFEST_FILE}.lock`), options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, async () => {
    const written: string[] = [];
    try {
      const { manifest, value } = await change(root, await readManifest(root), written);
      // Never write a manifest the next read would refuse (a caller's malformed SHA-256, say).
      await writeManifest(root, checked(variantManifest, manifest, MANIFEST_FILE));
      return value;
    } catch (err) {
      await Promise.all(written.map((file) => rm(join(root, file), { force: true })));
      throw err;
    }
  });
}

function unknownVariant(root: string, id: string): WorkspaceError {
  return new WorkspaceError('unknown-variant', join(root, MANIFEST_FILE), `The workspace ${root} has no variant "${id.slice(0, 60)}".`);
}

/** `path` as the manifest records it: relative to the workspace when it can be, `/`-separated. */
function fromWorkspace(root: string, path: string): string {
  const rel = relative(root, path);
  return isAbsolute(rel) ? path : rel.split(sep).join('/');
}

async function originalEntry(root: string, recorded: OriginalModel | null, given: NewVariant['original']): Promise<OriginalModel> {
  const path = await realpath(given.path);
  if (recorded !== null && recorded.sha256 !== given.sha256) {
    throw new WorkspaceError(
      'original-changed',
      path,
      `The workspace ${root} holds variants of ${recorded.path} as it was (SHA-256 ${recorded.sha256.slice(0, 12)}…), but ${path} has changed since (now ${given.sha256.slice(0, 12)}…). To make variants of the new file, move the workspace aside (rename it) first.`,
    );
  }
  return { results: {}, ...recorded, path: fromWorkspace(root, path), sha256: given.sha256, sizeBytes: (await stat(path)).size };
}

/**
 * Temp files left by a writer that was killed are removed (under the lock, so none is in use).
 * Complete files the manifest does not list are left alone: after a kill between a variant's
 * rename and the manifest's they are orphans, but after a user moved a bad manifest aside they
 * are the variants to recover.
 */
async function removeTempFiles(root: string): Promise<void> {
  for (const dir of [root, join(root, VARIANTS_DIR)]) {
    for (const name of await readdir(dir)) {
      if (TEMP_FILE.test(name) || /^variants\.json\.lock\.[0-9a-f]{8}\.stale$/.test(name)) await rm(join(dir, name), { force: true });
    }
  }
}

/** `vN` one past every number in use, in the manifest or in a file name, so no file is ever overwritten. */
async function nextId(root: string, manifest: VariantManifest): Promise<string> {
  const numbers = [...manifest.variants.map((v) => v.id), ...(await readdir(join(root, VARIANTS_DIR)))].map((name) => Number(/^v(\d{1,9})(-|$)/.exec(name)?.[1] ?? 0));
  return `v${Math.max(0, ...numbers) + 1}`;
}

/**
 * Writes a variant (with its weights in a data file when large, see {@link ExternalDataPolicy})
 * and records it in the manifest. Returns the manifest entry.
 */
export async function addVariant(workspaceDir: string, input: NewVariant, options: WorkspaceWriteOptions = {}): Promise<Variant> {
  const transform = checked(variantTransform, input.transform, 'transform');
  const extraFigures = checked(variantFigures, input.figures ?? {}, 'figures');
  return update(workspaceDir, options, async (root, manifest, written) => {
    const original = await originalEntry(root, manifest.original, input.original);
    if (input.parent !== ORIGINAL && !manifest.variants.some((v) => v.id === input.parent)) throw unknownVariant(root, input.parent);
    await removeTempFiles(root);
    const id = await nextId(root, manifest);
    const file = (name: string): string => `${VARIANTS_DIR}/${name}`;
    const name = `${id}-${transform.id}.onnx`;
    written.push(file(name), file(dataFileName(name)));
    const model = await writeModel(join(root, VARIANTS_DIR), name, input.model, input.readExternal, options.externalData ?? DEFAULT_EXTERNAL_DATA);
    const summary = summarizeModel(model.model);
    const variant: Variant = {
      id,
      file: file(model.name),
      sha256: model.sha256,
      sizeBytes: model.sizeBytes,
      parent: input.parent,
      transform,
      createdAt: new Date().toISOString(),
      engineVersion: WHITTLE_VERSION,
      externalData: model.externalData && { file: file(model.externalData.name), sha256: model.externalData.sha256, sizeBytes: model.externalData.sizeBytes },
      figures: { nodeCount: summary.nodeCount, params: summary.params, weightBytes: summary.weightBytes, ...extraFigures },
      results: {},
    };
    return { manifest: { ...manifest, original, variants: [...manifest.variants, variant] }, value: variant };
  });
}

/**
 * Records a measurement of a variant (or of {@link ORIGINAL}) under `key`, replacing an earlier
 * one under the same key.
 */
export async function recordResult(workspaceDir: string, variantId: string, key: string, result: VariantResult, options: WorkspaceWriteOptions = {}): Promise<void> {
  checked(variantResult, result, 'result');
  if (key.trim() === '' || key.length > 200) throw new WorkspaceError('bad-input', '', 'A result key must be 1 to 200 characters long.');
  await update(workspaceDir, options, async (root, manifest) => {
    const add = <T extends { results: Readonly<Record<string, VariantResult>> }>(target: T): T => ({ ...target, results: { ...target.results, [key]: result } });
    if (variantId === ORIGINAL) {
      if (manifest.original === null) throw unknownVariant(root, variantId);
      return { manifest: { ...manifest, original: add(manifest.original) }, value: undefined };
    }
    if (!manifest.variants.some((v) => v.id === variantId)) throw unknownVariant(root, variantId);
    return { manifest: { ...manifest, variants: manifest.variants.map((v) => (v.id === variantId ? add(v) : v)) }, value: undefined };
  });
}

/**
 * Removes a variant from the manifest, then deletes its files (a kill in between leaves files
 * nobody lists). A variant other variants were made from is refused.
 */
export async function removeVariant(workspaceDir: string, variantId: string, options: WorkspaceWriteOptions = {}): Promise<void> {
  const removed = await update(workspaceDir, options, async (root, manifest) => {
    const variant = manifest.variants.find((v) => v.id === variantId);
    if (variant === undefined) throw unknownVariant(root, variantId);
    const children = manifest.variants.filter((v) => v.parent === variantId).map((v) => v.id);
    if (children.length > 0) throw new WorkspaceError('has-children', join(root, variant.file), `Variant ${variantId} cannot be removed: ${children.join(', ')} ${children.length === 1 ? 'was' : 'were'} made from it. Remove ${children.length === 1 ? 'it' : 'them'} first.`);
    return { manifest: { ...manifest, variants: manifest.variants.filter((v) => v !== variant) }, value: { root, variant } };
  });
  for (const file of [removed.variant.file, removed.variant.externalData?.file]) {
    // Only files of the variants folder: a hand-edited manifest must not make Whittle delete anything else.
    if (file !== undefined && file.startsWith(`${VARIANTS_DIR}/`) && !file.slice(VARIANTS_DIR.length + 1).includes('/')) await rm(join(removed.root, file), { force: true });
  }
}

async function hasSize(path: string, sizeBytes: number): Promise<boolean> {
  const info = await lstat(path).catch(() => null);
  return info !== null && info.isFile() && info.size === sizeBytes;
}

/** The workspace's variants in the order they were made, with their paths. */
export async function listVariants(workspaceDir: string): Promise<ListedVariant[]> {
  const root = resolve(workspaceDir);
  const manifest = await readManifest(root);
  return Promise.all(
    manifest.variants.map(async (v) => {
      const path = join(root, v.file);
      const present = (await hasSize(path, v.sizeBytes)) && (v.externalData === null || (await hasSize(join(root, v.externalData.file), v.externalData.sizeBytes)));
      return { ...v, path, present };
    }),
  );
}
