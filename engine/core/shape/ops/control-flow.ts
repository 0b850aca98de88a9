/** Control flow: If (branch choice or merge), Loop and Scan (bodies run to a fixpoint). */
import { DataType } from '../../onnx/data-types.js';
import type { GraphProto } from '../../onnx/types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { normalizeAxis } from '../dims.js';
import { typeFromProto } from '../types.js';
import { tensorOf, type Dim, type ValueType } from '../types.js';
import { freshDim, mergeTypes, sameType, unifyDims } from './merge.js';

/**
 * Body runs before the carried types are widened to their element type alone. Each run that
 * does not reach the fixpoint turns at least one dim null, so real bodies settle in two or three.
 */
const MAX_BODY_RUNS = 4;

/** Infers a body; inputs the node cannot type fall back to the body's own declarations. */
export function runBody(ctx: NodeContext, body: GraphProto, inputs: readonly (ValueType | undefined)[]): readonly (ValueType | undefined)[] {
  return ctx.inferSubgraph(body, body.input.map((v, i) => inputs[i] ?? typeFromProto(v.type)));
}

function requireGraph(ctx: NodeContext, name: string): GraphProto {
  return ctx.graph(name) ?? ctx.fail(`${ctx.node.opType} has no "${name}" graph`);
}

/** The type with only its element types left: what every iteration agrees on, at worst. */
function widen(t: ValueType | undefined): ValueType | undefined {
  if (t?.kind === 'tensor') return tensorOf(t.dtype);
  if (t?.kind === 'sequence' || t?.kind === 'optional') return { kind: t.kind, elem: widen(t.elem) };
  return t;
}

/**
 * Runs a body whose first `carried.length` outputs (after `skip` leading ones) feed back into its
 * inputs, until the carried types stop changing: a value whose shape changes between iterations
 * ends with the dims that differ null. Returns the carried types covering every iteration (and
 * the initial values) and the outputs of the last run.
 */
function fixpoint(
  ctx: NodeContext,
  body: GraphProto,
  carried: readonly (ValueType | undefined)[],
  inputsFor: (carried: readonly (ValueType | undefined)[]) => (ValueType | undefined)[],
  skip: number,
): { carried: (ValueType | undefined)[]; outputs: readonly (ValueType | undefined)[] } {
  let current = [...carried];
  for (let run = 1; ; run++) {
    const outputs = runBody(ctx, body, inputsFor(current));
    const next = current.map((t, k) => mergeTypes(ctx, t, outputs[skip + k], `loop-carried value ${k}`));
    if (next.every((t, k) => sameType(t, current[k]))) return { carried: current, outputs };
    current = run < MAX_BODY_RUNS ? next : next.map(widen);
  }
}

interface Branch {
  readonly outputs: readonly (ValueType | undefined)[];
  /** Why the branch cannot run with these types (a node in it is invalid), if it cannot. */
  readonly failure?: string;
}

function inferBranch(ctx: NodeContext, name: string): Branch {
  const graph = requireGraph(ctx, name);
  const outputs = runBody(ctx, graph, []);
  if (outputs.length !== ctx.node.output.length) ctx.fail(`${name} has ${outputs.length} outputs; the If node has ${ctx.node.output.length}`);
  return { outputs, failure: ctx.subgraphFailed(graph) };
}

/**
 * A known condition picks its branch, and only that one is inferred: the other is dead code
 * that may not even be valid for these shapes (a Squeeze guarded by "if dim == 1"). Otherwise
 * both are inferred; a branch that cannot run with these shapes is not the one taken (Silero
 * VAD's 8 kHz path given a 16 kHz frame), else their outputs merge. The If itself fails when
 * no branch it may take can run, so an enclosing If sees that too.
 */
const ifRule: ShapeRule = (ctx) => {
  const cond = ctx.numbers(0);
  if (cond?.length === 1) {
    const name = cond[0] !== 0 ? 'then_branch' : 'else_branch';
    const taken = inferBranch(ctx, name);
    return taken.failure === undefined ? taken.outputs : ctx.fail(`the ${name} it takes cannot run: ${taken.failure}`);
  }
  const then = inferBranch(ctx, 'then_branch');
  const otherwise = inferBranch(ctx, 'else_branch');
  if (then.failure !== undefined && otherwise.failure !== undefined) return ctx.fail(`neither branch can run: ${then.failure}; ${otherwise.failure}`);
  if (then.failure !== undefined) return otherwise.outputs;
  if (otherwise.failure !== undefined) return then.outputs;
  return then.outputs.map((t, i) => mergeTypes(ctx, t, otherwise.outputs[i], `If output ${i}`));
};

/** Prepends the iteration count to a per-iteration output (a Loop's scan outputs). */
function stacked(t: ValueType | undefined, count: Dim): ValueType | undefined {
  if (t?.kind !== 'tensor') return undefined;
  return tensorOf(t.dtype, t.shape === undefined ? undefined : [count, ...t.shape]);
}

/**
 * Loop: body inputs are (iteration, condition, carried…), outputs (condition, carried…, scan…).
 * The body runs only while the condition holds, so it sees a true condition; when its condition
 * output then stays true (a constant or a passthrough), the loop runs exactly M times.
 */
const loop: ShapeRule = (ctx) => {
  const body = requireGraph(ctx, 'body');
  const n = ctx.inputCount - 2;
  if (n < 0) return ctx.fail('Loop needs the M and cond inputs (either may be empty)');
  if (body.input.length !== n + 2) ctx.fail(`the body has ${body.input.length} inputs; Loop gives it ${n + 2}`);
  const iteration = tensorOf(DataType.INT64, []);
  const running = tensorOf(DataType.BOOL, [], [1]);
  const initial = Array.from({ length: n }, (_, k) => ctx.input(2 + k));
  const { carried, outputs } = fixpoint(ctx, body, initial, (c) => [iteration, running, ...c], 1);

  const condIn = ctx.has(1) ? ctx.numbers(1)?.[0] : 1;
  const condOut = outputs[0]?.kind === 'tensor' ? outputs[0].value?.[0] : undefined;
  const max = ctx.has(0) ? ctx.values(0)?.[0] : undefined;
  const trips = condIn === 1 && condOut === 1 && max !== undefined && max !== null ? max : freshDim(ctx, 'trips');
  const scans = outputs.slice(1 + n).map((t) => stacked(t, trips));
  return [...carried, ...scans];
};

interface ScanLayout {
  /** Loop-carried state variables. */
  readonly states: number;
  /** Index of the first state input. */
  readonly first: number;
  /** Whether a leading batch axis is on every input and output (opset 8). */
  readonly batched: boolean;
  readonly inputAxes: readonly number[];
  readonly outputAxes: readonly number[] | undefined;
}

function scanLayout(ctx: NodeContext, scanInputs: number): ScanLayout {
  if (ctx.opset < 9) {
    return { states: ctx.inputCount - 1 - scanInputs, first: 1, batched: true, inputAxes: new Array<number>(scanInputs).fill(1), outputAxes: undefined };
  }
  const inputAxes = ctx.ints('scan_input_axes', new Array<number>(scanInputs).fill(0));
  return { states: ctx.inputCount - scanInputs, first: 0, batched: false, inputAxes, outputAxes: ctx.ints('scan_output_axes') };
}

function dropAxes(t: ValueType | undefined, axes: readonly number[]): ValueType | undefined {
  if (t?.kind !== 'tensor') return undefined;
  return tensorOf(t.dtype, t.shape?.filter((_, i) => !axes.includes(i)));
}

/**
 * Scan: states are carried through the body, scan inputs sliced along their scan axis, scan
 * outputs stacked along theirs. Opset 8 has a batch axis 0 on everything and scans axis 1.
 */
const scan: ShapeRule = (ctx) => {
  const body = requireGraph(ctx, 'body');
  const m = ctx.int('num_scan_inputs') ?? ctx.fail('Scan needs num_scan_inputs');
  const layout = scanLayout(ctx, m);
  if (layout.states < 0) return ctx.fail(`Scan has ${ctx.inputCount} inputs, fewer than its ${m} scan inputs`);
  if (body.input.length !== layout.states + m) ctx.fail(`the body has ${body.input.length} inputs; Scan gives it ${layout.states + m}`);
  const batch = layout.batched ? unifyDims(ctx, Array.from({ length: layout.states + m }, (_, i) => ctx.shape(layout.first + i)?.[0] ?? null), 'batch sizes') : undefined;

  const lengths: Dim[] = [];
  const slices = Array.from({ length: m }, (_, j) => {
    const t = ctx.tensor(layout.first + layout.states + j);
    if (t?.shape === undefined) return t === undefined ? undefined : tensorOf(t.dtype);
    const axis = normalizeAxis(layout.inputAxes[j] ?? 0, t.shape.length) ?? ctx.fail(`scan input ${j} has no axis ${layout.inputAxes[j]}`);
    lengths.push(t.shape[axis]!);
    return dropAxes(t, layout.batched ? [0, axis] : [axis]);
  });
  const length = unifyDims(ctx, lengths, 'scan lengths');

  const initial = Array.from({ length: layout.states }, (_, k) => {
    const t = ctx.input(layout.first + k);
    return layout.batched ? dropAxes(t, [0]) : t;
  });
  const { carried, outputs } = fixpoint(ctx, body, initial, (c) => [...c, ...slices], 0);

  const withBatch = (t: ValueType | undefined): ValueType | undefined =>
    t?.kind === 'tensor' && batch !== undefined ? tensorOf(t.dtype, t.shape === undefined ? undefined : [batch, ...t.shape]) : t;
  const scans = outputs.slice(layout.states).map((t, j) => {
    if (t?.kind !== 'tensor') return undefined;
    if (t.shape === undefined) return tensorOf(t.dtype);
    const axis = layout.batched ? 0 : normalizeAxis(layout.outputAxes?.[j] ?? 0, t.shape.length + 1);
    if (axis === undefined) return ctx.fail(`scan output ${j} has no axis ${layout.outputAxes?.[j]}`);
    return withBatch(tensorOf(t.dtype, [...t.shape.slice(0, axis), length, ...t.shape.slice(axis)]));
  });
  return [...carried.map(withBatch), ...scans];
};

export const rules: Record<string, ShapeRule> = {
  If: ifRule,
  Loop: loop,
  Scan: scan,
};
