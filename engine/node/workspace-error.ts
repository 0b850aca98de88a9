/** Why a workspace operation was refused; the message says what to do about it. */
export type WorkspaceErrorCode =
  /** The manifest is not a plain file, or not JSON. */
  | 'manifest-unreadable'
  /** The manifest is JSON but not a valid manifest; the message names the field. */
  | 'manifest-invalid'
  /** The manifest was written by a newer Whittle. */
  | 'manifest-newer'
  /** The original model's file has changed since its variants were made. */
  | 'original-changed'
  | 'unknown-variant'
  /** A variant that other variants were made from cannot be removed. */
  | 'has-children'
  /** A path in the workspace is a link or otherwise leads outside it. */
  | 'outside-workspace'
  /** Another process holds the workspace's lock. */
  | 'locked'
  /** What the caller asked to record is not valid. */
  | 'bad-input';

export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';

  constructor(
    readonly code: WorkspaceErrorCode,
    /** The file or folder concerned. */
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}
