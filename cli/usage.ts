/** Wrong usage of a command: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {}

/** The flag's whole number of at least `min`, or undefined when the flag is absent. */
export function wholeNumber(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, not "${text}"`);
  return n;
}
