import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The Debian package that holds ONNX's conformance test data. */
export const TESTDATA_PACKAGE = 'libonnx-testdata';

/** Where Debian installs it; `WHITTLE_ONNX_TESTDATA` points elsewhere (a folder holding node/, simple/…). */
const DEFAULT_DIR = '/usr/share/libonnx-testdata/data';

export type TestdataFamily = 'node' | 'pytorch-converted' | 'pytorch-operator' | 'simple';
export const TESTDATA_FAMILIES: readonly TestdataFamily[] = ['node', 'pytorch-converted', 'pytorch-operator', 'simple'];

/** One conformance case: a folder with model.onnx and test_data_set_N/{input,output}_K.pb. */
export interface ConformanceCase {
  readonly family: TestdataFamily;
  readonly name: string;
  readonly dir: string;
  readonly modelPath: string;
}

export type TestdataLocation = { readonly dir: string } | { readonly dir?: undefined; readonly reason: string };

/** Finds the conformance data folder, or says why it is not there. */
export function locateTestdata(): TestdataLocation {
  const override = process.env.WHITTLE_ONNX_TESTDATA;
  const dir = override !== undefined && override !== '' ? override : DEFAULT_DIR;
  if (existsSync(join(dir, 'node')) && statSync(join(dir, 'node')).isDirectory()) return { dir };
  return {
    reason: `ONNX conformance data not found at ${dir}: install the Debian package ${TESTDATA_PACKAGE} (apt-get install ${TESTDATA_PACKAGE})${override ? '' : ' or set WHITTLE_ONNX_TESTDATA'}`,
  };
}

interface SkipContext {
  skip(note?: string): never;
}

/**
 * The data folder for a test that needs it. When it is missing the test skips with the reason,
 * except under CI=true, where a missing prerequisite must fail the run instead.
 */
export function requireTestdata(ctx: SkipContext): string {
  const found = locateTestdata();
  if (found.dir !== undefined) return found.dir;
  if (process.env.CI === 'true') throw new Error(found.reason);
  return ctx.skip(found.reason);
}

/** Every case of one family that has a model.onnx, sorted by name. */
export function conformanceCases(root: string, family: TestdataFamily): ConformanceCase[] {
  const familyDir = join(root, family);
  if (!existsSync(familyDir)) return [];
  return readdirSync(familyDir)
    .sort()
    .map((name) => ({ family, name, dir: join(familyDir, name), modelPath: join(familyDir, name, 'model.onnx') }))
    .filter((c) => existsSync(c.modelPath));
}

/** The `.pb` files of one test data set, as [kind, index, path], inputs first, in index order. */
export function dataSetFiles(caseDir: string, set = 0): { kind: 'input' | 'output'; index: number; path: string }[] {
  const dir = join(caseDir, `test_data_set_${set}`);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^(input|output)_(\d+)\.pb$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ kind: m[1] as 'input' | 'output', index: Number(m[2]), path: join(dir, m[0]) }))
    .sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === 'input' ? -1 : 1));
}

/** Names of a case's test_data_set_N folders. */
export function dataSets(caseDir: string): number[] {
  return readdirSync(caseDir)
    .map((f) => /^test_data_set_(\d+)$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}
