/**
 * `npm run bench`: runs every benchmark module in bench/ (each `*.ts` but this one), one after
 * another, each in its own process so one's memory does not weigh on the next. Arguments are
 * passed on (e.g. `npm run bench -- --quick`). Exits non-zero if any benchmark fails or misses
 * its goal.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, '..', 'bin', 'run-ts.mjs');
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
  .sort();

let failed = 0;
for (const module of modules) {
  console.log(`\n== bench/${module}`);
  const result = spawnSync(process.execPath, [runner, join(here, module), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`bench/${module} ${result.signal ? `was killed by ${result.signal}` : `exited with ${result.status}`}`);
  }
}
console.log(`\n${modules.length - failed} of ${modules.length} benchmarks passed`);
process.exitCode = failed > 0 ? 1 : 0;
