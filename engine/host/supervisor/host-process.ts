/**
 * The engine host child process as its supervisor sees it, whatever started it: Electron's
 * utilityProcess in the app, Node's child_process in `whittle serve`. Both move messages by
 * structured clone (never JSON), so typed arrays arrive as typed arrays.
 */
export interface HostProcess {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the process has ended. */
  onExit(listener: (exit: HostExit) => void): void;
  /** Ends the process at once (SIGKILL): it may be stopped or stuck in native code. */
  kill(): void;
}

/** How the process ended: an exit code, or the signal that ended it (POSIX). */
export interface HostExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export type SpawnHost = () => HostProcess;

/** Heartbeat on the supervisor–host hop only; clients never see these. */
export const PING = { type: 'ping' } as const;
export const PONG = { type: 'pong' } as const;

export function isPing(message: unknown): boolean {
  return (message as { type?: unknown } | null)?.type === 'ping';
}

const CRASH_SIGNALS: Readonly<Record<string, string>> = {
  SIGSEGV: 'a native memory fault',
  SIGBUS: 'a native memory fault',
  SIGILL: 'an illegal instruction (a build for another CPU?)',
  SIGFPE: 'a native arithmetic fault',
  SIGABRT: 'native code aborted, often because memory ran out',
  SIGTRAP: 'a native fault',
};

/** Windows reports crashes as NTSTATUS exit codes. */
const CRASH_CODES: Readonly<Record<number, string>> = {
  0xc0000005: 'a native memory fault (access violation)',
  0xc00000fd: 'a stack overflow',
  0xc0000409: 'a native fault (stack buffer overrun)',
  0xc0000017: 'out of memory',
};

/** What happened to the host, as the end of "The engine …". */
export function describeExit({ code, signal }: HostExit): string {
  if (signal === 'SIGKILL') return 'was killed (signal SIGKILL, possibly out of memory)';
  if (signal !== null) return CRASH_SIGNALS[signal] ? `crashed (signal ${signal}: ${CRASH_SIGNALS[signal]})` : `was stopped by signal ${signal}`;
  if (code !== null && CRASH_CODES[code >>> 0]) return `crashed (${CRASH_CODES[code >>> 0]}, exit code 0x${(code >>> 0).toString(16)})`;
  return `stopped unexpectedly (exit code ${code ?? 'unknown'})`;
}
