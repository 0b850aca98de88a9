import { readFileSync } from 'node:fs';

// Read rather than imported: package.json is project metadata, outside the code zones the layering rule knows.
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Whittle's own version, recorded with every measurement and variant. */
export const WHITTLE_VERSION: string = manifest.version;
