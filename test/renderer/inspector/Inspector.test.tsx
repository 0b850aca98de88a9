import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { InspectorView } from '../../../renderer/src/features/inspector/Inspector.js';
import { analysisOf, node } from '../layers/fixtures.js';

const value = (name: string, shape: (number | string)[] = [8, 3, 3, 3]) => ({ name, dtype: 'float32', shape });

describe('InspectorView', () => {
  it('asks for a selection when nothing is selected', () => {
    expect(renderToString(<InspectorView selected={null} analysis={null} measured={undefined} />)).toContain('Select a node in the graph or the table');
  });

  it('says so when the selected name is not in the analysis', () => {
    expect(renderToString(<InspectorView selected="gone" analysis={analysisOf([node(0)])} measured={undefined} />)).toContain('no node named “gone”');
  });

  it('shows the node with its values, cost and weights, model text as text', () => {
    const conv = node(0, {
      name: 'conv</h2><script>alert(1)</script>',
      formula: '2 × 8 × 3 × 3 × 3 × 16',
      inputs: [value('image', [1, 3, 4, 4]), value('w<b>'), value('big', ['n', 1000])],
      outputs: [value('y', [1, 8, 2, 2])],
    });
    const measured = [{ name: conv.name, opType: 'Conv', ms: 0.25, share: 0.5, kernel: 'FusedConv', gflops: 12, gbps: 3, predictedMs: 1 }];
    const html = renderToString(<InspectorView selected={conv.name} analysis={analysisOf([conv], [value('image', [1, 3, 4, 4])])} measured={measured} />);
    expect(html).not.toContain('<script>');
    expect(html).toContain('conv&lt;/h2&gt;&lt;script&gt;');
    expect(html).toContain('w&lt;b&gt;');
    expect(html).toContain('graph input');
    expect(html.match(/>weight</g)).toHaveLength(2);
    expect(html).toContain('2 × 8 × 3 × 3 × 3 × 16');
    expect(html).toContain('0.250 ms');
    expect(html).toContain('FusedConv');
    // Attributes are fetched after mounting; the small weight loads by itself, the one of unknown size on demand.
    expect(html).toContain('Loading…');
    expect(html).toContain('Reading weights…');
    expect(html).toContain('Load statistics');
  });
});
