#!/usr/bin/env node
// `npm test`: typecheck, lint, build the UI the browser tests open, then every Vitest suite.
// Ends with one line `N passed, N failed, N skipped` summing all of it (also written to
// test-results/summary.txt for CI).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const results = 'test-results';
mkdirSync(results, { recursive: true });
const counts = { passed: 0, failed: 0, skipped: 0 };

function step(name, command, args) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const { status } = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  return status === 0;
}

function check(name, command, args) {
  const ok = step(name, command, args);
  counts[ok ? 'passed' : 'failed']++;
  if (!ok) console.error(`✖ ${name} failed`);
}

check('typecheck', 'npm', ['run', '--silent', 'typecheck']);
check('lint', 'npm', ['run', '--silent', 'lint']);
check('build the renderer', 'npm', ['run', '--silent', 'build:renderer']);

const report = `${results}/vitest.json`;
rmSync(report, { force: true });
const vitestOk = step('tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  counts.passed += json.numPassedTests;
  counts.failed += json.numFailedTests + (json.numFailedTestSuites ?? 0) + (json.numRuntimeErrorTestSuites ?? 0);
  counts.skipped += json.numPendingTests + json.numTodoTests;
  if (!vitestOk && json.numFailedTests + (json.numFailedTestSuites ?? 0) === 0) counts.failed++;
} catch {
  counts.failed++;
  console.error('✖ Vitest wrote no report: the test run itself failed');
}

const summary = `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
writeFileSync(`${results}/summary.txt`, `${summary}\n`);
console.log(`\n${summary}`);
process.exit(counts.failed === 0 ? 0 : 1);
