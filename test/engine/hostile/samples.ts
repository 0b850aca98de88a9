/** Hostile models shared by several files of the suite (built byte by byte with pb.ts). */
import * as pb from './pb.js';
import { Attribute as A, Graph as G, Node as N, Tensor as T } from './pb.js';

export const NAMES = ['__proto__', 'constructor', 'prototype'] as const;

/** A model that uses the three names as node names, op types, domains, attribute names, metadata keys, value names and dim names. */
export function prototypeNamesModel(): Uint8Array {
  const graph: Uint8Array[] = [pb.ld(G.name, '__proto__')];
  for (const name of NAMES) {
    graph.push(pb.valueInfo(G.input, name, [name, 2]));
    graph.push(
      pb.ld(
        G.node,
        pb.ld(N.input, name),
        pb.ld(N.output, `${name}_out`),
        pb.ld(N.name, name),
        pb.ld(N.opType, name),
        pb.ld(N.domain, name),
        pb.ld(N.attribute, pb.ld(A.name, name), pb.vi(A.type, 2), pb.vi(A.i, 1)),
        pb.ld(N.attribute, pb.ld(A.name, 'polluted'), pb.vi(A.type, 3), pb.ld(A.s, 'yes')),
      ),
    );
    graph.push(pb.ld(G.node, pb.ld(N.input, `${name}_out`), pb.ld(N.output, `${name}_y`), pb.ld(N.opType, name)));
    graph.push(pb.valueInfo(G.output, `${name}_y`, [name]));
  }
  graph.push(pb.ld(G.initializer, pb.packed(T.dims, [1]), pb.vi(T.dataType, 1), pb.ld(T.name, 'prototype_w'), pb.ld(T.rawData, pb.floatBytes([1]))));
  const extra = [
    ...NAMES.map((name, i) => pb.ld(pb.Model.opsetImport, pb.ld(pb.OpsetId.domain, name), pb.vi(pb.OpsetId.version, i + 1))),
    ...NAMES.map((name) => pb.entry(pb.Model.metadataProps, name, `{"polluted": "${name}"}`)),
    pb.entry(pb.Model.metadataProps, 'polluted', 'yes'),
    pb.ld(pb.Model.functions, pb.ld(1, '__proto__'), pb.ld(10, 'constructor'), pb.ld(4, 'prototype')),
  ];
  return pb.model(graph, extra);
}

/** Constant shape [100000, 100000] → ConstantOfShape: 40 GB of output from a file this small. */
export function constantOfShapeBomb(): Uint8Array {
  const shape = pb.ld(A.t, pb.packed(T.dims, [2]), pb.vi(T.dataType, 7), pb.ld(T.rawData, new Uint8Array(new BigInt64Array([100000n, 100000n]).buffer)));
  const value = pb.ld(A.t, pb.packed(T.dims, [1]), pb.vi(T.dataType, 1), pb.ld(T.rawData, pb.floatBytes([1])));
  return pb.cat(
    pb.vi(pb.Model.irVersion, 8),
    pb.ld(pb.Model.producerName, 'fuzz-152'), // pads the file to the 152 bytes of the report
    pb.ld(
      pb.Model.graph,
      pb.ld(G.node, pb.ld(N.output, 's'), pb.ld(N.opType, 'Constant'), pb.ld(N.attribute, pb.ld(A.name, 'value'), pb.vi(A.type, 4), shape)),
      pb.ld(G.node, pb.ld(N.input, 's'), pb.ld(N.output, 'y'), pb.ld(N.opType, 'ConstantOfShape'), pb.ld(N.attribute, pb.ld(A.name, 'value'), pb.vi(A.type, 4), value)),
      pb.ld(G.name, 'bomb'),
      pb.valueInfo(G.output, 'y', [100000, 100000]),
    ),
    pb.ld(pb.Model.opsetImport, pb.vi(pb.OpsetId.version, 17)),
  );
}

/**
 * `inner` wrapped `levels` times; `prefix(n)` gives the bytes that open one level around n bytes.
 * Built in linear time (prefixes worked out inside out, written outside in), so 100 000 levels
 * cost nothing to build.
 */
export function nest(levels: number, prefix: (innerLength: number) => Uint8Array, inner: Uint8Array): Uint8Array {
  const prefixes: Uint8Array[] = [];
  let length = inner.length;
  for (let i = 0; i < levels; i++) {
    const p = prefix(length);
    prefixes.push(p);
    length += p.length;
  }
  return pb.concat([...prefixes.reverse(), inner]);
}

/** Graphs nested `levels` deep through node → attribute → g. */
export function nestedGraphs(levels: number): Uint8Array {
  const opType = pb.ld(N.opType, 'If');
  const attrHead = pb.cat(pb.ld(A.name, 'then_branch'), pb.vi(A.type, 5));
  const graphs = nest(
    levels - 1,
    (n) => {
      const g = pb.cat(pb.tag(A.g, 2), pb.varint(n));
      const attrField = pb.cat(pb.tag(N.attribute, 2), pb.varint(attrHead.length + g.length + n));
      const nodeLength = opType.length + attrField.length + attrHead.length + g.length + n;
      return pb.cat(pb.tag(G.node, 2), pb.varint(nodeLength), opType, attrField, attrHead, g);
    },
    pb.ld(G.name, 'innermost'),
  );
  return pb.model([graphs]);
}

/** A sequence type nested `levels` deep in a graph input. */
export function nestedSequenceType(levels: number): Uint8Array {
  // TypeProto.sequence_type (4) { elem_type (1): TypeProto }, around TypeProto.tensor_type { elem_type: FLOAT }.
  const type = nest(levels, (n) => pb.cat(pb.tag(4, 2), pb.varint(n + 1 + pb.varint(n).length), pb.tag(1, 2), pb.varint(n)), pb.ld(1, pb.vi(1, 1)));
  return pb.model([pb.ld(G.input, pb.ld(1, 'x'), pb.ld(2, type))]);
}


/** Where an external tensor sits in a model built by {@link externalModel}. */
export type ExternalPlace = 'initializer' | 'constant' | 'sparse-initializer' | 'attribute-tensors' | 'subgraph-initializer' | 'function-constant';

/** A float32 tensor named w with dims [n], whose data lives outside the model under these entries. */
export function externalTensor(entries: readonly (readonly [string, string])[], n = 4): Uint8Array {
  return pb.cat(pb.packed(T.dims, [n]), pb.vi(T.dataType, 1), pb.ld(T.name, 'w'), ...entries.map(([k, v]) => pb.entry(T.externalData, k, v)), pb.vi(T.dataLocation, 1));
}

/** The same tensor with its bytes inside the model. */
export function embeddedTensor(values: readonly number[]): Uint8Array {
  return pb.cat(pb.packed(T.dims, [values.length]), pb.vi(T.dataType, 1), pb.ld(T.name, 'w'), pb.ld(T.rawData, pb.floatBytes(values)));
}

/**
 * y = x + w for float x of shape [n]; `tensor` (from externalTensor or embeddedTensor) is w,
 * placed as an initializer (the usual case) or in one of the rarer places a tensor can be.
 */
export function addModel(tensor: Uint8Array, n = 4, place: ExternalPlace = 'initializer'): Uint8Array {
  const io = [pb.valueInfo(G.input, 'x', [n]), pb.valueInfo(G.output, 'y', [n])];
  const add = pb.ld(G.node, pb.ld(N.input, 'x'), pb.ld(N.input, 'w'), pb.ld(N.output, 'y'), pb.ld(N.opType, 'Add'));
  const constantFields = pb.cat(pb.ld(N.output, 'w'), pb.ld(N.opType, 'Constant'), pb.ld(N.attribute, pb.ld(A.name, 'value'), pb.vi(A.type, 4), pb.ld(A.t, tensor)));
  const constant = pb.ld(G.node, constantFields);
  switch (place) {
    case 'initializer':
      return pb.model([add, pb.ld(G.initializer, tensor), ...io]);
    case 'constant':
      return pb.model([constant, add, ...io]);
    case 'sparse-initializer': {
      const indices = pb.cat(pb.packed(T.dims, [n]), pb.vi(T.dataType, 7), pb.ld(T.rawData, new Uint8Array(new BigInt64Array(Array.from({ length: n }, (_, i) => BigInt(i))).buffer)));
      return pb.model([add, pb.ld(15, pb.ld(1, tensor), pb.ld(2, indices), pb.packed(3, [n])), ...io]);
    }
    case 'attribute-tensors':
      return pb.model([pb.ld(G.node, pb.ld(N.output, 'w'), pb.ld(N.opType, 'Custom'), pb.ld(N.domain, 'x.y'), pb.ld(N.attribute, pb.ld(A.name, 'ts'), pb.vi(A.type, 9), pb.ld(10, tensor))), add, ...io], [
        pb.ld(pb.Model.opsetImport, pb.ld(pb.OpsetId.domain, 'x.y'), pb.vi(pb.OpsetId.version, 1)),
      ]);
    case 'subgraph-initializer': {
      const branch = pb.ld(A.g, pb.ld(G.initializer, tensor), pb.ld(G.node, pb.ld(N.input, 'w'), pb.ld(N.output, 'b'), pb.ld(N.opType, 'Identity')), pb.valueInfo(G.output, 'b', [n]));
      const cond = pb.ld(G.node, pb.ld(N.output, 'c'), pb.ld(N.opType, 'Constant'), pb.ld(N.attribute, pb.ld(A.name, 'value'), pb.vi(A.type, 4), pb.ld(A.t, pb.vi(T.dataType, 9), pb.ld(T.rawData, Uint8Array.of(1)))));
      const ifNode = pb.ld(G.node, pb.ld(N.input, 'c'), pb.ld(N.output, 'w'), pb.ld(N.opType, 'If'), pb.ld(N.attribute, pb.ld(A.name, 'then_branch'), pb.vi(A.type, 5), branch), pb.ld(N.attribute, pb.ld(A.name, 'else_branch'), pb.vi(A.type, 5), branch));
      return pb.model([cond, ifNode, add, ...io]);
    }
    case 'function-constant': {
      const fn = pb.ld(pb.Model.functions, pb.ld(1, 'MakeW'), pb.ld(10, 'local'), pb.ld(5, 'w'), pb.ld(7, constantFields), pb.ld(9, pb.vi(pb.OpsetId.version, 17)));
      const call = pb.ld(G.node, pb.ld(N.output, 'w'), pb.ld(N.opType, 'MakeW'), pb.ld(N.domain, 'local'));
      return pb.model([call, add, ...io], [pb.ld(pb.Model.opsetImport, pb.ld(pb.OpsetId.domain, 'local'), pb.vi(pb.OpsetId.version, 1)), fn]);
    }
  }
}
