import { CONV_FUSIONS } from './conv-fusions.js';
import { DENSE_FUSIONS, matMulScale } from './dense-fusions.js';
import { ELEMENTWISE_FUSIONS } from './elementwise-fusions.js';
import type { GraphFacts } from './facts.js';
import { FusionGraph } from './fusion-graph.js';
import type { Pattern } from './pattern.js';
import { TRANSFORMER_FUSIONS } from './transformer-fusions.js';
import { OPTIMIZATION_LEVELS, type FusionGroup, type OptimizationLevel } from './types.js';

/** In onnxruntime's order within each level, where it matters: Gelu takes its final Mul before MatMulScaleFusion could. */
const PATTERNS: readonly Pattern[] = [...CONV_FUSIONS, ...ELEMENTWISE_FUSIONS, ...DENSE_FUSIONS, ...TRANSFORMER_FUSIONS, matMulScale];

/**
 * The fusions onnxruntime's CPU provider performs on the main graph up to `level`, in its order:
 * each level's patterns are applied over the execution order until none applies, so a fusion can
 * build on an earlier one (a BatchNormalization folded into a Conv, then its Relu). A fusion needs
 * every intermediate tensor to be read only inside the group and not to be a graph output.
 * Layout transformations of level `all` (NCHWc blocking on x86-64, NHWC) are not modelled; on
 * x86-64 the NCHWc transformer takes precedence over ConvAddActivationFusion and may fuse residual
 * Adds differently.
 */
export function detectFusions(facts: GraphFacts, level: OptimizationLevel): FusionGroup[] {
  const g = new FusionGraph(facts);
  for (const l of OPTIMIZATION_LEVELS.slice(0, OPTIMIZATION_LEVELS.indexOf(level) + 1)) {
    const patterns = PATTERNS.filter((p) => p.level === l);
    for (let changed = true; changed; ) {
      changed = false;
      for (const pattern of patterns) {
        for (const u of g.unitsWith(pattern.anchors)) {
          if (!g.alive(u)) continue;
          const m = pattern.match(g, u);
          if (m !== undefined && g.fuse(m, l) !== undefined) changed = true;
        }
      }
    }
  }
  return g.groups;
}
