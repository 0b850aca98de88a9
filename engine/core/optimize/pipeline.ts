import { cloneProto } from '../graph/clone.js';
import type { ModelProto } from '../onnx/types.js';
import { PASSES } from './passes.js';
import { PASS_IDS, type Change, type PassId, type PassOptions } from './types.js';

/** Order in which the passes run by default: clean up first, so later patterns see plain chains. */
export const DEFAULT_PASSES: readonly PassId[] = PASS_IDS;

/** Rounds after which the pipeline stops even if passes still report changes (a pass that never settles is a bug). */
const MAX_ROUNDS = 8;

export interface OptimizeOptions extends PassOptions {
  /** Passes to run, in this order; default DEFAULT_PASSES. */
  readonly passes?: readonly PassId[];
}

export interface OptimizeResult {
  readonly model: ModelProto;
  /** Every change of every round, in the order made. */
  readonly changes: readonly Change[];
  /** Rounds run, the last of which changed nothing (or MAX_ROUNDS). */
  readonly rounds: number;
}

/** Thrown for a pass name nobody knows; the message lists the ones that exist. */
export class UnknownPassError extends Error {
  constructor(readonly pass: string) {
    super(`Unknown pass "${pass}" (passes: ${PASS_IDS.join(', ')})`);
  }
}

/** Reads a comma-separated list of pass names, in the order given. */
export function parsePassList(text: string): PassId[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of names) if (!(PASS_IDS as readonly string[]).includes(name)) throw new UnknownPassError(name);
  return names as PassId[];
}

/**
 * Runs the passes in order, round after round, until a whole round changes nothing. The input
 * model is not touched: the result shares only tensor bytes with it.
 */
export function optimize(model: ModelProto, options: OptimizeOptions = {}): OptimizeResult {
  const order = options.passes ?? DEFAULT_PASSES;
  let current = cloneProto(model);
  const changes: Change[] = [];
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    rounds++;
    let changedThisRound = false;
    for (const id of order) {
      const result = PASSES[id].run(current, options);
      if (result.changes.length === 0) continue;
      current = result.model;
      changes.push(...result.changes);
      changedThisRound = true;
    }
    if (!changedThisRound) break;
  }
  return { model: current, changes, rounds };
}
