/**
 * Control flow: the cost of the subgraphs that run. If: the branch the condition picks when it
 * is known before running, else the larger branch (by FLOPs, then bytes). Loop: the body × the
 * trip count M (an upper bound when a condition can end it sooner). Scan: the body × the
 * sequence length. A body with an uncounted node leaves the whole node uncounted. Parameters
 * are the body's, counted once; traffic and work are per run.
 */
import type { GraphProto, NodeProto } from '../../onnx/types.js';
import type { CostContext, CostRule, Work } from '../context.js';
import { fmt } from '../format.js';
import type { GraphCostTotals } from '../types.js';

/** Loops longer than this are exporters' "run until the condition" sentinel (INT64_MAX), not a trip count. */
const MAX_TRIPS = 2 ** 31 - 1;

function label(node: NodeProto): string {
  return node.name !== '' ? node.name : node.opType;
}

function required(ctx: CostContext, attribute: string): GraphProto {
  return ctx.graph(attribute) ?? ctx.fail(`the ${attribute} attribute is missing`);
}

/** The totals of a subgraph run once; uncounted when any of its nodes is. */
function totals(ctx: CostContext, graph: GraphProto, what: string): GraphCostTotals {
  const cost = ctx.subgraphCost(graph);
  const first = cost.nodes.find((e) => !e.cost.counted);
  if (first !== undefined) {
    return ctx.fail(
      `${cost.totals.uncounted} node(s) of the ${what} uncounted, first ${label(first.node)}: ${first.cost.uncountedReason}` +
        ` (the counted part: ${fmt(cost.totals.flops)} FLOPs per run)`,
    );
  }
  return cost.totals;
}

function repeated(t: GraphCostTotals, times: number, what: string, graph: GraphProto): Work {
  return {
    bodies: [{ graph, runs: times }],
    macs: t.macs * times,
    flops: t.flops * times,
    readBytes: t.readBytes * times,
    writeBytes: t.writeBytes * times,
    params: t.params,
    weightBytes: t.weightBytes,
    formula: `${what}: MACs ${fmt(t.macs)} × ${fmt(times)} = ${fmt(t.macs * times)}; FLOPs ${fmt(t.flops)} × ${fmt(times)} = ${fmt(t.flops * times)}`,
  };
}

const ifRule: CostRule = (ctx) => {
  const thenBranch = required(ctx, 'then_branch');
  const elseBranch = required(ctx, 'else_branch');
  const cond = ctx.numbers(0)?.[0];
  if (cond !== undefined) {
    const branch = cond !== 0 ? 'then' : 'else';
    const taken = cond !== 0 ? thenBranch : elseBranch;
    return repeated(totals(ctx, taken, `${branch} branch`), 1, `condition known before running: the ${branch} branch`, taken);
  }
  // A branch that cannot run with these shapes (shape inference found it invalid) is not taken.
  const thenFails = ctx.input.cannotRun?.(thenBranch);
  const elseFails = ctx.input.cannotRun?.(elseBranch);
  if (thenFails !== undefined && elseFails === undefined) return repeated(totals(ctx, elseBranch, 'else branch'), 1, `the else branch: the then branch cannot run with these shapes (${thenFails})`, elseBranch);
  if (elseFails !== undefined && thenFails === undefined) return repeated(totals(ctx, thenBranch, 'then branch'), 1, `the then branch: the else branch cannot run with these shapes (${elseFails})`, thenBranch);
  const a = totals(ctx, thenBranch, 'then branch');
  const b = totals(ctx, elseBranch, 'else branch');
  const thenLarger = a.flops !== b.flops ? a.flops > b.flops : a.readBytes + a.writeBytes >= b.readBytes + b.writeBytes;
  const [pick, other] = thenLarger ? [a, b] : [b, a];
  const name = thenLarger ? 'then' : 'else';
  return repeated(pick, 1, `condition not known before running: the larger branch, ${name} (${fmt(pick.flops)} FLOPs against ${fmt(other.flops)})`, thenLarger ? thenBranch : elseBranch);
};

const loop: CostRule = (ctx) => {
  const body = required(ctx, 'body');
  if (!ctx.has(0)) return ctx.fail('no trip count M: the loop runs until its condition is false');
  const trips = ctx.numbers(0)?.[0] ?? ctx.fail('the trip count M is not known before running');
  if (trips > MAX_TRIPS) return ctx.fail(`the trip count M is ${fmt(trips)}, a "no limit" sentinel: the loop runs until its condition is false`);
  const bound = ctx.has(1) && ctx.numbers(1)?.[0] !== 1 ? ' (at most: the condition may end it sooner)' : '';
  return repeated(totals(ctx, body, 'body'), trips, `body × trip count ${fmt(trips)}${bound}`, body);
};

const scan: CostRule = (ctx) => {
  if (ctx.opset < 9) return ctx.fail('Scan before opset 9 (batched, with sequence_lens) has no cost rule');
  const body = required(ctx, 'body');
  const scanInputs = ctx.int('num_scan_inputs', 0);
  if (scanInputs <= 0) return ctx.fail('num_scan_inputs is required');
  const first = ctx.inputCount - scanInputs;
  const shape = ctx.shape(first);
  const axis = ctx.ints('scan_input_axes')?.[0] ?? 0;
  const length = shape[axis < 0 ? axis + shape.length : axis] ?? ctx.fail(`scan axis ${axis} is outside input ${first}'s rank ${shape.length}`);
  return repeated(totals(ctx, body, 'body'), length, `body × sequence length ${fmt(length)}`, body);
};

export const rules: Record<string, CostRule> = { If: ifRule, Loop: loop, Scan: scan };
