/**
 * Deep copy of any decoded ONNX object. Byte views (tensor data) are shared, not copied: they
 * are never mutated in place, and copying weights would double a model's memory.
 */
export function cloneProto<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => cloneProto(v)) as T;
  const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) copy[k] = cloneProto(v);
  return copy as T;
}
