import { AttributeType, type AttributeProto, type GraphProto, type NodeProto, type TensorProto } from '../onnx/types.js';

const utf8 = new TextDecoder();

/** A node's attributes by name, read with the spec's defaults: what shape and cost rules both read. */
export class NodeAttributes {
  private readonly attributes = new Map<string, AttributeProto>();

  constructor(node: NodeProto) {
    for (const a of node.attribute) this.attributes.set(a.name, a);
  }

  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }

  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.attributes.get(name);
    return a?.i !== undefined ? Number(a.i) : fallback;
  }

  ints(name: string, fallback: number[]): number[];
  ints(name: string): number[] | undefined;
  ints(name: string, fallback?: number[]): number[] | undefined {
    const a = this.attributes.get(name);
    return a !== undefined && (a.ints.length > 0 || a.type === AttributeType.INTS) ? a.ints.map(Number) : fallback;
  }

  float(name: string, fallback: number): number;
  float(name: string): number | undefined;
  float(name: string, fallback?: number): number | undefined {
    return this.attributes.get(name)?.f ?? fallback;
  }

  floats(name: string): number[] | undefined {
    const a = this.attributes.get(name);
    return a !== undefined && (a.floats.length > 0 || a.type === AttributeType.FLOATS) ? a.floats : undefined;
  }

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    const s = this.attributes.get(name)?.s;
    return s !== undefined ? utf8.decode(s) : fallback;
  }

  strings(name: string): string[] | undefined {
    const a = this.attributes.get(name);
    return a === undefined ? undefined : a.strings.map((s) => utf8.decode(s));
  }

  graph(name: string): GraphProto | undefined {
    return this.attributes.get(name)?.g;
  }

  attributeTensor(name: string): TensorProto | undefined {
    return this.attributes.get(name)?.t;
  }

  attribute(name: string): AttributeProto | undefined {
    return this.attributes.get(name);
  }
}
