import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/core/db/store';
import { DevStreamError } from '../../src/core/errors';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { PlanRepository } from '../../src/core/plans';
import { keywordSearch } from '../../src/core/search/keywordSearch';
import { exportJsonl } from '../../src/core/transfer/exportJsonl';
import { importJsonl } from '../../src/core/transfer/importJsonl';
import { assertIndexInSync } from '../helpers/invariants';
import { randomUnitVector as unitVector, seededRandom } from '../helpers/random';
import { openTempStore } from '../helpers/tmp';

const ftsCount = (store: Store, match: string) =>
  store.db
    .prepare(`SELECT count(*) FROM fts_semantic_memory WHERE fts_semantic_memory MATCH ?`)
    .pluck()
    .get(match) as number;

describe('bulk inserts (staged: one statement per batch)', () => {
  it('addMany keeps input order, indexes every memory and vector, and is all or nothing on a taken id', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const r = seededRandom(3);
    // More than one batch, half with vectors, identifiers split into search terms.
    const inputs = Array.from({ length: 2_500 }, (_, i) => ({
      content: `memory ${i} calls fetchUserProfile${i % 10 === 0 ? ' and retryWebhookDelivery' : ''}`,
      contentType: 'code' as const,
      embedding: i % 2 === 0 ? { vector: unitVector(r), model: 'm', provider: 'p' } : undefined,
    }));
    const ids = repo.addMany(inputs);
    assert.equal(ids.length, 2_500);
    assert.deepEqual(
      store.db.prepare(`SELECT id FROM semantic_memory ORDER BY rowid`).pluck().all(),
      ids,
      'rowids follow input order',
    );
    assertIndexInSync(store);
    assert.equal(store.db.prepare(`SELECT count(*) FROM vec_semantic_memory`).pluck().get(), 1_250);
    assert.equal(ftsCount(store, 'webhook delivery'), 250, 'identifier parts are searchable');
    assert.equal(keywordSearch(store, 'webhook delivery', { limit: 5 }).length, 5);

    const before = repo.count();
    const taken = ids[1_700];
    assert.throws(
      () =>
        repo.addMany([
          { content: 'new one', contentType: 'context' },
          { id: taken, content: 'clash', contentType: 'context' },
        ]),
      (e: unknown) => e instanceof DevStreamError && e.code === 'conflict' && e.message.includes(taken),
    );
    assert.throws(
      () =>
        repo.addMany([
          { id: 'twin', content: 'a', contentType: 'context' },
          { id: 'twin', content: 'b', contentType: 'context' },
        ]),
      (e: unknown) => e instanceof DevStreamError && e.message.includes('twin'),
    );
    assert.throws(
      () =>
        repo.addMany([
          { content: 'fine', contentType: 'context' },
          { content: '   ', contentType: 'context' },
        ]),
      /empty/,
    );
    assert.equal(repo.count(), before, 'a failed addMany writes nothing');
    assertIndexInSync(store);
  });

  it('import stages memory runs, reports a bad row by its line, keeps the rest, and skips what exists', async () => {
    const source = openTempStore();
    const repo = new MemoryRepository(source);
    const r = seededRandom(4);
    repo.addMany(
      Array.from({ length: 3_000 }, (_, i) => ({
        content: `imported memory ${i} about parseInvoiceTotals`,
        contentType: 'learning' as const,
        embedding: { vector: unitVector(r), model: 'm', provider: 'p' },
      })),
    );
    const lines = [...exportJsonl(source)];
    // Line 1 is the header; break one memory late in the file.
    const badIndex = lines.findIndex((l, i) => i > 2_500 && l.includes('"semantic_memory"'));
    const bad = JSON.parse(lines[badIndex]);
    bad.row.content_type = 'not-a-type';
    lines[badIndex] = JSON.stringify(bad);

    const target = openTempStore();
    const first = await importJsonl(target, lines);
    assert.equal(first.errors.length, 1);
    assert.equal(first.errors[0].line, badIndex + 1);
    assert.match(
      first.errors[0].message,
      /^memory \w+: a value is not allowed \(content_type is "not-a-type"\)/,
      'in words, not SQLite text',
    );
    assert.equal(first.inserted.semantic_memory, 2_999);
    assert.equal(first.embeddingsDropped, 0);
    assertIndexInSync(target);
    assert.equal(target.db.prepare(`SELECT count(*) FROM vec_semantic_memory`).pluck().get(), 2_999);
    assert.equal(ftsCount(target, 'invoice totals'), 2_999);

    const again = await importJsonl(target, lines);
    assert.deepEqual(again.inserted, {});
    assert.equal(again.skipped, 2_999);
    assert.equal(again.errors.length, 1, 'the bad row is reported again, nothing else');
    assertIndexInSync(target);
  });

  it('import keeps stages across batches and rows of other shapes, other tables and repeats in file order', async () => {
    const source = openTempStore();
    const plan = new PlanRepository(source).createPlan({
      title: 'Imported plan',
      objectives: ['o'],
      expectedOutcome: 'e',
    });
    new MemoryRepository(source).addMany(
      Array.from({ length: 12_000 }, (_, i) => ({
        content: `row ${i} mentions computeShippingQuote`,
        contentType: 'context' as const,
        source: 'origin',
      })),
    );
    const lines = [...exportJsonl(source)];
    const memoryLines = lines.map((l, i) => (l.includes('"table":"semantic_memory"') ? i : -1)).filter((i) => i >= 0);
    assert.equal(memoryLines.length, 12_000);
    const edit = (i: number, change: (row: Record<string, unknown>) => void) => {
      const entry = JSON.parse(lines[i]);
      change(entry.row);
      lines[i] = JSON.stringify(entry);
    };
    // Other shapes: no search_terms (computed again), no source, a column this schema lacks.
    for (const i of memoryLines.slice(100, 120))
      edit(i, (row) => {
        delete row.search_terms;
      });
    for (const i of memoryLines.slice(200, 210))
      edit(i, (row) => {
        delete row.source;
      });
    for (const i of memoryLines.slice(300, 305))
      edit(i, (row) => {
        row.from_the_future = 'ignored';
      });
    // A plan in the middle of the memories, and one memory twice (the second is skipped).
    const planLine = lines.findIndex((l) => l.includes('"table":"intervention_plans"'));
    const [planEntry] = lines.splice(planLine, 1);
    const shifted = memoryLines.map((i) => (i > planLine ? i - 1 : i));
    lines.splice(shifted[5_000], 0, planEntry);
    lines.splice(shifted[11_000] + 1, 0, lines[shifted[10_990] + 1]);

    const target = openTempStore();
    const report = await importJsonl(target, lines);
    assert.deepEqual(report.errors, []);
    assert.equal(report.inserted.semantic_memory, 12_000);
    assert.equal(report.inserted.intervention_plans, 1);
    assert.equal(report.skipped, 1);
    assertIndexInSync(target);
    const ids = (store: Store) => store.db.prepare(`SELECT id FROM semantic_memory ORDER BY rowid`).pluck().all();
    assert.deepEqual(ids(target), ids(source), 'file order');
    assert.equal(
      target.db.prepare(`SELECT title FROM intervention_plans WHERE id = ?`).pluck().get(plan.id),
      'Imported plan',
    );
    assert.equal(ftsCount(target, 'shipping quote'), 12_000, 'search terms computed where the file had none');
    assert.equal(target.db.prepare(`SELECT count(*) FROM semantic_memory WHERE source IS NULL`).pluck().get(), 10);
    const sameRows = (sql: string) => assert.deepEqual(target.db.prepare(sql).all(), source.db.prepare(sql).all());
    sameRows(`SELECT id, content, content_type, search_terms, created_at FROM semantic_memory ORDER BY rowid`);
  });
});
