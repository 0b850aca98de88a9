import { UsageError } from './usage.js';
/** Parsing of `--input NAME=DIMS` options, shared by the commands that run or analyze a model. */


/**
 * `images=1x3x640x640` → `{ images: [1, 3, 640, 640] }`. Dims are separated by `x`, or by `,`
 * when the text has a comma (so dim names containing x stay whole: `batch,3,max_len`). A dim that
 * is not a number stays a symbolic name. The name is everything before the last `=`, so input
 * names containing `=` still work.
 */
export function parseInputDims(options: readonly string[]): Record<string, (number | string)[]> {
  const result: Record<string, (number | string)[]> = Object.create(null) as Record<string, (number | string)[]>;
  for (const option of options) {
    const at = option.lastIndexOf('=');
    if (at <= 0 || at === option.length - 1) throw new UsageError(`--input takes NAME=DIMS, such as x=1x3x224x224, not "${option}"`);
    const name = option.slice(0, at);
    const text = option.slice(at + 1);
    const dims = text.split(text.includes(',') ? ',' : 'x').map((d): number | string => {
      const trimmed = d.trim();
      if (/^\d+$/.test(trimmed)) return Number(trimmed);
      if (/^[A-Za-z_][\w.]*$/.test(trimmed)) return trimmed;
      throw new UsageError(`--input ${name}: "${trimmed}" is neither a size nor a dim name in "${text}"`);
    });
    if (name in result) throw new UsageError(`--input ${name} is given twice`);
    result[name] = dims;
  }
  return result;
}
