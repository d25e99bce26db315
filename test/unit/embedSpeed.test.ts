import assert from 'node:assert/strict';
import fs from 'node:fs';
import { it } from 'node:test';
import { BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import { loadWordVectors } from '../../src/core/embeddings/wordVectors';

/**
 * Throughput and memory of the built-in embedder on real code (15-line chunks of TypeScript's
 * own compiler source), reported as test diagnostics. Nothing here asserts a timing: machines
 * differ. Run alone: node --test out/test/unit/embedSpeed.test.js
 */
it('embeds thousands of code snippets per second in bounded memory (measured, not asserted)', async (t) => {
  const lines = fs.readFileSync(require.resolve('typescript/lib/typescript.js'), 'utf8').split('\n');
  const snippets: string[] = [];
  for (let i = 0; snippets.length < 10_000 && i < lines.length; i += 15)
    snippets.push(lines.slice(i, i + 15).join('\n'));
  const avgChars = Math.round(snippets.reduce((n, s) => n + s.length, 0) / snippets.length);
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

  const before = process.memoryUsage();
  let start = performance.now();
  const wv = loadWordVectors();
  const loadMs = performance.now() - start;
  const loaded = process.memoryUsage();

  const embedder = new BuiltinEmbedder();
  await embedder.embed(snippets.slice(0, 200), 'document'); // warm up the JIT
  start = performance.now();
  const cpuStart = process.cpuUsage();
  let unit = 0;
  let peakRss = 0;
  for (let i = 0; i < snippets.length; i += 500) {
    // Like the indexing queue: embed a batch, store it, drop it.
    for (const v of await embedder.embed(snippets.slice(i, i + 500), 'document')) {
      let sum = 0;
      for (const x of v) sum += x * x;
      if (Math.abs(sum - 1) < 1e-5) unit++;
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  t.diagnostic(
    `${snippets.length} snippets (avg ${avgChars} chars): ${Math.round(snippets.length / seconds)} snippets/s ` +
      `(${mb((snippets.length * avgChars) / seconds)} MB of text/s; ${Math.round(snippets.length / cpuSeconds)} per CPU second)`,
  );
  t.diagnostic(
    `asset load ${loadMs.toFixed(0)} ms; extra RSS after load ${mb(loaded.rss - before.rss)} MB, ` +
      `peak while embedding ${mb(peakRss - before.rss)} MB`,
  );
  assert.equal(unit, snippets.length);
  // The table itself is the bulk of what stays resident: a few MB, not the 300 MB source.
  assert.ok(wv.table.byteLength + wv.scales.byteLength < 12e6, `${wv.table.byteLength} bytes`);
});
