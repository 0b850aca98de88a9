import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../engine/protocol/index.js';
import { variantManifest, type Variant, type VariantManifest } from '../../engine/protocol/variants.js';

const SHA = 'a'.repeat(64);

function variant(id: string, parent: string, over: Record<string, unknown> = {}): Variant {
  return {
    id,
    file: `variants/${id}-prune.onnx`,
    sha256: SHA,
    sizeBytes: 1234,
    parent,
    transform: { id: 'prune', settings: { ratio: 0.5, groups: ['conv1', 'conv2'], nested: { on: true, none: null } } },
    createdAt: '2026-11-24T10:00:00.000Z',
    engineVersion: '0.1.0',
    externalData: { file: `variants/${id}-prune.onnx.data`, sha256: SHA, sizeBytes: 1 << 20 },
    figures: { nodeCount: 10, macs: null },
    results: { 'benchmark-cpu-4t': { kind: 'benchmark', recordedAt: '2026-11-24T10:05:00Z', figures: { latencyMeanMs: 1.5 }, conditions: { threads: 4 }, file: 'benchmarks/x.json' } },
    ...over,
  } as Variant;
}

function manifest(over: Record<string, unknown> = {}): VariantManifest {
  return {
    version: 1,
    whittleVersion: '0.1.0',
    original: { path: '../model.onnx', sha256: SHA, sizeBytes: 99, results: {} },
    variants: [variant('v1', 'original'), variant('v2', 'v1', { externalData: null })],
    ...over,
  };
}

function refusal(value: unknown): ValidationError {
  try {
    // As read from disk: through JSON, where an undefined field is a missing one.
    variantManifest(JSON.parse(JSON.stringify(value)), 'variants.json');
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const withVariant = (over: Record<string, unknown>, index = 0) => manifest({ variants: manifest().variants.map((v, i) => (i === index ? { ...v, ...over } : v)) });

describe('the variants manifest', () => {
  it('accepts a valid manifest, an empty one, and fields a newer Whittle of the same version added', () => {
    expect(variantManifest(manifest(), 'variants.json')).toEqual(manifest());
    expect(variantManifest(manifest({ original: null, variants: [] }), 'm')).toMatchObject({ variants: [] });
    expect(variantManifest(withVariant({ label: 'mine' }), 'm').variants[0]).toMatchObject({ label: 'mine' });
  });

  it.each([
    ['not an object', [], 'variants.json', 'must be an object'],
    ['version missing', { ...manifest(), version: undefined }, 'variants.json.version', 'is missing'],
    ['version 0', manifest({ version: 0 }), 'variants.json.version', 'is 0; this Whittle reads version 1'],
    ['blank writer', manifest({ whittleVersion: ' ' }), 'variants.json.whittleVersion', 'must not be empty'],
    ['original sha', manifest({ original: { path: 'm.onnx', sha256: 'abc', sizeBytes: 1, results: {} } }), 'variants.json.original.sha256', 'is not a SHA-256'],
    ['no original, but variants', manifest({ original: null }), 'variants.json.original', 'is missing, but there are variants'],
    ['variants not a list', manifest({ variants: {} }), 'variants.json.variants', 'must be an array'],
    ['id with a slash', withVariant({ id: 'v1/x' }), 'variants.json.variants[0].id', 'is not a variant id'],
    ['id upper case', withVariant({ id: 'V1' }), 'variants.json.variants[0].id', 'is not a variant id'],
    ['id "original"', withVariant({ id: 'original' }), 'variants.json.variants[0].id', 'is used twice (or is the reserved word "original")'],
    ['duplicate id', withVariant({ id: 'v1', parent: 'original' }, 1), 'variants.json.variants[1].id', 'is used twice'],
    ['parent unknown', withVariant({ parent: 'v9' }), 'variants.json.variants[0].parent', '"v9" is neither "original" nor an earlier variant'],
    ['parent later', withVariant({ parent: 'v2' }), 'variants.json.variants[0].parent', 'nor an earlier variant'],
    ['file escapes', withVariant({ file: '../evil.onnx' }), 'variants.json.variants[0].file', 'is not a plain relative path inside the workspace'],
    ['file absolute', withVariant({ file: '/etc/passwd' }), 'variants.json.variants[0].file', 'is not a plain relative path'],
    ['file inner ..', withVariant({ file: 'variants/../../x.onnx' }), 'variants.json.variants[0].file', 'is not a plain relative path'],
    ['file backslash', withVariant({ file: 'variants\\x.onnx' }), 'variants.json.variants[0].file', 'is not a plain relative path'],
    ['file drive', withVariant({ file: 'C:/x.onnx' }), 'variants.json.variants[0].file', 'is not a plain relative path'],
    ['file hidden (a temp file)', withVariant({ file: 'variants/.v1.onnx.12.abcdef01.tmp' }), 'variants.json.variants[0].file', 'is not a plain relative path'],
    ['file listed twice', withVariant({ file: 'variants/v1-prune.onnx' }, 1), 'variants.json.variants[1].file', 'is listed twice'],
    ['data elsewhere', withVariant({ externalData: { file: 'data/v1.data', sha256: SHA, sizeBytes: 1 } }), 'variants.json.variants[0].externalData.file', 'same folder'],
    ['sha256 upper case', withVariant({ sha256: 'A'.repeat(64) }), 'variants.json.variants[0].sha256', 'is not a SHA-256'],
    ['size negative', withVariant({ sizeBytes: -1 }), 'variants.json.variants[0].sizeBytes', 'must be a non-negative integer'],
    ['size fractional', withVariant({ sizeBytes: 1.5 }), 'variants.json.variants[0].sizeBytes', 'must be a non-negative integer'],
    ['transform missing', withVariant({ transform: undefined }), 'variants.json.variants[0].transform', 'is missing'],
    ['transform id', withVariant({ transform: { id: 'Prune!', settings: {} } }), 'variants.json.variants[0].transform.id', 'is not a transform id'],
    ['settings a list', withVariant({ transform: { id: 'prune', settings: [1] } }), 'variants.json.variants[0].transform.settings', 'must be an object'],
    ['settings too deep', withVariant({ transform: { id: 'prune', settings: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) } }), `variants.json.variants[0].transform.settings${'.a'.repeat(32)}`, 'nests deeper than 32 levels'],
    ['createdAt', withVariant({ createdAt: 'yesterday' }), 'variants.json.variants[0].createdAt', 'is not an ISO 8601 time'],
    ['createdAt impossible', withVariant({ createdAt: '2026-13-45T99:00:00Z' }), 'variants.json.variants[0].createdAt', 'is not an ISO 8601 time'],
    ['engine version', withVariant({ engineVersion: 3 }), 'variants.json.variants[0].engineVersion', 'must be a string'],
    ['figure', withVariant({ figures: { macs: 'many' } }), 'variants.json.variants[0].figures.macs', 'must be a finite number'],
    ['result kind', withVariant({ results: { b: { kind: '', recordedAt: '2026-11-24T10:05:00Z', figures: {}, conditions: {}, file: null } } }), 'variants.json.variants[0].results.b.kind', 'must not be empty'],
    ['result file', withVariant({ results: { b: { kind: 'benchmark', recordedAt: '2026-11-24T10:05:00Z', figures: {}, conditions: {}, file: '/tmp/x.json' } } }), 'variants.json.variants[0].results.b.file', 'is not a plain relative path'],
  ])('names the field when %s', (_, value, at, detail) => {
    const err = refusal(value);
    expect(err.at).toBe(at);
    expect(err.detail).toContain(detail);
  });
});
