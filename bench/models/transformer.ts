/**
 * A BERT-style encoder as `torch.onnx.export` writes a Hugging Face BertModel: Linear layers as
 * MatMul (weight stored transposed) + Add, attention heads split and merged with dynamic
 * Reshapes whose shapes come from Shape → Gather → Unsqueeze → Concat chains, a mask built from
 * `attention_mask`, Softmax, Erf-GELU, and LayerNorm either decomposed (ReduceMean, Sub, Pow,
 * Sqrt, Div: opset < 17 exports) or as LayerNormalization. Inputs `input_ids` and
 * `attention_mask`, int64 [batch, sequence].
 */
import { attr, DataType, GraphBuilder, valueInfo } from './builder.js';
import type { ModelProto } from '../../engine/core/onnx/index.js';

export interface TransformerConfig {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly vocab: number;
  readonly maxPositions: number;
  readonly layerNorm: 'decomposed' | 'op';
  /** BertPooler: first token → Gemm → Tanh, a second output. */
  readonly pooler: boolean;
  readonly seed: number;
}

/** BERT-base: 12 layers, hidden 768, 12 heads, FFN 3072, WordPiece vocabulary of 30,522. */
export const BERT_BASE: TransformerConfig = { layers: 12, hidden: 768, heads: 12, ffn: 3072, vocab: 30522, maxPositions: 512, layerNorm: 'decomposed', pooler: true, seed: 768 };

const INIT = 0.02 * Math.sqrt(3); // uniform with BERT's initializer std of 0.02

class Encoder {
  constructor(
    private readonly b: GraphBuilder,
    private readonly cfg: TransformerConfig,
  ) {}

  private linear(scope: string, prefix: string, x: string, cin: number, cout: number): string {
    const w = this.b.weight(`${prefix}.weight`, [cin, cout], INIT);
    const bias = this.b.weight(`${prefix}.bias`, [cout], INIT);
    return this.b.one(scope, 'Add', [bias, this.b.one(scope, 'MatMul', [x, w])]);
  }

  private layerNorm(scope: string, prefix: string, x: string, output?: string): string {
    const b = this.b;
    const h = this.cfg.hidden;
    const gamma = b.weight(`${prefix}.weight`, [h], 0.05, 1);
    const beta = b.weight(`${prefix}.bias`, [h], INIT);
    if (this.cfg.layerNorm === 'op') return b.one(scope, 'LayerNormalization', [x, gamma, beta], [attr.int('axis', -1), attr.float('epsilon', 1e-12)], output);
    const mean = b.one(scope, 'ReduceMean', [x], [attr.ints('axes', [-1])]);
    const centered = b.one(scope, 'Sub', [x, mean]);
    const squared = b.one(scope, 'Pow', [centered, b.constFloat(scope, 2)]);
    const variance = b.one(scope, 'ReduceMean', [squared], [attr.ints('axes', [-1])]);
    const std = b.one(scope, 'Sqrt', [b.one(scope, 'Add', [variance, b.constFloat(scope, 1e-12)])]);
    const normed = b.one(scope, 'Div', [centered, std]);
    return b.one(scope, 'Add', [b.one(scope, 'Mul', [normed, gamma]), beta], [], output);
  }

  /** `x.size()[:-1] + tail` as the exporter traces it: one Shape → Gather per leading dim. */
  private leadingDimsThen(scope: string, x: string, tail: number[]): string {
    const b = this.b;
    const parts = [0, 1].map((axis) => {
      const d = b.one(scope, 'Gather', [b.one(scope, 'Shape', [x]), b.constInt64(scope, [axis], [])], [attr.int('axis', 0)]);
      return b.one(scope, 'Unsqueeze', [d, b.constInt64(scope, [0])]);
    });
    return b.one(scope, 'Concat', [...parts, ...tail.map((t) => b.constInt64(scope, [t]))], [attr.int('axis', 0)]);
  }

  private splitHeads(scope: string, x: string, perm: number[]): string {
    const { heads, hidden } = this.cfg;
    const shape = this.leadingDimsThen(scope, x, [heads, hidden / heads]);
    return this.b.one(scope, 'Transpose', [this.b.one(scope, 'Reshape', [x, shape])], [attr.ints('perm', perm)]);
  }

  embeddings(): string {
    const b = this.b;
    const { hidden, vocab, maxPositions } = this.cfg;
    const scope = '/embeddings';
    const inputShape = b.one(scope, 'Shape', ['input_ids']);
    const batch = b.one(scope, 'Gather', [inputShape, b.constInt64(scope, [0], [])], [attr.int('axis', 0)]);
    const seq = b.one(scope, 'Gather', [inputShape, b.constInt64(scope, [1], [])], [attr.int('axis', 0)]);
    const seqU = b.one(scope, 'Unsqueeze', [seq, b.constInt64(scope, [0])]);
    const zeros = new Uint8Array(8 * maxPositions);
    const positions = new Uint8Array(BigInt64Array.from({ length: maxPositions }, (_, i) => BigInt(i)).buffer);
    const positionIds = b.initializer('embeddings.position_ids', DataType.INT64, [1, maxPositions], positions);
    const tokenTypeBuffer = b.initializer('embeddings.token_type_ids', DataType.INT64, [1, maxPositions], zeros);
    const slice = (t: string): string => b.one(scope, 'Slice', [t, b.constInt64(scope, [0]), seqU, b.constInt64(scope, [1])]);
    const expandTo = b.one(scope, 'Concat', [b.one(scope, 'Unsqueeze', [batch, b.constInt64(scope, [0])]), b.one(scope, 'Unsqueeze', [seq, b.constInt64(scope, [0])])], [attr.int('axis', 0)]);
    const tokenTypeIds = b.one(scope, 'Expand', [slice(tokenTypeBuffer), expandTo]);
    const word = b.one(`${scope}/word_embeddings`, 'Gather', [b.weight('embeddings.word_embeddings.weight', [vocab, hidden], INIT), 'input_ids']);
    const tokenType = b.one(`${scope}/token_type_embeddings`, 'Gather', [b.weight('embeddings.token_type_embeddings.weight', [2, hidden], INIT), tokenTypeIds]);
    const position = b.one(`${scope}/position_embeddings`, 'Gather', [b.weight('embeddings.position_embeddings.weight', [maxPositions, hidden], INIT), slice(positionIds)]);
    const sum = b.one(scope, 'Add', [b.one(scope, 'Add', [word, tokenType]), position]);
    return this.layerNorm(`${scope}/LayerNorm`, 'embeddings.LayerNorm', sum);
  }

  /** `(1 - attention_mask[:, None, None, :]) * finfo(float32).min`. */
  mask(): string {
    const b = this.b;
    let m = b.one('', 'Unsqueeze', ['attention_mask', b.constInt64('', [1])]);
    m = b.one('', 'Unsqueeze', [m, b.constInt64('', [2])]);
    m = b.one('', 'Cast', [m], [attr.int('to', DataType.FLOAT)]);
    m = b.one('', 'Sub', [b.constFloat('', 1), m]);
    return b.one('', 'Mul', [m, b.constFloat('', -3.4028234663852886e38)]);
  }

  layer(l: number, x: string, mask: string, last: boolean): string {
    const b = this.b;
    const { hidden, heads, ffn } = this.cfg;
    const scope = `/encoder/layer.${l}`;
    const prefix = `encoder.layer.${l}`;
    const self = `${scope}/attention/self`;
    const q = this.splitHeads(self, this.linear(`${self}/query`, `${prefix}.attention.self.query`, x, hidden, hidden), [0, 2, 1, 3]);
    const k = this.splitHeads(self, this.linear(`${self}/key`, `${prefix}.attention.self.key`, x, hidden, hidden), [0, 2, 3, 1]);
    const v = this.splitHeads(self, this.linear(`${self}/value`, `${prefix}.attention.self.value`, x, hidden, hidden), [0, 2, 1, 3]);
    let scores = b.one(self, 'Div', [b.one(self, 'MatMul', [q, k]), b.constFloat(self, Math.sqrt(hidden / heads))]);
    scores = b.one(self, 'Add', [scores, mask]);
    const probs = b.one(self, 'Softmax', [scores], [attr.int('axis', -1)]);
    const context = b.one(self, 'Transpose', [b.one(self, 'MatMul', [probs, v])], [attr.ints('perm', [0, 2, 1, 3])]);
    const merged = b.one(self, 'Reshape', [context, this.leadingDimsThen(self, context, [hidden])]);
    const out = `${scope}/attention/output`;
    const attended = this.layerNorm(`${out}/LayerNorm`, `${prefix}.attention.output.LayerNorm`, b.one(out, 'Add', [this.linear(`${out}/dense`, `${prefix}.attention.output.dense`, merged, hidden, hidden), x]));

    const inter = `${scope}/intermediate`;
    const h = this.linear(`${inter}/dense`, `${prefix}.intermediate.dense`, attended, hidden, ffn);
    const act = `${inter}/intermediate_act_fn`;
    const erf = b.one(act, 'Erf', [b.one(act, 'Div', [h, b.constFloat(act, Math.SQRT2)])]);
    const gelu = b.one(act, 'Mul', [b.one(act, 'Mul', [h, b.one(act, 'Add', [erf, b.constFloat(act, 1)])]), b.constFloat(act, 0.5)]);
    const outScope = `${scope}/output`;
    const y = b.one(outScope, 'Add', [this.linear(`${outScope}/dense`, `${prefix}.output.dense`, gelu, ffn, hidden), attended]);
    return this.layerNorm(`${outScope}/LayerNorm`, `${prefix}.output.LayerNorm`, y, last ? 'last_hidden_state' : undefined);
  }

  pooler(x: string): void {
    const b = this.b;
    const { hidden } = this.cfg;
    const first = b.one('/pooler', 'Gather', [x, b.constInt64('/pooler', [0], [])], [attr.int('axis', 1)]);
    const w = b.weight('pooler.dense.weight', [hidden, hidden], INIT);
    const bias = b.weight('pooler.dense.bias', [hidden], INIT);
    const dense = b.one('/pooler/dense', 'Gemm', [first, w, bias], [attr.float('alpha', 1), attr.float('beta', 1), attr.int('transB', 1)]);
    b.one('/pooler/activation', 'Tanh', [dense], [], 'pooler_output');
  }
}

export function transformer(name: string, cfg: TransformerConfig): ModelProto {
  const b = new GraphBuilder(cfg.seed);
  const enc = new Encoder(b, cfg);
  let x = enc.embeddings();
  const mask = enc.mask();
  for (let l = 0; l < cfg.layers; l++) x = enc.layer(l, x, mask, l === cfg.layers - 1);
  const outputs = [valueInfo('last_hidden_state', DataType.FLOAT, ['batch', 'sequence', cfg.hidden])];
  if (cfg.pooler) {
    enc.pooler(x);
    outputs.push(valueInfo('pooler_output', DataType.FLOAT, ['batch', cfg.hidden]));
  }
  const inputs = ['input_ids', 'attention_mask'].map((n) => valueInfo(n, DataType.INT64, ['batch', 'sequence']));
  return b.model(name, inputs, outputs, 17);
}
