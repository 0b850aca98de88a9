/**
 * Deep equality for decoded ONNX objects. Byte fields are views into different buffers after a
 * re-encode, so a Uint8Array is compared by its contents, never by its buffer or offset. Numbers
 * compare with Object.is (NaN equals NaN, -0 differs from 0); bigints by value; object
 * prototypes are ignored (the decoder makes null-prototype objects, builders make plain ones).
 */
export function protoDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array)) return `${path}: ${describe(a)} vs ${describe(b)}`;
    if (a.length !== b.length) return `${path}: ${a.length} bytes vs ${b.length} bytes`;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `${path}: bytes differ at ${i} (${a[i]} vs ${b[i]})`;
    return undefined;
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    return protoDifference(asBytes(a), asBytes(b), path);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b))) return `${path}: ${describe(a)} vs ${describe(b)}`;
    if (a.length !== b.length) return `${path}: ${a.length} items vs ${b.length} items`;
    for (let i = 0; i < a.length; i++) {
      const d = protoDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    const onlyA = ka.filter((k) => !kb.includes(k));
    const onlyB = kb.filter((k) => !ka.includes(k));
    if (onlyA.length > 0 || onlyB.length > 0) return `${path}: fields only on the left [${onlyA.join(', ')}], only on the right [${onlyB.join(', ')}]`;
    for (const k of ka) {
      const d = protoDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${path}: ${describe(a)} vs ${describe(b)}`;
}

function asBytes(v: unknown): unknown {
  return ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : v;
}

function describe(v: unknown): string {
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (Array.isArray(v)) return `array(${v.length})`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}…` : v);
  if (v !== null && typeof v === 'object') return 'object';
  return Object.is(v, -0) ? '-0' : String(v);
}
