import { WorkbenchError } from '../../engine/protocol/index.js';

/** The WorkbenchError `check` throws; fails the test when it throws nothing or something else. */
export function refusal(check: () => unknown): WorkbenchError {
  try {
    check();
  } catch (err) {
    if (err instanceof WorkbenchError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
