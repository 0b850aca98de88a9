/**
 * External-data attacks. Each case gets a fresh folder: `model/` holds the model and any
 * weights, `outside/secret.bin` is a canary full of a unique marker. Every attack must be
 * refused by openModelFile with a `bad-external-data` error naming the model file and the
 * tensor, in bounded time, without writing anything and without the canary's bytes showing
 * anywhere. Working cases (a plain weights file) prove the refusals are not blanket ones.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tensorValues } from '../../../engine/core/onnx/index.js';
import { readExternalTensor } from '../../../engine/node/model-file.js';
import { attempt, expectNoCanary, makeCaseDir, openCase, snapshot, type CaseDir } from './harness.js';
import * as pb from './pb.js';
import { addModel, externalTensor, type ExternalPlace } from './samples.js';

const WEIGHTS = [1.5, -2, 3.25, 4];

let dirs: CaseDir[] = [];
afterEach(() => {
  for (const d of dirs) d.cleanup();
  dirs = [];
});

function caseDir(label: string): CaseDir {
  const d = makeCaseDir(label);
  dirs.push(d);
  // A legitimate 16-byte weights file, and a 32-byte one, inside the model's folder.
  writeFileSync(join(d.modelDir, 'weights.bin'), pb.floatBytes(WEIGHTS));
  writeFileSync(join(d.modelDir, 'weights32.bin'), pb.floatBytes([0, 0, 0, 0, ...WEIGHTS]));
  return d;
}

type Entries = readonly (readonly [string, string])[];

/** Writes model.onnx with w's external_data entries (a function of the case folder) and opens it. */
async function openWith(d: CaseDir, entries: Entries, place: ExternalPlace = 'initializer') {
  const path = join(d.modelDir, 'model.onnx');
  writeFileSync(path, addModel(externalTensor(entries), 4, place));
  return openCase(path, d);
}

async function expectRefused(d: CaseDir, entries: Entries, fieldPath = 'graph.initializer[0] (w)', place: ExternalPlace = 'initializer'): Promise<string> {
  const out = await openWith(d, entries, place);
  expect(out.ok).toBe(false);
  if (out.ok) return '';
  expect(out.error.code).toBe('bad-external-data');
  expect(out.error.fieldPath).toBe(fieldPath);
  expect(out.error.message).toContain('model.onnx: ');
  expect(out.error.message).toContain(fieldPath);
  expect(out.error.message).not.toContain('root:');
  return out.error.detail;
}

describe('external data that is fine', () => {
  it('a weights file in the model folder opens, and its tensor reads lazily with the right values', async () => {
    const d = caseDir('ok');
    const out = await openWith(d, [['location', 'weights.bin'], ['offset', '0'], ['length', '16']]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(JSON.parse(out.json)).toMatchObject({ externalData: [{ location: 'weights.bin', tensors: 1, bytes: 16 }], weightBytes: 16, params: 4 });
    const tensor = out.opened.model.graph!.initializer[0]!;
    const before = snapshot(d.root);
    const bytes = await readExternalTensor(out.opened, tensor);
    expect(snapshot(d.root)).toEqual(before);
    expect([...(tensorValues(tensor, bytes) as Float32Array)]).toEqual(WEIGHTS);
  });

  it('an offset into a file in a subfolder, without a length, also opens', async () => {
    const d = caseDir('ok-sub');
    mkdirSync(join(d.modelDir, 'data'));
    renameSync(join(d.modelDir, 'weights32.bin'), join(d.modelDir, 'data', 'w.bin'));
    const out = await openWith(d, [['location', 'data/w.bin'], ['offset', '16'], ['checksum', 'ignored'], ['basepath', 'ignored']]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const tensor = out.opened.model.graph!.initializer[0]!;
    expect([...(tensorValues(tensor, await readExternalTensor(out.opened, tensor)) as Float32Array)]).toEqual(WEIGHTS);
  });

  it('a model reached through a symlinked folder opens (its folder is canonicalized first)', async () => {
    const d = caseDir('ok-linked-dir');
    writeFileSync(join(d.modelDir, 'model.onnx'), addModel(externalTensor([['location', 'weights.bin']])));
    symlinkSync(d.modelDir, join(d.root, 'alias'));
    const out = await openCase(join(d.root, 'alias', 'model.onnx'), d);
    expect(out.ok).toBe(true);
  });
});

const ABSOLUTE = ['/etc/passwd', '//server/share/w.bin', 'C:\\w.bin', 'C:/w.bin', 'c:w.bin', '\\\\server\\share\\w.bin', '\\\\?\\C:\\w.bin', '\\w.bin'];
const DOTDOT = ['../outside/secret.bin', 'a/../../outside/secret.bin', '..\\outside\\secret.bin', './../outside/secret.bin', 'weights.bin/../../outside/secret.bin', '..', 'a/..'];

describe('locations that point outside the model folder', () => {
  it.each(ABSOLUTE)('absolute location %s', async (location) => {
    const d = caseDir('abs');
    expect(await expectRefused(d, [['location', location]])).toMatch(/absolute/);
  });

  it('the canary by its absolute path', async () => {
    const d = caseDir('abs-canary');
    expect(await expectRefused(d, [['location', d.canary]])).toMatch(/absolute/);
  });

  it.each(DOTDOT)('location with .. : %s', async (location) => {
    const d = caseDir('dotdot');
    expect(await expectRefused(d, [['location', location]])).toMatch(/"\.\."/);
  });

  it('a symlinked file that points at the canary', async () => {
    const d = caseDir('symlink-file');
    symlinkSync(d.canary, join(d.modelDir, 'w.bin'));
    expect(await expectRefused(d, [['location', 'w.bin']])).toMatch(/symbolic link/);
  });

  it('a relative symlink to the canary', async () => {
    const d = caseDir('symlink-rel');
    symlinkSync(relative(d.modelDir, d.canary), join(d.modelDir, 'w.bin'));
    expect(await expectRefused(d, [['location', 'w.bin']])).toMatch(/symbolic link/);
  });

  it('a symlinked parent folder that points outside', async () => {
    const d = caseDir('symlink-dir');
    symlinkSync(d.outsideDir, join(d.modelDir, 'sub'));
    expect(await expectRefused(d, [['location', 'sub/secret.bin']])).toMatch(/outside the model's folder/);
  });

  it('a symlink to a file inside the folder is refused too (links are never followed)', async () => {
    const d = caseDir('symlink-inside');
    symlinkSync(join(d.modelDir, 'weights.bin'), join(d.modelDir, 'w.bin'));
    expect(await expectRefused(d, [['location', 'w.bin']])).toMatch(/symbolic link/);
  });

  it('a hard link to the canary (two links)', async () => {
    const d = caseDir('hardlink');
    linkSync(d.canary, join(d.modelDir, 'w.bin'));
    expect(await expectRefused(d, [['location', 'w.bin']])).toMatch(/2 hard links/);
  });
});

describe('locations that are not plain files', () => {
  it('a folder', async () => {
    const d = caseDir('folder');
    mkdirSync(join(d.modelDir, 'adir'));
    expect(await expectRefused(d, [['location', 'adir']])).toMatch(/not a regular file/);
  });

  it('the model folder itself (".")', async () => {
    const d = caseDir('dot');
    expect(await expectRefused(d, [['location', '.']])).toMatch(/not a regular file/);
  });

  let hasMkfifo = true;
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
  } catch {
    hasMkfifo = false;
  }
  // Skipped only where the mkfifo command does not exist, and never under CI=true (there a
  // missing prerequisite must fail the run, not skip).
  it.skipIf(!hasMkfifo && process.env.CI !== 'true')('a FIFO (refused without opening it, so without blocking)', async () => {
    const d = caseDir('fifo');
    execFileSync('mkfifo', [join(d.modelDir, 'pipe')]);
    expect(await expectRefused(d, [['location', 'pipe']])).toMatch(/not a regular file/);
  });

  it('a file that does not exist', async () => {
    const d = caseDir('missing');
    expect(await expectRefused(d, [['location', 'missing.bin']])).toMatch(/does not exist/);
  });

  it('a location with a NUL byte', async () => {
    const d = caseDir('nul');
    expect(await expectRefused(d, [['location', 'weights.bin\0../outside/secret.bin']])).toMatch(/NUL/);
  });
});

describe('external_data keys', () => {
  it('an unknown key', async () => {
    const d = caseDir('unknown-key');
    expect(await expectRefused(d, [['location', 'weights.bin'], ['evil', '1']])).toMatch(/unknown key "evil"/);
  });

  it('a __proto__ key', async () => {
    const d = caseDir('proto-key');
    expect(await expectRefused(d, [['location', 'weights.bin'], ['__proto__', '{"polluted":1}']])).toMatch(/unknown key "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a second location key (the summary would show one file, the reader use another)', async () => {
    const d = caseDir('two-locations');
    expect(await expectRefused(d, [['location', 'weights.bin'], ['location', '../outside/secret.bin']])).toMatch(/more than once|"\.\."/);
    expect(await expectRefused(d, [['location', 'weights.bin'], ['location', 'weights32.bin']])).toMatch(/more than once/);
  });

  it('no location at all', async () => {
    const d = caseDir('no-location');
    expect(await expectRefused(d, [['offset', '0'], ['length', '16']])).toMatch(/no location/);
  });

  it('an empty location', async () => {
    const d = caseDir('empty-location');
    expect(await expectRefused(d, [['location', '']])).toMatch(/no location/);
  });
});

const BAD_NUMBERS = ['-1', 'abc', '0x10', '1.5', '1e3', '+1', ' 1', '1 ', '', '١', '99999999999999999999999'];

describe('offsets and lengths', () => {
  it.each(BAD_NUMBERS)('offset "%s" is not a non-negative integer', async (offset) => {
    const d = caseDir('offset');
    expect(await expectRefused(d, [['location', 'weights.bin'], ['offset', offset]])).toMatch(/offset .* is not a non-negative integer/);
  });

  it.each(['-1', '0x10', '16.0'])('length "%s" is not a non-negative integer', async (length) => {
    const d = caseDir('length');
    expect(await expectRefused(d, [['location', 'weights.bin'], ['length', length]])).toMatch(/length .* is not a non-negative integer/);
  });

  it.each([
    ['offset past the end', '17', '16'],
    ['range past the end', '8', '16'],
    ['length 2^64 - 1', '0', '18446744073709551615'],
    ['offset + length wrapping to 0 in 64 bits', '1', '18446744073709551615'],
    ['offset 2^63 + length 2^63', '9223372036854775808', '9223372036854775808'],
    ['offset 2^64 - 1', '18446744073709551615', '1'],
  ])('%s (offset %s, length %s)', async (_label, offset, length) => {
    const d = caseDir('range');
    expect(await expectRefused(d, [['location', 'weights.bin'], ['offset', offset], ['length', length]])).toMatch(/beyond the end/);
  });

  it('a length that does not match the dims (32 bytes for 4 floats)', async () => {
    const d = caseDir('length-mismatch');
    expect(await expectRefused(d, [['location', 'weights32.bin'], ['length', '32']])).toMatch(/does not match the 16 bytes/);
  });

  it('no length, and the rest of the file does not match the dims', async () => {
    const d = caseDir('rest-mismatch');
    expect(await expectRefused(d, [['location', 'weights32.bin'], ['offset', '4']])).toMatch(/does not match/);
  });
});

describe('external tensors in the rarer places are checked too', () => {
  it.each([
    ['constant', 'graph.node[0].attribute[0].t (w)'],
    ['sparse-initializer', 'graph.sparseInitializer[0].values (w)'],
    ['attribute-tensors', 'graph.node[0].attribute[0].tensors[0] (w)'],
    ['subgraph-initializer', 'graph.node[1].attribute[0].g.initializer[0] (w)'],
    ['function-constant', 'functions[0].node[0].attribute[0].t (w)'],
  ] as const)('%s pointing at the canary', async (place, fieldPath) => {
    const d = caseDir(place);
    expect(await expectRefused(d, [['location', '../outside/secret.bin']], fieldPath, place)).toMatch(/"\.\."/);
    const hard = caseDir(`${place}-hard`);
    linkSync(hard.canary, join(hard.modelDir, 'w.bin'));
    expect(await expectRefused(hard, [['location', 'w.bin']], fieldPath, place)).toMatch(/hard links/);
  });
});

describe('a weights file swapped after the model was opened', () => {
  async function openThenSwap(swap: (d: CaseDir, weights: string) => void): Promise<void> {
    const d = caseDir('swap');
    const out = await openWith(d, [['location', 'weights.bin']]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const weights = join(d.modelDir, 'weights.bin');
    swap(d, weights);
    const before = snapshot(d.root);
    const read = await attempt(() => readExternalTensor(out.opened, out.opened.model.graph!.initializer[0]!));
    expect(snapshot(d.root)).toEqual(before);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error.code).toBe('bad-external-data');
    expect(read.error.message).toContain('model.onnx: ');
    expectNoCanary(read.error.message, d.marker);
  }

  it('for a symlink to the canary: not followed', async () => {
    await openThenSwap((d, weights) => {
      renameSync(weights, join(d.modelDir, 'old.bin'));
      symlinkSync(d.canary, weights);
    });
  });

  it('for a hard link to the canary: refused', async () => {
    await openThenSwap((d, weights) => {
      renameSync(weights, join(d.modelDir, 'old.bin'));
      linkSync(d.canary, weights);
    });
  });

  it('for a parent folder swapped for a symlink to a folder outside: refused (the file read must be the file checked)', async () => {
    const d = caseDir('swap-parent');
    mkdirSync(join(d.modelDir, 'sub'));
    writeFileSync(join(d.modelDir, 'sub', 'w.bin'), pb.floatBytes(WEIGHTS));
    writeFileSync(join(d.outsideDir, 'w.bin'), readFileSync(d.canary).subarray(0, 16));
    const out = await openWith(d, [['location', 'sub/w.bin']]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    renameSync(join(d.modelDir, 'sub'), join(d.modelDir, 'sub-old'));
    symlinkSync(d.outsideDir, join(d.modelDir, 'sub'));
    const read = await attempt(() => readExternalTensor(out.opened, out.opened.model.graph!.initializer[0]!));
    if (read.ok) expectNoCanary(Buffer.from(read.value).toString('latin1'), d.marker);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.code).toBe('bad-external-data');
  });

  it('for a shorter file: refused', async () => {
    await openThenSwap((_d, weights) => writeFileSync(weights, new Uint8Array(4)));
  });
});
