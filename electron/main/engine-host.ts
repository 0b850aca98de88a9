import { utilityProcess } from 'electron';
import { constants } from 'node:os';
import { EngineSupervisor, type HostExit, type HostProcess, type SupervisorOptions } from '../../engine/host/supervisor/index.js';

const CRASH_SIGNALS = ['SIGKILL', 'SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGABRT', 'SIGFPE'] as const;

/**
 * Electron reports a utility process that a signal ended with the signal's number as its exit
 * code (Chromium's termination status). The host never exits with these small codes itself.
 */
function exitOf(code: number): HostExit {
  const signal = process.platform === 'win32' ? undefined : CRASH_SIGNALS.find((name) => constants.signals[name] === code);
  return signal === undefined ? { code, signal: null } : { code: null, signal };
}

/** Starts the engine host as a utility process; its postMessage is a structured clone, so tensors cross as bytes. */
export function forkUtilityHost(entry: string, args: readonly string[]): HostProcess {
  const child = utilityProcess.fork(entry, [...args], { serviceName: 'Whittle engine', stdio: 'inherit' });
  return {
    postMessage: (message) => {
      // Posting to a host that has just died throws; its exit is reported through onExit.
      try {
        child.postMessage(message);
      } catch {
        /* reported by onExit */
      }
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(exitOf(code))),
    // utilityProcess.kill() sends SIGTERM, which a stopped (hung) process does not act on.
    kill: () => {
      if (child.pid === undefined) return void child.kill();
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    },
  };
}

/** The engine host of the app, supervised: restarted after a crash or a hang, jobs cancelled with a grace period. */
export function engineSupervisor(entry: string, args: readonly string[], options?: SupervisorOptions): EngineSupervisor {
  return new EngineSupervisor(() => forkUtilityHost(entry, args), options);
}
