/**
 * Recurrent layers, counted per time step, batch element and direction (onnx-tool counts an
 * LSTM once instead, its issue #64). MACs = seq × batch × dirs × gates·H × (I + H): the input
 * and recurrent products of every gate. Element-wise work per hidden unit and step: the gate
 * activations, the state update, the bias and optional peepholes and clipping.
 */
import type { CostContext, CostRule } from '../context.js';
import { fmt } from '../format.js';
import { UNIT, activationWeight } from '../weights.js';
import { macWork, type Term } from '../work.js';

interface Cell {
  readonly gates: number;
  /** Activation functions per direction, as the spec's defaults. */
  readonly activations: readonly string[];
  /** Activation applications per hidden unit and step, by position in `activations`. */
  readonly uses: readonly number[];
  /** State update per hidden unit and step, and what it is. */
  readonly update: number;
  readonly updateText: string;
  /** Input position of the peephole weights, when the cell has them. */
  readonly peephole?: number;
}

const LSTM: Cell = {
  gates: 4,
  activations: ['Sigmoid', 'Tanh', 'Tanh'],
  uses: [3, 1, 1], // f on the i, f, o gates; g on the cell candidate; h on the new cell
  update: 2 * UNIT.mul + UNIT.add + UNIT.mul,
  updateText: 'c = f⊙c + i⊙g, h = o⊙h(c)',
  peephole: 7,
};

const GRU: Cell = {
  gates: 3,
  activations: ['Sigmoid', 'Tanh'],
  uses: [2, 1], // f on the z and r gates; g on the candidate
  update: UNIT.mul + UNIT.add + 2 * UNIT.mul + UNIT.add,
  updateText: 'r⊙(…), h = (1 − z)⊙ĥ + z⊙h',
};

const RNN: Cell = { gates: 1, activations: ['Tanh'], uses: [1], update: 0, updateText: '' };

/** Activation FLOPs per hidden unit and step for direction `d`, from the attribute or the defaults. */
function activationFlops(ctx: CostContext, cell: Cell, d: number): number {
  const given = ctx.strings('activations');
  const n = cell.activations.length;
  const names = given === undefined ? cell.activations : given.length >= (d + 1) * n ? given.slice(d * n, (d + 1) * n) : given.slice(0, n);
  if (names.length < n) return ctx.fail(`activations lists ${given!.length} functions; ${ctx.node.opType} needs ${n} per direction`);
  return names.reduce((sum, name, i) => sum + cell.uses[i]! * (activationWeight(name) ?? ctx.fail(`activation "${name}" has no cost weight`)), 0);
}

function recurrent(cell: Cell): CostRule {
  return (ctx) => {
    const x = ctx.shape(0);
    const w = ctx.shape(1);
    if (x.length !== 3 || w.length !== 3) return ctx.fail(`X and W must be 3-D; they have ranks ${x.length} and ${w.length}`);
    const [seq, batch, input] = ctx.int('layout', 0) === 0 ? x : [x[1]!, x[0]!, x[2]!];
    const dirs = w[0]!;
    const hidden = ctx.int('hidden_size', w[1]! / cell.gates);
    const units = seq! * batch! * hidden;
    let perUnit = 0;
    for (let d = 0; d < dirs; d++) perUnit += activationFlops(ctx, cell, d) + cell.update;
    const parts = [`activations, ${cell.updateText || 'no state update'}`];
    if (ctx.has(3)) {
      perUnit += dirs * cell.gates * UNIT.add;
      parts.push(`bias ${cell.gates} per unit (Wb + Rb summed once)`);
    }
    if (cell.peephole !== undefined && ctx.has(cell.peephole)) {
      perUnit += dirs * 3 * (UNIT.mul + UNIT.add);
      parts.push('peepholes');
    }
    if (ctx.float('clip', 0) > 0) {
      perUnit += dirs * cell.gates * 2 * UNIT.cmp;
      parts.push('clip');
    }
    const terms: Term[] = [{ text: `seq·batch·H ${fmt(units)} × ${perUnit} over ${dirs} direction(s) (${parts.join(', ')})`, flops: units * perUnit }];
    const work = macWork(
      seq! * batch! * dirs * cell.gates * hidden * (input! + hidden),
      `seq ${seq} × batch ${batch} × dirs ${dirs} × ${cell.gates}·H ${cell.gates}·${hidden} × (I ${input} + H ${hidden})`,
      terms,
    );
    // sequence_lens may end some sequences early; the count assumes every step runs.
    return ctx.has(4) ? { ...work, formula: `${work.formula} (at most: sequence_lens may end sequences sooner)` } : work;
  };
}

export const rules: Record<string, CostRule> = { LSTM: recurrent(LSTM), GRU: recurrent(GRU), RNN: recurrent(RNN) };
