import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/core/db/store';
import { DevStreamError } from '../../src/core/errors';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { keywordSearch } from '../../src/core/search/keywordSearch';
import { exportJsonl } from '../../src/core/transfer/exportJsonl';
import { importJsonl } from '../../src/core/transfer/importJsonl';
import { assertIndexInSync } from '../helpers/invariants';
import { randomUnitVector as unitVector, seededRandom } from '../helpers/random';
import { openTempStore } from '../helpers/tmp';

const ftsCount = (store: Store, match: string) =>
  store.db.prepare(`SELECT count(*) FROM fts_semantic_memory WHERE fts_semantic_memory MATCH ?`).pluck().get(match) as number;

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
    assert.deepEqual(store.db.prepare(`SELECT id FROM semantic_memory ORDER BY rowid`).pluck().all(), ids, 'rowids follow input order');
    assertIndexInSync(store);
    assert.equal(store.db.prepare(`SELECT count(*) FROM vec_semantic_memory`).pluck().get(), 1_250);
    assert.equal(ftsCount(store, 'webhook delivery'), 250, 'identifier parts are searchable');
    assert.equal(keywordSearch(store, 'webhook delivery', { limit: 5 }).length, 5);

    const before = repo.count();
    const taken = ids[1_700];
    assert.throws(
      () => repo.addMany([{ content: 'new one', contentType: 'context' }, { id: taken, content: 'clash', contentType: 'context' }]),
      (e: unknown) => e instanceof DevStreamError && e.code === 'conflict' && e.message.includes(taken),
    );
    assert.throws(
      () => repo.addMany([{ id: 'twin', content: 'a', contentType: 'context' }, { id: 'twin', content: 'b', contentType: 'context' }]),
      (e: unknown) => e instanceof DevStreamError && e.message.includes('twin'),
    );
    assert.throws(() => repo.addMany([{ content: 'fine', contentType: 'context' }, { content: '   ', contentType: 'context' }]), /empty/);
    assert.equal(repo.count(), before, 'a failed addMany writes nothing');
    assertIndexInSync(store);
  });

  it('import stages memory runs, reports a bad row by its line, keeps the rest, and skips what exists', async () => {
    const source = openTempStore();
    const repo = new MemoryRepository(source);
    const r = seededRandom(4);
    repo.addMany(Array.from({ length: 3_000 }, (_, i) => ({
      content: `imported memory ${i} about parseInvoiceTotals`,
      contentType: 'learning' as const,
      embedding: { vector: unitVector(r), model: 'm', provider: 'p' },
    })));
    const lines = [...exportJsonl(source)];
    // Line 1 is the header; break one memory in the middle of the second batch.
    const badIndex = lines.findIndex((l, i) => i > 2_500 && l.includes('"semantic_memory"'));
    const bad = JSON.parse(lines[badIndex]);
    bad.row.content_type = 'not-a-type';
    lines[badIndex] = JSON.stringify(bad);

    const target = openTempStore();
    const first = await importJsonl(target, lines);
    assert.equal(first.errors.length, 1);
    assert.equal(first.errors[0].line, badIndex + 1);
    assert.match(first.errors[0].message, /CHECK constraint/);
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
});
