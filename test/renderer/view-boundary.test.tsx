import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ViewBoundary } from '../../renderer/src/components/ViewBoundary.js';

describe('ViewBoundary', () => {
  it('turns a view that throws into a message naming the view, model text as text', () => {
    const state = ViewBoundary.getDerivedStateFromError(new Error('bad <b>shape</b>'));
    const boundary = new ViewBoundary({ name: 'Optimize', children: null });
    boundary.state = { error: state.error!, key: undefined };
    const html = renderToString(boundary.render() as never);
    expect(html).toContain('The Optimize view failed');
    expect(html).toContain('bad &lt;b&gt;shape&lt;/b&gt;');
  });

  it('renders its children while nothing fails, and tries again when the reset key changes', () => {
    expect(renderToString(createElement(ViewBoundary, { name: 'graph', children: 'the graph' }))).toBe('the graph');
    expect(ViewBoundary.getDerivedStateFromProps({ name: 'x', resetKey: 'b', children: null }, { error: new Error('e'), key: 'a' })).toEqual({ error: null, key: 'b' });
    expect(ViewBoundary.getDerivedStateFromProps({ name: 'x', resetKey: 'a', children: null }, { error: new Error('e'), key: 'a' })).toBeNull();
  });
});
