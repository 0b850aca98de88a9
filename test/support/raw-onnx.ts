/**
 * A deliberately small, independent reader of ONNX protobuf bytes, sharing no code with
 * engine/core/onnx. It knows only the handful of field numbers needed to count what a model
 * holds, so the codec's summaries can be checked against a second implementation.
 */

type Field = { wt: number; varint?: bigint; bytes?: Uint8Array };

function readVarint(b: Uint8Array, at: number): [bigint, number] {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    if (at >= b.length) throw new Error('raw-onnx: varint past the end');
    const x = b[at++]!;
    v |= BigInt(x & 0x7f) << shift;
    shift += 7n;
    if (x < 0x80) return [v, at];
  }
}

/** Splits one message into its fields, by field number, in file order. */
function fields(b: Uint8Array): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let at = 0;
  while (at < b.length) {
    const [tag, next] = readVarint(b, at);
    at = next;
    const no = Number(tag >> 3n);
    const wt = Number(tag & 7n);
    let f: Field;
    if (wt === 0) {
      const [v, n] = readVarint(b, at);
      f = { wt, varint: v };
      at = n;
    } else if (wt === 2) {
      const [len, n] = readVarint(b, at);
      f = { wt, bytes: b.subarray(n, n + Number(len)) };
      at = n + Number(len);
    } else if (wt === 1 || wt === 5) {
      const n = wt === 1 ? 8 : 4;
      f = { wt, bytes: b.subarray(at, at + n) };
      at += n;
    } else throw new Error(`raw-onnx: wire type ${wt}`);
    const list = out.get(no) ?? [];
    list.push(f);
    out.set(no, list);
  }
  return out;
}

const utf8 = new TextDecoder();
const str = (m: Map<number, Field[]>, no: number): string => {
  const f = m.get(no)?.at(-1);
  return f?.bytes ? utf8.decode(f.bytes) : '';
};
const msgs = (m: Map<number, Field[]>, no: number): Map<number, Field[]>[] => (m.get(no) ?? []).map((f) => fields(f.bytes!));

/** Repeated varints, packed or not. */
function varints(m: Map<number, Field[]>, no: number): bigint[] {
  const out: bigint[] = [];
  for (const f of m.get(no) ?? []) {
    if (f.wt === 0) out.push(f.varint!);
    else {
      let at = 0;
      while (at < f.bytes!.length) {
        const [v, n] = readVarint(f.bytes!, at);
        out.push(v);
        at = n;
      }
    }
  }
  return out;
}

/** Bits per element of each TensorProto.DataType, as onnx.proto defines them (0: string). */
const BITS: Record<number, number> = { 1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 8: 0, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64, 14: 64, 15: 128, 16: 16, 17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4 };

export interface RawCounts {
  irVersion: number;
  opsets: Record<string, number>;
  inputs: string[];
  outputs: string[];
  nodeCount: number;
  subgraphCount: number;
  opTypes: Record<string, number>;
  /** Elements of initializers and Constant-node values (any value_* form), every graph included; sparse initializers are not read. */
  params: number;
  weightBytes: number;
}

/** Counts a model's graph(s) straight from the wire format. */
export function rawCounts(bytes: Uint8Array): RawCounts {
  const model = fields(bytes);
  const counts: RawCounts = { irVersion: Number(varints(model, 1)[0] ?? 0n), opsets: {}, inputs: [], outputs: [], nodeCount: 0, subgraphCount: 0, opTypes: {}, params: 0, weightBytes: 0 };
  for (const o of msgs(model, 8)) counts.opsets[str(o, 1) || 'ai.onnx'] = Number(varints(o, 2)[0] ?? 0n);
  const addTensor = (t: Map<number, Field[]>): void => {
    const n = varints(t, 1).reduce((a, d) => a * Number(d), 1);
    counts.params += n;
    const bits = BITS[Number(varints(t, 2)[0] ?? 0n)] ?? 0;
    counts.weightBytes += bits === 0 ? (t.get(6) ?? []).reduce((a, s) => a + s.bytes!.length, 0) : Math.ceil((n * bits) / 8);
  };
  // Constant(value_float | value_floats | value_int | value_ints | value_string | value_strings).
  const addListConstant = (a: Map<number, Field[]>): void => {
    const bytesOf = (no: number): number => (a.get(no) ?? []).reduce((n, f) => n + f.bytes!.length, 0);
    const add = (elements: number, bytes: number): void => {
      counts.params += elements;
      counts.weightBytes += bytes;
    };
    const name = str(a, 1);
    if (name === 'value_float') add(1, 4);
    else if (name === 'value_int') add(1, 8);
    else if (name === 'value_floats') add(bytesOf(7) / 4, bytesOf(7));
    else if (name === 'value_ints') add(varints(a, 8).length, 8 * varints(a, 8).length);
    else if (name === 'value_string') add(1, bytesOf(4));
    else if (name === 'value_strings') add((a.get(9) ?? []).length, bytesOf(9));
  };
  const graph = (g: Map<number, Field[]>): void => {
    for (const t of msgs(g, 5)) addTensor(t);
    for (const n of msgs(g, 1)) {
      const op = str(n, 4);
      const domain = str(n, 7);
      const key = domain === '' || domain === 'ai.onnx' ? op : `${domain}.${op}`;
      counts.nodeCount++;
      counts.opTypes[key] = (counts.opTypes[key] ?? 0) + 1;
      for (const a of msgs(n, 5)) {
        if (key === 'Constant') {
          for (const t of msgs(a, 5)) addTensor(t);
          addListConstant(a);
        }
        for (const sub of [...msgs(a, 6), ...msgs(a, 11)]) {
          counts.subgraphCount++;
          graph(sub);
        }
      }
    }
  };
  const main = msgs(model, 7)[0];
  if (main === undefined) throw new Error('raw-onnx: no graph');
  graph(main);
  const initializers = new Set(msgs(main, 5).map((t) => str(t, 8)));
  counts.inputs = msgs(main, 11).map((v) => str(v, 1)).filter((name) => !initializers.has(name));
  counts.outputs = msgs(main, 12).map((v) => str(v, 1));
  return counts;
}
