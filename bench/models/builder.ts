/**
 * A small graph builder for the benchmark's generated models: named weights filled from a seeded
 * fast PRNG, Constant nodes for the small integers exporters emit, and node names in PyTorch's
 * style (`/layer1/layer1.0/conv1/Conv`), so the models look like what people actually open.
 */
import { attr, graph, model, node, opset, tensor, valueInfo } from '../../engine/core/onnx/build.js';
import { DataType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../../engine/core/onnx/index.js';

export { attr, DataType };

/** xorshift32: one step per element, so hundreds of MB of weights fill in about a second. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [-scale, scale). */
  fill(out: Float32Array, scale: number, offset = 0): Float32Array {
    let s = this.s;
    const k = (2 * scale) / 4294967296;
    for (let i = 0; i < out.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out[i] = offset + ((s >>> 0) * k - scale);
    }
    this.s = s;
    return out;
  }
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Map<string, number>();
  private readonly rng: Rng;
  weightBytes = 0;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  /** A float32 initializer uniform in [offset − scale, offset + scale). */
  weight(name: string, dims: number[], scale: number, offset = 0): string {
    const values = this.rng.fill(new Float32Array(dims.reduce((a, b) => a * b, 1)), scale, offset);
    return this.initializer(name, DataType.FLOAT, dims, new Uint8Array(values.buffer));
  }

  initializer(name: string, dataType: number, dims: number[], rawData: Uint8Array): string {
    this.initializers.push(tensor({ name, dataType, dims, rawData }));
    this.weightBytes += rawData.length;
    return name;
  }

  /** A unique node name from a PyTorch-like scope path: `/encoder/layer.0/attention/MatMul_1`. */
  private uniqueName(scope: string, opType: string): string {
    const base = `${scope}/${opType}`;
    const n = this.used.get(base) ?? 0;
    this.used.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  }

  /**
   * Adds a node; returns its outputs, named after the node as PyTorch does (`…/MatMul_output_0`)
   * unless `outputs` gives the names (graph outputs keep theirs).
   */
  op(scope: string, opType: string, inputs: string[], attributes: AttributeProto[] = [], outputs: number | string[] = 1): string[] {
    const name = this.uniqueName(scope, opType);
    const out = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `${name}_output_${i}`) : outputs;
    this.nodes.push(node(opType, inputs, out, attributes, { name }));
    return out;
  }

  one(scope: string, opType: string, inputs: string[], attributes: AttributeProto[] = [], output?: string): string {
    return this.op(scope, opType, inputs, attributes, output === undefined ? 1 : [output])[0]!;
  }

  /** A Constant node holding int64 values (scalar when `dims` is []), as exporters emit for shape arithmetic. */
  constInt64(scope: string, values: number[], dims: number[] = [values.length]): string {
    const raw = new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer);
    return this.one(scope, 'Constant', [], [attr.tensor('value', tensor({ dataType: DataType.INT64, dims, rawData: raw }))]);
  }

  /** A Constant node holding one float32 scalar. */
  constFloat(scope: string, value: number): string {
    return this.one(scope, 'Constant', [], [attr.tensor('value', tensor({ dataType: DataType.FLOAT, dims: [], rawData: new Uint8Array(Float32Array.of(value).buffer) }))]);
  }

  model(name: string, inputs: ValueInfoProto[], outputs: ValueInfoProto[], opsetVersion: number): ModelProto {
    const g = graph({ name, node: this.nodes, initializer: this.initializers, input: inputs, output: outputs });
    // IR 8 / opset 17: what onnx 1.12 (Debian's python3-onnx, the reference) still reads and infers.
    return model(g, { irVersion: 8, producerName: 'whittle-bench', producerVersion: '', opsetImport: [opset(opsetVersion)] });
  }
}

export { valueInfo };
