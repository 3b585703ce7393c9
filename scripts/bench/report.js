// The results table of scripts/bench.js: plain text for the terminal,
// Markdown for docs/performance.md.

const COLUMNS = ['metric', 'widget', 'bare JsSIP', 'ratio', 'budget', 'result'];

export function textTable(rows) {
  const cells = [COLUMNS, ...rows.map((r) => [r.metric, r.widget ?? '', r.bare ?? '', r.ratio ?? '', r.budget ?? '', r.status])];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((c) => String(c[i]).length)));
  const line = (c) =>
    c
      .map((v, i) => String(v).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

export function markdownTable(rows) {
  const esc = (v) => String(v ?? '').replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${[r.metric, r.widget, r.bare, r.ratio, r.budget, r.status].map(esc).join(' | ')} |`),
  ].join('\n');
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
export const ms = (x) => (x === null || x === undefined ? 'n/a' : `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ms`);
export const ratio = (a, b) => (a === null || b === null || !b ? null : a / b);
export const fmtRatio = (r) => (r === null ? 'n/a' : `${r.toFixed(3)}×`);
