import { NodeAttributes } from '../graph/attributes.js';
import type { GraphView } from '../graph/graph-view.js';
import { isStandardOp } from '../graph/node-label.js';
import { tensorValues } from '../onnx/tensor.js';
import type { AttributeProto, NodeProto } from '../onnx/types.js';
import { attr } from '../onnx/build.js';
import type { GraphConstants } from './constants.js';
import { loneReader } from './rewire.js';
import { rewriteInRounds, type Round } from './rounds.js';
import type { Pass } from './types.js';

/** The elements of a readable constant as numbers. */
function numbers(constants: GraphConstants, name: string): number[] | undefined {
  const t = constants.tensor(name);
  const values = t && constants.isReadable(name) ? tensorValues(t) : undefined;
  return values && Array.from(values as ArrayLike<number | bigint>, Number);
}

/**
 * The pads ([begin of each axis…, end of each axis…]) of a Pad that adds zeros, or undefined for
 * other modes, other values, pads that are not constants, or an `axes` input.
 */
function zeroPads(pad: NodeProto, constants: GraphConstants, opset: number): number[] | undefined {
  const attrs = new NodeAttributes(pad);
  if (attrs.string('mode', 'constant') !== 'constant') return undefined;
  if (opset < 11) return attrs.float('value', 0) === 0 ? attrs.ints(opset < 2 ? 'paddings' : 'pads') : undefined;
  const [, pads = '', value = '', axes = ''] = pad.input;
  const fill = value === '' ? [0] : numbers(constants, value);
  return axes === '' && fill?.length === 1 && fill[0] === 0 ? numbers(constants, pads) : undefined;
}

/** True when the value cannot be negative, so zeros added around it never win a maximum. */
function nonNegative(view: GraphView, name: string): boolean {
  const producer = view.producer.get(name);
  return producer !== undefined && isStandardOp(producer, 'Relu');
}

/**
 * The attributes that make `reader` pad by `pads` itself with what the Pad computed, or undefined
 * when it cannot. Conv pads with zeros. AveragePool counts its padding only with
 * count_include_pad=1 (turned on when it had no padding of its own, which changes nothing there).
 * MaxPool pads with −∞, so only a value that cannot be negative (a Relu output) may lose its zeros.
 * The pools also need ceil_mode=0 (with ceil_mode a window starting in the end padding is dropped,
 * where a real zero would keep it) and pads smaller than the kernel, which onnxruntime enforces.
 */
function padAttributes(reader: NodeProto, source: string, own: readonly number[], pads: number[], view: GraphView): AttributeProto[] | undefined {
  const attrs = new NodeAttributes(reader);
  if (attrs.string('auto_pad', 'NOTSET') !== 'NOTSET') return undefined;
  if (isStandardOp(reader, 'Conv')) return [attr.ints('pads', pads)];
  const kernel = attrs.ints('kernel_shape', []);
  if (attrs.int('ceil_mode', 0) !== 0 || !pads.every((p, i) => p < kernel[i % kernel.length]!)) return undefined;
  if (isStandardOp(reader, 'AveragePool')) {
    const counts = attrs.int('count_include_pad', 0) === 1;
    return counts || own.every((p) => p === 0) ? [attr.ints('pads', pads), attr.int('count_include_pad', 1)] : undefined;
  }
  return isStandardOp(reader, 'MaxPool') && (reader.output[1] ?? '') === '' && nonNegative(view, source) ? [attr.ints('pads', pads)] : undefined;
}

function foldPads(round: Round): void {
  const { graph, view, constants, opset, log } = round;
  for (const pad of graph.node) {
    if (!isStandardOp(pad, 'Pad')) continue;
    const reader = loneReader(view, pad.output[0] ?? '');
    const full = zeroPads(pad, constants, opset);
    const rank = (full?.length ?? 0) / 2;
    if (reader === undefined || full === undefined || reader.input[0] !== pad.output[0] || rank < 3 || full.some((p) => p < 0)) continue;
    if (full[0] !== 0 || full[1] !== 0 || full[rank] !== 0 || full[rank + 1] !== 0) continue;
    const added = [...full.slice(2, rank), ...full.slice(rank + 2)];
    const own = new NodeAttributes(reader).ints('pads', new Array<number>(added.length).fill(0));
    const pads = own.map((p, i) => p + added[i]!);
    const set = own.length === added.length ? padAttributes(reader, pad.input[0] ?? '', own, pads, view) : undefined;
    if (set === undefined) continue;
    reader.attribute = [...reader.attribute.filter((a) => !set.some((b) => b.name === a.name)), ...set];
    reader.input[0] = pad.input[0]!;
    graph.valueInfo = graph.valueInfo.filter((v) => v.name !== pad.output[0]);
    round.remove(pad);
    round.release(pad.input.slice(1));
    log.add('folded', [pad, reader], reader, `${log.label(pad)} added zeros around the spatial axes (${added.join(', ')}); ${log.label(reader)} now pads them itself (pads ${pads.join(', ')}).`);
  }
}

/** Folds a zero-filling Pad of the spatial axes into the Conv or pool that alone reads it. */
export const foldPadPass: Pass = {
  id: 'fold-pad',
  title: 'Fold Pad into Conv and pools',
  summary:
    'Folds a constant Pad of zeros on the spatial axes into the pads of the Conv that alone reads it (auto_pad NOTSET), or of an AveragePool that counts padding (count_include_pad=1, or no padding of its own). MaxPool pads with −∞, not zeros, so a Pad folds into it only when its input comes from a Relu and cannot be negative.',
  run: (model) => rewriteInRounds(model, 'fold-pad', foldPads),
};
