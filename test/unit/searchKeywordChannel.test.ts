import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { keywordChannel } from '../../src/core/search/keywordSearch';
import { openTempStore } from '../helpers/tmp';

describe('keyword channel', () => {
  it('ranks only the newest matches of a very common query, exactly otherwise, and ranks all when filters need it', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    store.db.exec(
      `INSERT INTO intervention_plans (id, title, objectives, expected_outcome) VALUES ('P1', 'Plan', '[]', 'done')`,
    );
    const ids = repo.addMany(
      Array.from({ length: 60 }, (_, i) => ({
        content: i === 0 ? 'the the the the oldest note' : `the note number ${i}${i === 30 ? ' zanzibar' : ''}`,
        contentType: 'context' as const,
        planId: i === 0 ? 'P1' : null,
      })),
    );
    const rowid = (id: string) =>
      store.db.prepare(`SELECT rowid FROM semantic_memory WHERE id = ?`).pluck().get(id) as number;

    const common = keywordChannel(store, 'the', { limit: 5, maxRanked: 10 });
    assert.equal(common.capped, true);
    assert.equal(common.hits.length, 5);
    assert.ok(
      common.hits.every((h) => rowid(h.id) > 50),
      'only the 10 newest matches were ranked',
    );
    assert.ok(!common.hits.some((h) => h.id === ids[0]), 'the best BM25 match is old: not seen when capped');
    assert.equal(keywordChannel(store, 'the', { limit: 5 }).hits[0].id, ids[0], 'uncapped: exact BM25 ranking');

    const filtered = keywordChannel(store, 'the', { limit: 5, maxRanked: 10, filters: { planId: 'P1' } });
    assert.deepEqual(
      filtered.hits.map((h) => h.id),
      [ids[0]],
      'filters left too few: every match ranked',
    );
    assert.equal(filtered.capped, false);

    const rare = keywordChannel(store, 'zanzibar', { limit: 5, maxRanked: 10 });
    assert.deepEqual([rare.hits.map((h) => h.id), rare.capped], [[ids[30]], false]);
    assert.deepEqual(keywordChannel(store, '  ()*  ', { limit: 5 }), { hits: [], match: null, capped: false });
  });
});
