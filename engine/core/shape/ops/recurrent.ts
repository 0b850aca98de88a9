/** Recurrent layers: RNN, GRU, LSTM (both layouts, any direction, optional outputs). */
import type { ShapeRule } from '../context.js';
import { floorDivDims } from '../dims.js';
import { tensorOf, type Dim } from '../types.js';

const DIRECTIONS: Record<string, number> = { forward: 1, reverse: 1, bidirectional: 2 };

/**
 * A recurrent layer with `gates` gate blocks in W and R (RNN 1, GRU 3, LSTM 4). Layout 0:
 * X (seq, batch, input), Y (seq, dirs, batch, hidden), Y_h/Y_c (dirs, batch, hidden); layout 1
 * puts batch first: X (batch, seq, input), Y (batch, seq, dirs, hidden), Y_h/Y_c (batch, dirs, hidden).
 */
function recurrent(gates: number, stateOutputs: number): ShapeRule {
  return (ctx) => {
    const dtype = ctx.dtype(0);
    const x = ctx.shape(0);
    const w = ctx.shape(1);
    const r = ctx.shape(2);
    const direction = ctx.string('direction', 'forward');
    const dirs = DIRECTIONS[direction] ?? ctx.fail(`unknown direction "${direction}"`);
    const batchFirst = ctx.int('layout', 0) !== 0;
    if (x !== undefined && x.length !== 3) return ctx.fail(`X has rank ${x.length}; 3 expected`);
    for (const [name, s] of [['W', w], ['R', r]] as const) {
      if (s === undefined) continue;
      if (s.length !== 3) return ctx.fail(`${name} has rank ${s.length}; 3 expected`);
      if (typeof s[0] === 'number' && s[0] !== dirs) return ctx.fail(`${name} is for ${s[0]} direction(s); direction is ${direction}`);
    }
    const gateRows = w?.[1] ?? r?.[1] ?? null;
    if (typeof gateRows === 'number' && gateRows % gates !== 0) return ctx.fail(`W has ${gateRows} rows, not a multiple of its ${gates} gate(s)`);
    const hidden: Dim = ctx.int('hidden_size') ?? r?.[2] ?? floorDivDims(gateRows, gates);
    const initial = ctx.shape(5);
    const seq = x?.[batchFirst ? 1 : 0] ?? null;
    const batch = x?.[batchFirst ? 0 : 1] ?? initial?.[batchFirst ? 0 : 1] ?? null;
    const y = tensorOf(dtype, batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden]);
    const state = tensorOf(dtype, batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden]);
    return [y, ...new Array<typeof state>(stateOutputs).fill(state)];
  };
}

export const rules: Record<string, ShapeRule> = {
  RNN: recurrent(1, 1),
  GRU: recurrent(3, 1),
  LSTM: recurrent(4, 2),
};
