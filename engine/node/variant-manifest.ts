/**
 * Reading and writing the variants manifest, and the workspace folders it lives in. A manifest
 * that cannot be trusted (not JSON, invalid, from a newer Whittle) is refused, never rewritten:
 * it is the only record of what the variant files are.
 */
import { lstat, mkdir, readFile, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ValidationError } from '../protocol/validate.js';
import { MANIFEST_VERSION, variantManifest, type VariantManifest } from '../protocol/variants.js';
import { syncDirectory, writeFileAtomic } from './atomic-write.js';
import { WHITTLE_VERSION } from './version.js';
import { WorkspaceError } from './workspace-error.js';

export const MANIFEST_FILE = 'variants.json';
/** The folder of the workspace that holds variant files. */
export const VARIANTS_DIR = 'variants';

const LEAVE_IT = 'Whittle will not overwrite it: move it aside (rename it) to start a new list of variants, or restore it from a backup.';

export function emptyManifest(): VariantManifest {
  return { version: MANIFEST_VERSION, whittleVersion: WHITTLE_VERSION, original: null, variants: [] };
}

function refuse(code: 'manifest-unreadable' | 'manifest-invalid', file: string, detail: string): WorkspaceError {
  return new WorkspaceError(code, file, `${file} ${detail}. ${LEAVE_IT}`);
}

/** The manifest as written by a newer Whittle, or undefined: then the caller refuses it with the version to use. */
function newerVersion(json: unknown): { version: number; writer: string } | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { version, whittleVersion } = json as Record<string, unknown>;
  if (typeof version !== 'number' || !(version > MANIFEST_VERSION)) return undefined;
  return { version, writer: typeof whittleVersion === 'string' ? whittleVersion.slice(0, 100) : 'a newer version' };
}

/**
 * The workspace's variants manifest; an empty one when the workspace (or its manifest) does not
 * exist yet. Throws a {@link WorkspaceError} naming the file and what is wrong when it is a link,
 * not JSON, invalid, or of a newer version.
 */
export async function readManifest(workspaceDir: string): Promise<VariantManifest> {
  const file = join(resolve(workspaceDir), MANIFEST_FILE);
  const info = await lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (info === null) return emptyManifest();
  if (!info.isFile()) throw refuse('manifest-unreadable', file, `is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; Whittle keeps the manifest as a plain file`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw refuse('manifest-unreadable', file, `is not valid JSON (${err.message})`);
  }
  const newer = newerVersion(json);
  if (newer !== undefined) {
    throw new WorkspaceError(
      'manifest-newer',
      file,
      `${file} was written by Whittle ${newer.writer} (manifest version ${newer.version}); this is Whittle ${WHITTLE_VERSION}, which reads version ${MANIFEST_VERSION}. Open the workspace with Whittle ${newer.writer} or newer.`,
    );
  }
  try {
    return variantManifest(json, MANIFEST_FILE);
  } catch (err) {
    if (err instanceof ValidationError) throw refuse('manifest-invalid', file, `is not a valid variants manifest: ${err.message}`);
    throw err;
  }
}

/** Replaces the manifest atomically; callers hold the workspace lock. */
export async function writeManifest(root: string, manifest: VariantManifest): Promise<void> {
  await writeFileAtomic(join(root, MANIFEST_FILE), `${JSON.stringify({ ...manifest, whittleVersion: WHITTLE_VERSION }, null, 2)}\n`);
}

/**
 * Creates the workspace and its variants folder when needed, and returns the workspace's real
 * path. The variants folder must be a real folder: were it a link, variant files would be
 * written (and removed) wherever it points.
 */
export async function openWorkspace(workspaceDir: string): Promise<string> {
  await mkdir(workspaceDir, { recursive: true });
  const root = await realpath(workspaceDir);
  const dir = join(root, VARIANTS_DIR);
  const created = await mkdir(dir).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return false;
      throw err;
    },
  );
  if (created) await syncDirectory(root);
  const info = await lstat(dir);
  if (!info.isDirectory()) throw new WorkspaceError('outside-workspace', dir, `${dir} is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; Whittle writes variants only into a real folder inside the workspace.`);
  return root;
}
