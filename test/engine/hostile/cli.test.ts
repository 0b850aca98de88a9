/**
 * `whittle info` as a user runs it, as a child process, on a sample of hostile files: a refusal
 * is exit code 1 and exactly one line on stderr (no stack trace), nothing on stdout, nothing
 * written (the process runs in the case folder with TMPDIR inside it), and the canary never
 * printed. Valid-but-hostile files (JavaScript names, a ConstantOfShape bomb) print their info.
 */
import { execFile } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS, expectNoCanary, makeCaseDir, ROOT, snapshot, type CaseDir } from './harness.js';
import * as pb from './pb.js';
import { addModel, constantOfShapeBomb, externalTensor, nestedGraphs, prototypeNamesModel, type ExternalPlace } from './samples.js';

const CLI_TIME_LIMIT_MS = 15_000;
const dirs: CaseDir[] = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function whittle(args: string[], cwd: string): Promise<Run> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/whittle.mjs'), ...args],
      // TSX_DISABLE_CACHE: tsx, which runs the TypeScript CLI, would otherwise write its
      // transpile cache under TMPDIR; the check is that whittle itself writes nothing.
      { cwd, env: { ...process.env, TMPDIR: join(cwd, 'tmp'), TSX_DISABLE_CACHE: '1', NODE_OPTIONS: '' }, timeout: CLI_TIME_LIMIT_MS, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        done({ code, stdout, stderr, ms: performance.now() - t0 });
      },
    );
  });
}

type Setup = (d: CaseDir) => void;
const writeModel = (bytes: Uint8Array): Setup => (d) => writeFileSync(join(d.modelDir, 'model.onnx'), bytes);
const external = (location: (d: CaseDir) => string, place: ExternalPlace = 'initializer', extra: readonly (readonly [string, string])[] = []): Setup => (d) =>
  writeFileSync(join(d.modelDir, 'model.onnx'), addModel(externalTensor([['location', location(d)], ...extra]), 4, place));

const REFUSED: [string, Setup, RegExp][] = [
  ['an empty file', writeModel(new Uint8Array(0)), /empty/],
  ['random bytes', writeModel(Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)), /model\.onnx: /],
  ['a real model cut at 1000 bytes', writeModel(readFileSync(CORPUS[2]!.path).subarray(0, 1000)), /exceeds the \d+ bytes left/],
  ['an 11-byte varint', writeModel(pb.cat(pb.tag(1, 0), Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), pb.ld(7))), /irVersion: varint longer than 10 bytes/],
  ['35 nested graphs', writeModel(nestedGraphs(35)), /nested deeper than 100/],
  ['a wrong wire type', writeModel(pb.cat(pb.vi(1, 8), pb.vi(7, 1))), /wire type 0, expected 2/],
  ['raw_data not matching dims', writeModel(pb.model([pb.ld(5, pb.packed(1, [3]), pb.vi(2, 1), pb.ld(9, new Uint8Array(5)))])), /graph\.initializer\[0\]: raw_data has 5 bytes/],
  ['location /etc/passwd', external(() => '/etc/passwd'), /absolute/],
  ['location: the canary, absolute', external((d) => d.canary), /absolute/],
  ['location ../outside/secret.bin', external(() => '../outside/secret.bin'), /"\.\."/],
  ['a symlink to the canary', (d) => { symlinkSync(d.canary, join(d.modelDir, 'w.bin')); external(() => 'w.bin')(d); }, /symbolic link/],
  ['a symlinked parent folder', (d) => { symlinkSync(d.outsideDir, join(d.modelDir, 'sub')); external(() => 'sub/secret.bin')(d); }, /outside the model's folder/],
  ['a hard link to the canary', (d) => { linkSync(d.canary, join(d.modelDir, 'w.bin')); external(() => 'w.bin')(d); }, /hard links/],
  ['a folder as location', (d) => { mkdirSync(join(d.modelDir, 'adir')); external(() => 'adir')(d); }, /not a regular file/],
  ['length 2^64 - 1', (d) => { writeFileSync(join(d.modelDir, 'w.bin'), new Uint8Array(16)); external(() => 'w.bin', 'initializer', [['length', '18446744073709551615']])(d); }, /beyond the end/],
  ['a sparse initializer pointing at the canary', external(() => '../outside/secret.bin', 'sparse-initializer'), /graph\.sparseInitializer\[0\]\.values/],
  ['a model path that is a folder', (d) => mkdirSync(join(d.modelDir, 'model.onnx')), /model\.onnx/],
];

function prepare(label: string, setup: Setup): CaseDir {
  const d = makeCaseDir(`cli-${label.replace(/[^a-z0-9]+/gi, '-').slice(0, 20)}`);
  dirs.push(d);
  mkdirSync(join(d.root, 'tmp'));
  setup(d);
  return d;
}

describe('whittle info on hostile files', () => {
  it.each(REFUSED)('refuses %s: exit 1, one line on stderr, no stack, no canary', async (label, setup, message) => {
    const d = prepare(label, setup);
    const before = snapshot(d.root);
    const run = await whittle(['info', join('model', 'model.onnx'), '--json'], d.root);
    expect(run.ms).toBeLessThan(CLI_TIME_LIMIT_MS);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: '' });
    expect(run.stderr.endsWith('\n')).toBe(true);
    const lines = run.stderr.slice(0, -1).split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^whittle info: /);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toContain('root:');
    expectNoCanary(run.stderr + run.stdout, d.marker);
    expect(snapshot(d.root)).toEqual(before);
  });

  it('prints correct JSON for a model full of __proto__/constructor/prototype names', async () => {
    const d = prepare('proto', writeModel(prototypeNamesModel()));
    const run = await whittle(['info', 'model/model.onnx', '--json'], d.root);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const info = JSON.parse(run.stdout) as { opTypes: Record<string, number>; metadata: Record<string, string>; nodeCount: number };
    expect(Object.hasOwn(info.opTypes, '__proto__')).toBe(true);
    expect(info.opTypes['__proto__']).toBe(1);
    expect(Object.keys(info.metadata)).toEqual(['__proto__', 'constructor', 'prototype', 'polluted']);
    expect(info.nodeCount).toBe(6);
  });

  it('prints a small summary for the ConstantOfShape bomb, plain and JSON', async () => {
    const d = prepare('bomb', writeModel(constantOfShapeBomb()));
    const json = await whittle(['info', 'model/model.onnx', '--json'], d.root);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ nodeCount: 2, opTypes: { Constant: 1, ConstantOfShape: 1 } });
    expect(json.stdout.length).toBeLessThan(2048);
    const plain = await whittle(['info', 'model/model.onnx'], d.root);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('ConstantOfShape');
  });

  it('prints external data for a legitimate weights file (the control case)', async () => {
    const d = prepare('ok', (c) => {
      writeFileSync(join(c.modelDir, 'w.bin'), pb.floatBytes([1, 2, 3, 4]));
      external(() => 'w.bin')(c);
    });
    const before = snapshot(d.root);
    const run = await whittle(['info', 'model/model.onnx', '--json'], d.root);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ externalData: [{ location: 'w.bin', tensors: 1, bytes: 16 }], weightBytes: 16 });
    expect(snapshot(d.root)).toEqual(before);
  });
});
