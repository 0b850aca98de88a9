import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costedOps } from '../../../engine/core/cost/rules/index.js';
import { ELEMENTWISE_WEIGHTS } from '../../../engine/core/cost/weights.js';
import { PROJECT_ROOT } from '../../support/corpus.js';

// docs/cost-model.md is what users read to trust a number: it must list exactly the ops that
// have a rule, with the element-wise weights the code uses.

const doc = readFileSync(resolve(PROJECT_ROOT, 'docs/cost-model.md'), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`## ${title}`);
  expect(start, `section "${title}"`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 3);
  return doc.slice(start, end < 0 ? undefined : end);
}

describe('docs/cost-model.md', () => {
  it('lists every op with a cost rule, and no other', () => {
    const rows = section('Per op type').split('\n').filter((l) => l.startsWith('| `'));
    const listed = rows.flatMap((r) => [...r.split(' | ')[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    const costed = costedOps();
    expect(listed.filter((op) => !costed.includes(op)), 'listed without a rule').toEqual([]);
    expect(costed.filter((op) => !listed.includes(op)), 'with a rule, not listed').toEqual([]);
    expect(new Set(listed).size, 'an op listed twice').toBe(listed.length);
  });

  it('gives the element-wise weights the code uses', () => {
    const rows = section('Element-wise weights').split('\n').filter((l) => l.startsWith('| `'));
    const documented = Object.fromEntries(rows.map((r) => {
      const [, op, weight] = /^\| `([^`]+)` \| ([\d.]+) \|$/.exec(r)!;
      return [op!, Number(weight)];
    }));
    expect(documented).toEqual(ELEMENTWISE_WEIGHTS);
  });
});
