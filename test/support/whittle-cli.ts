import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { PROJECT_ROOT } from './corpus.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `whittle …` as users run it: a child process, its exit code, stdout and stderr. */
export function whittle(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [resolve(PROJECT_ROOT, 'bin/whittle.mjs'), ...args], { cwd: PROJECT_ROOT, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

/** One readable line: no stack trace, no second line. */
export function expectOneLine(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
}
