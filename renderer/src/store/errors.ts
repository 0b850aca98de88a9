import { WorkbenchError, type ProtocolError } from '../../../engine/protocol/index.js';

/** What a failed call threw, as the readable error the UI shows. */
export function asProtocolError(err: unknown): ProtocolError {
  if (err instanceof WorkbenchError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
