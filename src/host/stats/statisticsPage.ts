import type { Statistics } from '../../core/stats/statistics';
import { barChart, columnsWithLine, escapeXml } from './charts';

/** The statistics page body: headline numbers and four charts, all from the database. */
export function statisticsBody(s: Statistics): string {
  const t = s.totals;
  const tiles = [
    ['memories', t.memories],
    ['plans', t.plans],
    ['tasks', t.tasks],
    ['searches', t.searches],
    ['handed to agents', t.injections],
    ['ms to embed one', t.avgEmbedMs ?? '–'],
  ]
    .map(
      ([k, v]) =>
        `<div class="tile"><div class="num">${escapeXml(String(v))}</div><div class="cap">${escapeXml(String(k))}</div></div>`,
    )
    .join('');
  const section = (title: string, chart: string, note = '') =>
    `<section><h2>${escapeXml(title)}</h2>${chart}${note ? `<p class="note">${escapeXml(note)}</p>` : ''}</section>`;
  return `<main>
    <h1>DevStream statistics</h1>
    <div class="tiles">${tiles}</div>
    ${section(
      'Searches per day and latency',
      columnsWithLine(
        s.searchesPerDay.map((d) => ({ x: d.day, y: d.searches })),
        s.searchesPerDay.map((d) => d.avgMs),
        { columnName: 'searches', lineName: 'average latency', lineUnit: 'ms' },
      ),
      'Last 30 days. Latency excludes embedding the query.',
    )}
    ${section(
      'Memories by type',
      barChart(
        s.memoriesByType.map((m) => ({
          label: m.type,
          values: [m.count, m.embedded],
          title: `${m.type}: ${m.count} memories, ${m.embedded} with a vector`,
        })),
        { series: ['memories', 'with a vector'] },
      ),
    )}
    ${section(
      'Does the code still match? (anchored memories)',
      barChart(
        s.anchorFreshness.map((a) => ({
          label: a.state,
          values: [a.count],
          title: `${a.state}: ${a.count} memories`,
        })),
        { series: ['memories'] },
      ),
      'As last checked: fresh, moved (same code elsewhere), changed, lost, file-missing. See DevStream: Show Memories Touched by My Changes.',
    )}
    ${section(
      'Tasks completed per phase',
      barChart(
        s.tasksPerPhase.map((p) => ({
          label: p.phase,
          values: [p.completed, p.total],
          title: `${p.plan} › ${p.phase}: ${p.completed} of ${p.total} tasks completed`,
        })),
        { series: ['completed', 'all tasks'] },
      ),
      'Phases of open plans; hover a bar for its plan.',
    )}
    ${section(
      'Time estimated vs actual (completed tasks)',
      barChart(
        s.estimatedVsActual.map((p) => ({
          label: p.plan,
          values: [p.estimatedMinutes, p.actualMinutes],
          title: `${p.plan}: ${p.tasks} tasks, estimated ${p.estimatedMinutes} min, took ${p.actualMinutes} min`,
        })),
        { series: ['estimated', 'actual'], unit: 'min' },
      ),
    )}
    ${section(
      'Memory handed to agents per day',
      columnsWithLine(
        s.injectionsPerDay.map((d) => ({ x: d.day, y: d.injections })),
        s.injectionsPerDay.map((d) => d.tokens),
        { columnName: 'hand-overs', lineName: 'tokens', lineUnit: 'tokens' },
      ),
    )}
  </main>`;
}

export const STATISTICS_CSS = `
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 20px 20px; }
  h1 { font-size: 1.4em; font-weight: 600; } h2 { font-size: 1.05em; font-weight: 600; margin: 0 0 8px; }
  section { margin: 18px 0; padding: 12px 14px; border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); border-radius: 4px; }
  .tiles { display: flex; flex-wrap: wrap; gap: 10px; }
  .tile { min-width: 110px; padding: 10px 12px; border-radius: 4px; background: var(--vscode-editorWidget-background); border: 1px solid var(--vscode-widget-border, transparent); }
  .num { font-size: 1.6em; font-weight: 600; } .cap { color: var(--vscode-descriptionForeground); }
  svg text { fill: var(--vscode-foreground); font-size: 11px; font-family: var(--vscode-font-family); }
  svg text.value { fill: var(--vscode-descriptionForeground); }
  svg .axis { stroke: var(--vscode-widget-border, var(--vscode-descriptionForeground)); }
  .empty, .note { color: var(--vscode-descriptionForeground); }
`;
