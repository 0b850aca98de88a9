/**
 * A node as the inspector shows it: its attributes written out as text, so a UI never needs the
 * protobuf types and never receives a large tensor hidden in an attribute.
 */
import { dataTypeName } from '../onnx/data-types.js';
import { AttributeType, type AttributeProto, type NodeProto, type TensorProto } from '../onnx/types.js';

export interface AttributeText {
  readonly name: string;
  /** `int`, `ints`, `float`, `string`, `tensor`, `graph`… */
  readonly type: string;
  readonly value: string;
}

export interface NodeDetails {
  /** Position in the main graph's node list (the file's order). */
  readonly index: number;
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly docString: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly AttributeText[];
}

/** Lists longer than this show their first items and how many there are. */
const MAX_LIST_ITEMS = 32;
const MAX_STRING = 1000;

const TYPE_NAMES: Readonly<Record<number, string>> = {
  [AttributeType.FLOAT]: 'float',
  [AttributeType.INT]: 'int',
  [AttributeType.STRING]: 'string',
  [AttributeType.TENSOR]: 'tensor',
  [AttributeType.GRAPH]: 'graph',
  [AttributeType.FLOATS]: 'floats',
  [AttributeType.INTS]: 'ints',
  [AttributeType.STRINGS]: 'strings',
  [AttributeType.TENSORS]: 'tensors',
  [AttributeType.GRAPHS]: 'graphs',
  [AttributeType.SPARSE_TENSOR]: 'sparse tensor',
  [AttributeType.SPARSE_TENSORS]: 'sparse tensors',
};

const utf8 = new TextDecoder();

function listText<T>(items: readonly T[], show: (item: T) => string): string {
  const shown = items.slice(0, MAX_LIST_ITEMS).map(show).join(', ');
  return items.length > MAX_LIST_ITEMS ? `[${shown}, … ${items.length} in all]` : `[${shown}]`;
}

function stringText(bytes: Uint8Array): string {
  const text = utf8.decode(bytes);
  return JSON.stringify(text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text);
}

function tensorText(t: TensorProto): string {
  return `${dataTypeName(t.dataType)}[${t.dims.join(', ')}]${t.name ? ` ${t.name}` : ''}`;
}

function attributeValue(a: AttributeProto): string {
  switch (a.type) {
    case AttributeType.FLOAT:
      return String(a.f ?? 0);
    case AttributeType.INT:
      return String(a.i ?? 0n);
    case AttributeType.STRING:
      return stringText(a.s ?? new Uint8Array());
    case AttributeType.TENSOR:
      return a.t ? tensorText(a.t) : '(empty)';
    case AttributeType.GRAPH:
      return `subgraph "${a.g?.name ?? ''}" of ${a.g?.node.length ?? 0} nodes`;
    case AttributeType.FLOATS:
      return listText(a.floats, String);
    case AttributeType.INTS:
      return listText(a.ints, String);
    case AttributeType.STRINGS:
      return listText(a.strings, stringText);
    case AttributeType.TENSORS:
      return listText(a.tensors, tensorText);
    case AttributeType.GRAPHS:
      return listText(a.graphs, (g) => `subgraph of ${g.node.length} nodes`);
    default:
      return a.refAttrName ? `refers to the function's attribute "${a.refAttrName}"` : '(no value)';
  }
}

/** The inspector's view of `node`, the `index`-th node of its graph. */
export function nodeDetails(node: NodeProto, index: number): NodeDetails {
  return {
    index,
    name: node.name,
    opType: node.opType,
    domain: node.domain,
    docString: node.docString,
    inputs: node.input,
    outputs: node.output,
    attributes: node.attribute.map((a) => ({ name: a.name, type: TYPE_NAMES[a.type] ?? `type ${a.type}`, value: attributeValue(a) })),
  };
}
