import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HostProcess } from './supervisor/host-process.js';

const ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));
// Resolved here, not by the child from its working directory, which may be anywhere.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Starts the engine host as a Node child process. `advanced` serialization is V8's structured
 * clone, so typed arrays (tensors) cross as bytes, not JSON. tsx runs the TypeScript entry.
 */
export function forkEngineHost(args: readonly string[] = []): HostProcess & { readonly pid: number | undefined } {
  const child = fork(ENTRY, [...args], { serialization: 'advanced', execArgv: ['--import', TSX], stdio: 'inherit' });
  // A send to a host that has just died fails; its exit is reported through onExit instead.
  child.on('error', () => undefined);
  return {
    pid: child.pid,
    postMessage: (message) => {
      if (child.connected) child.send(message as object, () => undefined);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code, signal) => listener({ code, signal })),
    kill: () => child.kill('SIGKILL'),
  };
}
