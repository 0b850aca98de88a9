/** Tooltip markup for ECharts' HTML tooltip: class names only, since the page's CSP forbids style attributes. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A title (a node name, an op type) and label/value rows. */
export function tipHtml(title: string, rows: readonly (readonly [string, string])[]): string {
  const body = rows.map(([label, value]) => `<div class="chart-tip-row"><span>${escapeHtml(label)}</span><b>${escapeHtml(value)}</b></div>`).join('');
  return `<div class="chart-tip"><div class="chart-tip-title">${escapeHtml(title)}</div>${body}</div>`;
}
