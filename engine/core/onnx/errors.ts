/** Why a model was refused. Stable codes let the CLI, UI and tests tell cases apart. */
export type ModelErrorCode =
  | 'empty'
  | 'truncated'
  | 'bad-varint'
  | 'bad-wire-type'
  | 'too-deep'
  | 'bad-value'
  | 'bad-tensor'
  | 'bad-external-data'
  | 'too-large';

/**
 * A model file that cannot be read, with the place that is wrong. `fieldPath` reads like
 * `graph.node[3].attribute[0].t.dims`; `fileName` is filled in by whoever knows the file.
 */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
  fileName: string | undefined;

  constructor(
    readonly code: ModelErrorCode,
    readonly fieldPath: string,
    readonly detail: string,
    readonly byteOffset?: number,
  ) {
    super(formatMessage(undefined, fieldPath, detail, byteOffset));
  }

  /** Returns this error naming `fileName`, so messages say which file is at fault. */
  inFile(fileName: string): this {
    this.fileName = fileName;
    this.message = formatMessage(fileName, this.fieldPath, this.detail, this.byteOffset);
    return this;
  }
}

function formatMessage(file: string | undefined, fieldPath: string, detail: string, offset?: number): string {
  const where = fieldPath === '' ? '' : `${fieldPath}: `;
  const at = offset === undefined ? '' : ` (at byte ${offset})`;
  return `${file === undefined ? '' : `${file}: `}${where}${detail}${at}`;
}
