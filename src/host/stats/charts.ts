// Small SVG charts drawn on the host: no script runs in the statistics page, and colours come
// from the theme (VS Code's --vscode-charts-* variables), so it reads well in every theme.

export interface Bar {
  label: string;
  values: number[];
  title?: string;
}

export interface BarChartOptions {
  /** One name per value in each bar (a legend when there are several). */
  series: string[];
  unit?: string;
  width?: number;
}

const COLOURS = [
  'var(--vscode-charts-blue)',
  'var(--vscode-charts-orange)',
  'var(--vscode-charts-green)',
  'var(--vscode-charts-purple)',
  'var(--vscode-charts-red)',
  'var(--vscode-charts-yellow)',
];
const ROW = 22;
const LABEL_WIDTH = 170;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Horizontal bars, one row per label (grouped when each bar has several values). */
export function barChart(bars: readonly Bar[], opts: BarChartOptions): string {
  if (bars.length === 0) return `<p class="empty">No data yet.</p>`;
  const width = opts.width ?? 560;
  const plot = width - LABEL_WIDTH - 60;
  const max = Math.max(1, ...bars.flatMap((b) => b.values));
  const groups = opts.series.length;
  const rowHeight = ROW * Math.max(1, groups * 0.7);
  const height = bars.length * rowHeight + (groups > 1 ? 24 : 4);
  const rows = bars
    .map((b, i) => {
      const y = i * rowHeight;
      const h = (rowHeight - 6) / groups;
      const rects = b.values
        .map((v, g) => {
          const w = Math.max(v > 0 ? 1 : 0, (v / max) * plot);
          const ry = y + 3 + g * h;
          return (
            `<rect x="${LABEL_WIDTH}" y="${ry.toFixed(1)}" width="${w.toFixed(1)}" height="${(h - 1).toFixed(1)}" fill="${COLOURS[g % COLOURS.length]}" rx="2"/>` +
            `<text class="value" x="${(LABEL_WIDTH + w + 4).toFixed(1)}" y="${(ry + h / 2 + 4).toFixed(1)}">${fmt(v)}${opts.unit ? ' ' + escapeXml(opts.unit) : ''}</text>`
          );
        })
        .join('');
      const label = b.label.length > 26 ? b.label.slice(0, 25) + '…' : b.label;
      return (
        `<g><title>${escapeXml(b.title ?? `${b.label}: ${b.values.map(fmt).join(' / ')}`)}</title>` +
        `<text class="label" x="${LABEL_WIDTH - 8}" y="${(y + rowHeight / 2 + 4).toFixed(1)}" text-anchor="end">${escapeXml(label)}</text>${rects}</g>`
      );
    })
    .join('');
  const legend =
    groups > 1
      ? opts.series
          .map(
            (s, g) =>
              `<rect x="${LABEL_WIDTH + g * 140}" y="${height - 14}" width="10" height="10" fill="${COLOURS[g % COLOURS.length]}" rx="2"/><text class="label" x="${LABEL_WIDTH + g * 140 + 14}" y="${height - 5}">${escapeXml(s)}</text>`,
          )
          .join('')
      : '';
  return `<svg role="img" aria-label="${escapeXml(opts.series.join(', '))}" width="${width}" height="${height.toFixed(0)}" viewBox="0 0 ${width} ${height.toFixed(0)}">${rows}${legend}</svg>`;
}

export interface Point {
  x: string;
  y: number;
}

/** Columns over days (counts) with an optional line (e.g. latency) on its own scale. */
export function columnsWithLine(
  points: readonly Point[],
  line: readonly number[] | undefined,
  opts: { columnName: string; lineName?: string; lineUnit?: string; width?: number },
): string {
  if (points.length === 0) return `<p class="empty">No data yet.</p>`;
  const width = opts.width ?? 560;
  const height = 180;
  const left = 36;
  const bottom = 34;
  const plotW = width - left - 40;
  const plotH = height - bottom - 10;
  const maxCol = Math.max(1, ...points.map((p) => p.y));
  const step = plotW / Math.max(points.length, 14); // a day is at most 1/14 of the width
  const colW = Math.min(step * 0.7, 36);
  const cols = points
    .map((p, i) => {
      const h = (p.y / maxCol) * plotH;
      return (
        `<g><title>${escapeXml(`${p.x}: ${fmt(p.y)} ${opts.columnName}${line ? `, ${fmt(line[i])} ${opts.lineUnit ?? ''}` : ''}`)}</title>` +
        `<rect x="${(left + i * step + (step - colW) / 2).toFixed(1)}" y="${(10 + plotH - h).toFixed(1)}" width="${colW.toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[0]}" rx="2"/></g>`
      );
    })
    .join('');
  const every = Math.ceil(points.length / 8);
  const ticks = points
    .map((p, i) =>
      i % every === 0
        ? `<text class="label" x="${(left + i * step + step / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${escapeXml(p.x.slice(5))}</text>`
        : '',
    )
    .join('');
  let path = '';
  if (line && line.length === points.length) {
    const maxLine = Math.max(1, ...line);
    const xy = line.map(
      (v, i) => `${(left + i * step + step / 2).toFixed(1)},${(10 + plotH - (v / maxLine) * plotH).toFixed(1)}`,
    );
    path =
      `<polyline points="${xy.join(' ')}" fill="none" stroke="${COLOURS[1]}" stroke-width="2"/>` +
      xy.map((c) => `<circle cx="${c.split(',')[0]}" cy="${c.split(',')[1]}" r="3" fill="${COLOURS[1]}"/>`).join('') +
      `<text class="label" x="${width - 4}" y="18" text-anchor="end">max ${fmt(maxLine)} ${escapeXml(opts.lineUnit ?? '')}</text>`;
  }
  const legend =
    `<rect x="${left}" y="${height - 12}" width="10" height="10" fill="${COLOURS[0]}"/><text class="label" x="${left + 14}" y="${height - 3}">${escapeXml(opts.columnName)} (max ${fmt(maxCol)})</text>` +
    (path
      ? `<rect x="${left + 170}" y="${height - 12}" width="10" height="10" fill="${COLOURS[1]}"/><text class="label" x="${left + 184}" y="${height - 3}">${escapeXml(opts.lineName ?? '')}</text>`
      : '');
  return `<svg role="img" aria-label="${escapeXml(opts.columnName)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><line x1="${left}" y1="${10 + plotH}" x2="${width - 40}" y2="${10 + plotH}" class="axis"/>${cols}${path}${ticks}${legend}</svg>`;
}
