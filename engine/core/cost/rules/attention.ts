/**
 * Attention (opset 23): softmax(Q·Kᵀ × scale + mask)·V per head. MACs = B × H_q × S_q × S_kv ×
 * (D + D_v), QKᵀ and AV together, where S_kv includes the past; element-wise work per score.
 */
import type { CostContext, CostRule } from '../context.js';
import { SOFTMAX, UNIT, ELEMENTWISE_WEIGHTS } from '../weights.js';
import { macWork, perElement, type Term } from '../work.js';

/** (batch, heads, sequence, head size): 4-D as given, 3-D split by the head-count attribute. */
function heads(ctx: CostContext, input: number, attribute: string): [number, number, number, number] {
  const s = ctx.shape(input);
  if (s.length === 4) return [s[0]!, s[1]!, s[2]!, s[3]!];
  if (s.length !== 3) return ctx.fail(`input ${input} has rank ${s.length}; Attention takes 3-D or 4-D Q, K, V`);
  const count = ctx.int(attribute, 0);
  if (count <= 0) return ctx.fail(`3-D input ${input} needs the ${attribute} attribute`);
  return [s[0]!, count, s[1]!, s[2]! / count];
}

const attention: CostRule = (ctx) => {
  const [batch, qHeads, qSeq, headSize] = heads(ctx, 0, 'q_num_heads');
  const past = ctx.has(4) ? ctx.shape(4)[2]! : 0;
  const kvSeq = past + heads(ctx, 1, 'kv_num_heads')[2];
  const vHeadSize = heads(ctx, 2, 'kv_num_heads')[3];
  const scoreShape = [batch, qHeads, qSeq, kvSeq];
  const scores = batch * qHeads * qSeq * kvSeq;
  const terms: Term[] = [perElement('scores', scoreShape, scores, UNIT.mul, 'scale')];
  if (ctx.has(3)) terms.push(perElement('scores', scoreShape, scores, UNIT.add, 'mask'));
  if (ctx.int('is_causal', 0) !== 0) terms.push(perElement('scores', scoreShape, scores, UNIT.cmp, 'causal mask'));
  if (ctx.float('softcap', 0) > 0) terms.push(perElement('scores', scoreShape, scores, UNIT.div + ELEMENTWISE_WEIGHTS.Tanh! + UNIT.mul, 'softcap'));
  terms.push(perElement('scores', scoreShape, scores, SOFTMAX, 'softmax'));
  const pastText = past > 0 ? ` (past ${past} + new ${kvSeq - past})` : '';
  return macWork(scores * (headSize + vHeadSize), `B ${batch} × H_q ${qHeads} × S_q ${qSeq} × S_kv ${kvSeq}${pastText} × (D ${headSize} + D_v ${vHeadSize})`, terms);
};

export const rules: Record<string, CostRule> = { Attention: attention };
