/**
 * The model named on the command line: the first argument after `--` (`electron . -- MODEL`), or
 * in a packaged app, where Electron adds no script argument, the first argument that is not a flag.
 */
export function modelFromArgv(argv: readonly string[], isPackaged: boolean): string | undefined {
  const dashes = argv.indexOf('--');
  if (dashes >= 0) return argv[dashes + 1];
  return isPackaged ? argv.slice(1).find((a) => !a.startsWith('-')) : undefined;
}
