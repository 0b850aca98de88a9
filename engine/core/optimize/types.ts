import type { ModelProto } from '../onnx/types.js';
import type { Dim } from '../shape/types.js';

/** The passes `whittle optimize` knows, by the name users give on the command line. */
export const PASS_IDS = ['eliminate', 'fold-constants', 'fold-pad', 'fold-batchnorm', 'fold-scale-bias', 'fuse-matmul-add', 'reparam-repvgg'] as const;
export type PassId = (typeof PASS_IDS)[number];

/**
 * What a change did to the nodes it names:
 * removed — nodes dropped without replacement (their readers rewired);
 * folded — nodes evaluated or absorbed into a neighbour's weights;
 * merged — several nodes became one (`into`);
 * rewritten — a node kept its place with new attributes or inputs.
 */
export type ChangeKind = 'removed' | 'folded' | 'merged' | 'rewritten';

/** One entry of a pass's log. Node names are labels of the pass's input model (`nodeLabel`). */
export interface Change {
  readonly pass: PassId;
  readonly kind: ChangeKind;
  /** The input's nodes this change removed, folded, merged or rewrote; for graph inputs and initializers, their names. */
  readonly nodes: readonly string[];
  /** The node of the output that now does their work, when there is one. */
  readonly into?: string;
  /** A sentence for people: what happened and why it is safe. */
  readonly detail: string;
  /** Path of the graph the change is in: 'graph' for the main graph, as in the analysis for bodies. */
  readonly graphPath: string;
  /** True when the rewrite used shapes that follow from the pinned input dims: the result holds at those dims only. */
  readonly atInputDims?: true;
}

export interface PassOptions {
  /** Dims for symbolic graph inputs, as for shape inference; shape-dependent rewrites need them. */
  readonly inputDims?: Readonly<Record<string, readonly Dim[]>>;
  /** Largest tensor (elements) constant folding may create; bigger results stay computed at run time. */
  readonly maxFoldElements?: number;
}

export interface PassResult {
  readonly model: ModelProto;
  readonly changes: readonly Change[];
}

/** A pure rewrite: never edits its input; returns a new model and what it changed (empty when nothing applied). */
export interface Pass {
  readonly id: PassId;
  /** A few words for menus and logs. */
  readonly title: string;
  /** What the pass does and when it applies, in a sentence or two. */
  readonly summary: string;
  run(model: ModelProto, options: PassOptions): PassResult;
}
