import assert from 'node:assert/strict';
import { it } from 'node:test';
import { barChart, columnsWithLine } from '../../src/host/stats/charts';
import { statisticsBody } from '../../src/host/stats/statisticsPage';

it('draws bars proportional to their values, with the values written', () => {
  const svg = barChart(
    [
      { label: 'code', values: [10] },
      { label: 'decision', values: [5] },
    ],
    { series: ['memories'] },
  );
  const widths = [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(widths.length, 2);
  assert.ok(Math.abs(widths[0] / widths[1] - 2) < 0.01, `10 is twice 5: ${widths}`);
  assert.match(svg, />10</);
  assert.match(svg, />5</);
});

it('escapes every label: data from the database is never markup', () => {
  const svg = barChart([{ label: '<script>alert(1)</script>', values: [1] }], { series: ['x"y'] });
  assert.ok(!svg.includes('<script>'));
  assert.match(svg, /&#60;script&#62;/);
  const body = statisticsBody({
    searchesPerDay: [],
    memoriesByType: [],
    anchorFreshness: [{ state: '<b>changed</b>', count: 1 }],
    tasksPerPhase: [{ plan: '<img src=x onerror=alert(1)>', phase: 'p', completed: 1, total: 2 }],
    estimatedVsActual: [],
    injectionsPerDay: [],
    totals: { memories: 0, plans: 1, tasks: 2, searches: 0, injections: 0, avgEmbedMs: null },
  });
  assert.ok(!body.includes('<img'));
  assert.ok(!body.includes('<b>changed'), 'freshness labels are escaped too');
  assert.match(body, /No data yet/);
});

it('draws a column per day and a latency line on its own scale', () => {
  const svg = columnsWithLine(
    [
      { x: '2026-11-25', y: 3 },
      { x: '2026-11-26', y: 6 },
    ],
    [4, 8],
    { columnName: 'searches', lineName: 'latency', lineUnit: 'ms' },
  );
  assert.equal((svg.match(/<circle /g) ?? []).length, 2);
  assert.match(svg, /max 8 ms/);
  assert.match(svg, /11-26/);
});
