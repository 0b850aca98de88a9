/** What dropping a file on the page means, as a readable outcome. */
export type DropOutcome = { readonly open: string } | { readonly refuse: string };

/**
 * A dropped `.onnx` file opens when its path is known (the desktop app's preload gives it); a
 * browser tab never learns paths, so it says how to open the model instead.
 */
export function dropOutcome(name: string, path: string | undefined): DropOutcome {
  if (!/\.onnx$/i.test(name)) return { refuse: `${name} is not an .onnx model.` };
  if (path === undefined || path === '') return { refuse: `A browser tab cannot open dropped files by path: type the path of ${name} above, or run whittle serve with it.` };
  return { open: path };
}
