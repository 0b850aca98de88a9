/**
 * The benchmark's generated models, written once into a cache folder outside git (the OS temp
 * folder, or $WHITTLE_BENCH_CACHE) and reused while the generator version is unchanged. Each
 * is checked in onnxruntime-node when it is written (session created, one run, output dims and
 * finiteness checked): a benchmark on a broken model measures nothing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel, type ModelProto } from '../../engine/core/onnx/index.js';
import { MOBILENET_V2, mobilenetV2 } from './mobilenet.js';
import { REPVGG_A0, repvgg } from './repvgg.js';
import { resnet50 } from './resnet50.js';
import { BERT_BASE, transformer } from './transformer.js';

/** Bump when a generator's output changes, so stale cached files are not measured. */
export const GENERATOR_VERSION = 1;

export interface GeneratedModel {
  readonly id: string;
  readonly label: string;
  /** Which goal applies: the ≥ 5× goal is set for the CNN and the transformer; `optimize` models are issue 6's folding and re-parameterization subjects. */
  readonly role: 'cnn' | 'transformer' | 'large' | 'optimize';
  readonly path: string;
  readonly fileBytes: number;
  readonly weightBytes: number;
  readonly nodes: number;
  /** Build + encode + write, when this file was made. */
  readonly generateMs: number;
  readonly verified: Verification;
}

export interface Verification {
  readonly sessionMs: number;
  readonly feeds: Record<string, number[]>;
  readonly outputs: Record<string, number[]>;
  readonly finite: boolean;
}

interface Spec {
  readonly id: string;
  readonly label: string;
  readonly role: GeneratedModel['role'];
  readonly build: () => ModelProto;
  /** Feeds for the check run: dtype and dims; values are seeded uniform (token ids below `max`). */
  readonly feeds: Record<string, { dtype: 'float32' | 'int64'; dims: number[]; max: number }>;
  readonly outputs: Record<string, number[]>;
}

/** 120 layers of hidden 256 (4 heads, FFN 1024), LayerNormalization ops: > 10,000 nodes, > 300 MB. */
const DEEP = { layers: 120, hidden: 256, heads: 4, ffn: 1024, vocab: 30522, maxPositions: 512, layerNorm: 'op', pooler: false, seed: 120 } as const;

type Feeds = Spec['feeds'];
const tokens = (seq: number): Feeds => ({ input_ids: { dtype: 'int64', dims: [1, seq], max: 30522 }, attention_mask: { dtype: 'int64', dims: [1, seq], max: 0 } });

const SPECS: readonly Spec[] = [
  {
    id: 'resnet50',
    label: 'ResNet-50, fp32, BN unfolded',
    role: 'cnn',
    build: resnet50,
    feeds: { input: { dtype: 'float32', dims: [1, 3, 224, 224], max: 1 } },
    outputs: { output: [1, 1000] },
  },
  {
    id: 'bert-base',
    label: 'BERT-base encoder, fp32, decomposed LayerNorm',
    role: 'transformer',
    build: () => transformer('bert-base', BERT_BASE),
    feeds: tokens(16),
    outputs: { last_hidden_state: [1, 16, 768], pooler_output: [1, 768] },
  },
  {
    id: 'repvgg-a0',
    label: 'RepVGG-A0 in its training form (3×3 + BN, 1×1 + BN, BN identity branches), fp32',
    role: 'optimize',
    build: () => repvgg(REPVGG_A0),
    feeds: { input: { dtype: 'float32', dims: [1, 3, 224, 224], max: 1 } },
    outputs: { output: [1, 1000] },
  },
  {
    id: 'mobilenet-v2',
    label: 'MobileNetV2 with every BatchNormalization unfolded, fp32',
    role: 'optimize',
    build: () => mobilenetV2(MOBILENET_V2),
    feeds: { input: { dtype: 'float32', dims: [1, 3, 224, 224], max: 1 } },
    outputs: { output: [1, 1000] },
  },
  {
    id: 'deep-transformer',
    label: 'deep transformer, 120 layers × hidden 256, fp32',
    role: 'large',
    build: () => transformer('deep-transformer', DEEP),
    feeds: tokens(16),
    outputs: { last_hidden_state: [1, 16, 256] },
  },
];

export function cacheDir(): string {
  return process.env.WHITTLE_BENCH_CACHE ?? join(tmpdir(), 'whittle-bench');
}

async function verify(path: string, spec: Spec): Promise<Verification> {
  const ort = await import('onnxruntime-node');
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
  for (const [name, f] of Object.entries(spec.feeds)) {
    const n = f.dims.reduce((a, b) => a * b, 1);
    // A zero `max` means "all ones" (an attention mask that hides nothing).
    feeds[name] =
      f.dtype === 'int64'
        ? new ort.Tensor('int64', BigInt64Array.from({ length: n }, () => BigInt(f.max === 0 ? 1 : Math.floor(next() * f.max))), f.dims)
        : new ort.Tensor('float32', Float32Array.from({ length: n }, () => next() * f.max), f.dims);
  }
  const t = performance.now();
  const session = await ort.InferenceSession.create(path, { logSeverityLevel: 3 });
  const sessionMs = performance.now() - t;
  try {
    const result = await session.run(feeds);
    const outputs: Record<string, number[]> = {};
    let finite = true;
    for (const [name, dims] of Object.entries(spec.outputs)) {
      const out = result[name];
      if (out === undefined) throw new Error(`${spec.id}: onnxruntime gave no output "${name}"`);
      outputs[name] = [...out.dims];
      if (out.dims.join('x') !== dims.join('x')) throw new Error(`${spec.id}: output "${name}" is ${out.dims.join('x')}, expected ${dims.join('x')}`);
      for (const v of out.data as Float32Array) if (!Number.isFinite(v)) finite = false;
    }
    if (!finite) throw new Error(`${spec.id}: onnxruntime's outputs are not all finite`);
    return { sessionMs, feeds: Object.fromEntries(Object.entries(spec.feeds).map(([k, f]) => [k, f.dims])), outputs, finite };
  } finally {
    await session.release();
  }
}

async function ensure(spec: Spec, log: (line: string) => void): Promise<GeneratedModel> {
  const dir = cacheDir();
  const path = join(dir, `${spec.id}.v${GENERATOR_VERSION}.onnx`);
  const metaPath = `${path}.json`;
  if (existsSync(path) && existsSync(metaPath)) return { ...(JSON.parse(readFileSync(metaPath, 'utf8')) as GeneratedModel), path };
  mkdirSync(dir, { recursive: true });
  log(`generating ${spec.label} into ${path}`);
  const t = performance.now();
  const model = spec.build();
  const bytes = encodeModel(model);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  const generateMs = performance.now() - t;
  const weightBytes = model.graph!.initializer.reduce((n, i) => n + (i.rawData?.length ?? 0), 0);
  let verified: Verification;
  try {
    verified = await verify(path, spec);
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  }
  const meta: GeneratedModel = { id: spec.id, label: spec.label, role: spec.role, path, fileBytes: bytes.length, weightBytes, nodes: model.graph!.node.length, generateMs, verified };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  log(`  ${(bytes.length / 1e6).toFixed(1)} MB, ${meta.nodes} nodes in ${(generateMs / 1000).toFixed(1)} s; onnxruntime session ${(verified.sessionMs / 1000).toFixed(1)} s, outputs ${JSON.stringify(verified.outputs)}`);
  return meta;
}

/** One generated model by id, made now if missing from the cache. */
export async function ensureModel(id: string, log: (line: string) => void = console.log): Promise<GeneratedModel> {
  const spec = SPECS.find((s) => s.id === id);
  if (spec === undefined) throw new Error(`no generated model "${id}"; there are ${SPECS.map((s) => s.id).join(', ')}`);
  return ensure(spec, log);
}

/** Every generated model, made now if missing from the cache. */
export async function ensureModels(log: (line: string) => void = console.log): Promise<GeneratedModel[]> {
  const out: GeneratedModel[] = [];
  for (const spec of SPECS) out.push(await ensure(spec, log));
  return out;
}
