#!/usr/bin/env node
// The `whittle` command: runs the TypeScript CLI directly, so it works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
