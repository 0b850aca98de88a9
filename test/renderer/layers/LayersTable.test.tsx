import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MeasuredNode } from '../../../engine/protocol/index.js';
import { LayersView } from '../../../renderer/src/features/layers/LayersTable.js';
import { node } from './fixtures.js';

const rowsIn = (html: string) => html.match(/<tr data-index=/g)?.length ?? 0;
const render = (nodes: Parameters<typeof LayersView>[0]['nodes'], measured: MeasuredNode[] = [], selected: string | null = null) =>
  renderToString(<LayersView nodes={nodes} measured={measured} selected={selected} onSelect={() => undefined} />);

describe('LayersView', () => {
  it('mounts only a window of 10,000 rows', () => {
    const html = render(
      Array.from({ length: 10_000 }, (_, i) => node(i)),
      [],
      'n0',
    );
    expect(rowsIn(html)).toBeGreaterThan(10);
    expect(rowsIn(html)).toBeLessThan(60);
    expect(html).toContain('aria-rowcount="10002"');
    expect(html).toMatch(/<tr data-index="0" aria-rowindex="2" aria-selected="true" tabindex="0"/);
    expect(html).toContain('10,000 nodes');
    expect(html).toContain('Total of 10000 shown');
  });

  it('marks the sorted column and shows measured columns only with a per-node benchmark', () => {
    const nodes = [node(0), node(1)];
    expect(render(nodes)).toMatch(/<th[^>]*aria-sort="ascending"[^>]*><button[^>]*>#</);
    expect(render(nodes)).not.toContain('Meas. ms');
    const html = render(nodes, [{ name: 'n1', opType: 'Conv', ms: 0.5, share: 1, kernel: 'k', gflops: 1, gbps: 2, predictedMs: 1 }]);
    expect(html).toContain('Meas. ms');
    expect(html).toContain('GFLOP/s');
  });

  it('writes model text as text', () => {
    const html = render([node(0, { name: '<img src=x onerror=alert(1)>' })]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
