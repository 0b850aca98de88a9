import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataType, decodeModel, decodeTensor, dataTypeName } from '../../../engine/core/onnx/index.js';
import { formatShape, inferShapes } from '../../../engine/core/shape/index.js';
import { conformanceCases, dataSetFiles, requireTestdata } from '../../support/testdata.js';

// ONNX's node conformance tests: each is one op with expected output tensors. Shape inference
// sees only the model's inputs and attributes; its output types must equal the expected
// tensors' dtype and dims. A wrong shape fails at once. An unknown one is allowed only for
// the cases listed in NOT_INFERRED, each with its reason, so the list can only shrink.

/** Cases whose outputs Whittle does not infer yet (prefix match on the case name), with why. */
const NOT_INFERRED: Readonly<Record<string, string>> = {};

interface Outcome {
  readonly name: string;
  readonly op: string;
  readonly status: 'match' | 'unknown' | 'wrong';
  readonly detail: string;
}

function runCase(dir: string, name: string, modelPath: string): Outcome | undefined {
  const model = decodeModel(readFileSync(modelPath));
  const graph = model.graph!;
  const expected = dataSetFiles(dir).filter((f) => f.kind === 'output');
  // Outputs of sequence or optional type have no TensorProto to compare against.
  if (expected.length === 0 || graph.output.some((o) => o.type?.tensorType === undefined)) return undefined;
  const result = inferShapes(model);
  const problems: string[] = [];
  let wrong = false;
  for (const f of expected) {
    const want = decodeTensor(readFileSync(f.path));
    const out = graph.output[f.index]!;
    const got = result.typeOf(out.name);
    // The Debian data predates ONNX storing bfloat16 test tensors as bfloat16: they are uint16
    // there, while the model declares bfloat16. The declared type is the truth for those.
    const declared = out.type?.tensorType?.elemType;
    const wantType = want.dataType === DataType.UINT16 && declared === DataType.BFLOAT16 ? declared : want.dataType;
    const wantText = `${dataTypeName(wantType)}[${formatShape(want.dims)}]`;
    if (got?.kind !== 'tensor' || got.shape === undefined || got.shape.some((d) => typeof d !== 'number') || got.dtype === 0) {
      const why = result.unknown.get(graph.node.find((n) => n.output.includes(out.name))!)?.reason ?? 'no type';
      problems.push(`${out.name}: unknown (${why}); expected ${wantText}`);
      continue;
    }
    const gotText = `${dataTypeName(got.dtype)}[${formatShape(got.shape)}]`;
    if (gotText !== wantText) {
      wrong = true;
      problems.push(`${out.name}: inferred ${gotText}, expected ${wantText}`);
    }
  }
  const status = wrong ? 'wrong' : problems.length > 0 ? 'unknown' : 'match';
  // Name the ops where an unknown started; a test of several nodes blames only those.
  const roots = [...result.unknown.values()].filter((u) => u.cause === undefined).map((u) => u.node.opType);
  const op = [...new Set(roots.length > 0 ? roots : graph.node.map((n) => n.opType))].join('+');
  return { name, op, status, detail: problems.join('; ') };
}

function listedReason(name: string): string | undefined {
  const key = Object.keys(NOT_INFERRED).find((prefix) => name === prefix || name.startsWith(`${prefix}_`));
  return key === undefined ? undefined : NOT_INFERRED[key];
}

describe('shape inference against ONNX node conformance tests', () => {
  it('infers every expected output shape, or the case is listed as not inferred', (ctx) => {
    const root = requireTestdata(ctx);
    const outcomes: Outcome[] = [];
    for (const c of conformanceCases(root, 'node')) {
      const o = runCase(c.dir, c.name, c.modelPath);
      if (o !== undefined) outcomes.push(o);
    }
    const matched = outcomes.filter((o) => o.status === 'match').length;
    const wrong = outcomes.filter((o) => o.status === 'wrong');
    const unlisted = outcomes.filter((o) => o.status === 'unknown' && listedReason(o.name) === undefined);
    const stale = outcomes.filter((o) => o.status === 'match' && listedReason(o.name) !== undefined);
    const missingOps = [...new Set(outcomes.filter((o) => o.status !== 'match').map((o) => o.op))].sort();
    const summary = `shape conformance: ${matched} of ${outcomes.length} cases match (${((100 * matched) / outcomes.length).toFixed(1)}%); ops not fully inferred: ${missingOps.join(', ') || 'none'}`;
    console.info(summary);
    void ctx.annotate(summary);
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/shape-conformance.json', `${JSON.stringify({ matched, total: outcomes.length, missingOps, outcomes: outcomes.filter((o) => o.status !== 'match') }, null, 1)}\n`);
    expect(wrong.map((o) => `${o.name}: ${o.detail}`), 'inferred shapes that differ from the expected outputs').toEqual([]);
    expect(unlisted.map((o) => `${o.name}: ${o.detail}`), 'cases not inferred and not listed in NOT_INFERRED').toEqual([]);
    expect(stale.map((o) => o.name), 'cases listed in NOT_INFERRED that now match: remove them from the list').toEqual([]);
  });
});
