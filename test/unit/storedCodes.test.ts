import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore, type OpenedStore } from '../../src/core/db/open';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import type { ContentType } from '../../src/core/memory/types';
import { resetVectorSpace } from '../../src/core/memory/vectorSpace';
import { diagnose } from '../../src/core/db/doctor';
import { storedCodesInfo, storedCodesStatus } from '../../src/core/search/storedCodes';
import { vectorIndexFor } from '../../src/core/search/vectorIndexSync';
import { vectorSearch } from '../../src/core/search/vectorSearch';
import { randomUnitVector, seededRandom } from '../helpers/random';
import { openTempStore } from '../helpers/tmp';

const MODEL = { model: 'test-model', provider: 'builtin' };
const TYPES: ContentType[] = ['code', 'decision', 'learning'];

function seed(store: OpenedStore, n: number, seedValue = 42): void {
  const rnd = seededRandom(seedValue);
  new MemoryRepository(store).addMany(
    Array.from({ length: n }, (_, i) => ({
      id: `mem${String(i).padStart(4, '0')}`,
      content: `memory number ${i}`,
      contentType: TYPES[i % TYPES.length],
      embedding: { vector: randomUnitVector(rnd), ...MODEL },
    })),
  );
}

/** A host's index: loaded, and its codes stored right after (as the scheduled store does). */
function hostStores(store: OpenedStore): void {
  const sync = vectorIndexFor(store);
  sync.loadSync();
  assert.equal(sync.storeCodes(), true, 'the codes were stored');
}

/**
 * The same search through a fresh connection that never asked for the index, and through vec0.
 * Random vectors are isotropic, where 1-bit codes pick candidates poorly, so every candidate is
 * rescored: the answers then match vec0's exactly when the codes hold every vector, rowid and type.
 */
function oneShot(file: string, q: Float32Array, limit = 10, type?: ContentType) {
  const s = openStore(file);
  try {
    const filters = { contentType: type };
    const viaStored = vectorSearch(s, q, { limit, filters, rescore: 5000 });
    const exact = vectorSearch(s, q, { limit, filters, useIndex: false });
    return { viaStored, exact, from: vectorIndexFor(s).loadedFrom, status: vectorIndexFor(s).status };
  } finally {
    s.close();
  }
}

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('vector index codes stored in the database', () => {
  it('lets a one-shot process search from the stored codes, with the exact answers vec0 gives', () => {
    const host = openTempStore();
    seed(host, 300);
    hostStores(host);
    const info = storedCodesInfo(host);
    assert.equal(info?.count, 300);
    assert.equal(info?.model, 'test-model');

    for (const [i, type] of [[1], [2, 'decision' as const], [3, 'learning' as const]] as const) {
      const q = randomUnitVector(seededRandom(100 + i));
      const r = oneShot(host.path, q, 10, type);
      assert.equal(r.viaStored.via, 'index');
      assert.equal(r.from, 'stored codes');
      assert.equal(r.exact.via, 'vec0');
      assert.deepEqual(ids(r.viaStored.hits), ids(r.exact.hits), `query ${i}`);
      assert.deepEqual(
        r.viaStored.hits.map((h) => h.distance),
        r.exact.hits.map((h) => h.distance),
      );
      // At the default rescoring depth the restored codes pick what the host's own index picks.
      const s = openStore(host.path);
      try {
        const restored = vectorSearch(s, q, { limit: 10, filters: { contentType: type } });
        const own = vectorSearch(host, q, { limit: 10, filters: { contentType: type } });
        assert.equal(own.via, 'index');
        assert.deepEqual(ids(restored.hits), ids(own.hits));
      } finally {
        s.close();
      }
    }
  });

  it('replays what other writers changed after the codes were stored, and never returns a deleted memory', () => {
    const host = openTempStore();
    seed(host, 200);
    hostStores(host);
    host.close();
    const writer = openStore(host.path);
    const q = randomUnitVector(seededRandom(7));
    try {
      const repo = new MemoryRepository(writer);
      repo.add({ id: 'newest', content: 'added later', contentType: 'code', embedding: { vector: q, ...MODEL } });
      repo.setEmbedding('mem0005', { vector: Float32Array.from(q, (x, i) => x + (i % 3 ? 0.01 : -0.01)), ...MODEL });
      repo.update('mem0005', { contentType: 'error' });
      const before = oneShot(host.path, q, 20);
      const nearest = ids(before.exact.hits).filter((id) => id !== 'newest' && id !== 'mem0005')[0];
      repo.delete(nearest);
      writer.db.prepare(`DELETE FROM semantic_memory WHERE id = 'mem0010'`).run();
    } finally {
      writer.close();
    }
    const r = oneShot(host.path, q, 20);
    assert.equal(r.from, 'stored codes');
    assert.deepEqual(ids(r.viaStored.hits), ids(r.exact.hits));
    assert.deepEqual(ids(r.viaStored.hits).slice(0, 2), ['newest', 'mem0005']);
    assert.ok(!ids(r.viaStored.hits).includes('mem0010'));
    const typed = oneShot(host.path, q, 5, 'error');
    assert.deepEqual(ids(typed.viaStored.hits), ids(typed.exact.hits));
    assert.equal(ids(typed.viaStored.hits)[0], 'mem0005', 'a type move is replayed');
  });

  it('ignores stored codes that are too far behind, of another vector space, or damaged: vec0 answers', () => {
    const host = openTempStore();
    seed(host, 120);
    hostStores(host);
    const q = randomUnitVector(seededRandom(3));
    const check = (why: string) => {
      const r = oneShot(host.path, q);
      assert.equal(r.viaStored.via, 'vec0', why);
      assert.equal(r.status, 'idle', `${why}: no background load in a one-shot process`);
      assert.deepEqual(ids(r.viaStored.hits), ids(r.exact.hits));
    };
    const row = () => host.db.prepare(`SELECT * FROM vector_index_codes`).get() as Record<string, unknown>;
    const saved = row();
    const put = (changes: Record<string, unknown>) => {
      const r = { ...saved, ...changes };
      host.db
        .prepare(
          `INSERT OR REPLACE INTO vector_index_codes VALUES
          (@id, @format, @model, @dimension, @seq, @count, @written_at, @rowids, @types, @codes)`,
        )
        .run(r);
    };

    put({ codes: (saved.codes as Buffer).subarray(1) });
    check('codes of the wrong length');
    put({ format: 'signs-hadamard-other/768' });
    check('another code format');
    put({ model: 'other-model' });
    check('another model');
    put({ seq: (saved.seq as number) + 5 });
    check('codes claiming changes the changelog has not seen');

    put({});
    const r = oneShot(host.path, q);
    assert.equal(r.viaStored.via, 'index', 'the untouched row is used again');

    // The log wrapped: the oldest entries, down to one after the stored seq, were trimmed.
    const log = host.db.prepare(`INSERT INTO vec_changelog (memory_rowid) SELECT min(rowid) FROM semantic_memory`);
    for (let i = 0; i < 3; i++) log.run();
    host.db.prepare(`DELETE FROM vec_changelog WHERE seq <= ?`).run((saved.seq as number) + 1);
    check('entries after the stored seq were trimmed');

    // More than a one-shot search replays: 2,001 changelog entries after freshly stored codes.
    hostStores(host);
    host.db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2001)
        INSERT INTO vec_changelog (memory_rowid) SELECT (SELECT min(rowid) FROM semantic_memory) FROM n`,
      )
      .run();
    check('too far behind');

    // A table that cannot be read as expected (hand-edited): ignored, and a host still loads.
    host.db.exec(`DROP TABLE vector_index_codes; CREATE TABLE vector_index_codes (id INTEGER PRIMARY KEY)`);
    check('an unreadable table');
    const s = openStore(host.path);
    try {
      vectorIndexFor(s).loadSync();
      assert.equal(vectorIndexFor(s).loadedFrom, 'vectors');
      assert.equal(vectorIndexFor(s).storeCodes(), false, 'nothing written into a table of another shape');
    } finally {
      s.close();
    }
  });

  it('starts a host from the stored codes, stores them again as changes pile up, and forgets them on a model switch', async () => {
    const host = openTempStore();
    seed(host, 150);
    hostStores(host);
    host.close();

    const second = openStore(host.path);
    try {
      const sync = vectorIndexFor(second, { storeAbove: 100 }); // the default (2,000) would skip 1,150
      await sync.load();
      assert.equal(sync.loadedFrom, 'stored codes');
      assert.equal(sync.stats.vectors, 150);

      // 1,000 new vectors written by this host: the next search replays them and stores the codes again.
      const before = storedCodesInfo(second)!.seq;
      const rnd = seededRandom(9);
      const repo = new MemoryRepository(second);
      repo.addMany(
        Array.from({ length: 1000 }, (_, i) => ({
          id: `more${i}`,
          content: `more ${i}`,
          contentType: 'code' as const,
          embedding: { vector: randomUnitVector(rnd), ...MODEL },
        })),
      );
      const q = randomUnitVector(rnd);
      const r = vectorSearch(second, q, { limit: 10 });
      assert.equal(r.via, 'index');
      await tick();
      const after = storedCodesInfo(second)!;
      assert.equal(after.count, 1150);
      assert.ok(after.seq >= before + 1000, `stored again at seq ${after.seq} (was ${before})`);
      assert.deepEqual(
        ids(oneShot(second.path, q).viaStored.hits),
        ids(vectorSearch(second, q, { limit: 10, rescore: 5000 }).hits),
      );

      resetVectorSpace(second, { dimension: 16, model: 'small', provider: 'builtin' });
      assert.equal(storedCodesInfo(second), undefined, 'codes of the old vector space are gone');
    } finally {
      second.close();
    }
  });

  it('leaves small indexes to be read again: a host stores codes by itself from 2,000 vectors up', async () => {
    const small = openTempStore();
    seed(small, 1999);
    await vectorIndexFor(small).load();
    await tick();
    assert.equal(storedCodesInfo(small), undefined, '1,999 vectors: nothing written');
    const large = openTempStore();
    seed(large, 2000);
    await vectorIndexFor(large).load();
    await tick();
    assert.equal(storedCodesInfo(large)?.count, 2000, 'stored after the load, without being asked');
  });

  it('tells the doctor what is stored and how far behind it is', () => {
    const host = openTempStore();
    seed(host, 40);
    assert.equal(diagnose(host).indexCodes, undefined, 'nothing stored yet');
    hostStores(host);
    assert.deepEqual(diagnose(host).indexCodes, { memories: 40, behind: 0, current: true });
    new MemoryRepository(host).delete('mem0001');
    new MemoryRepository(host).delete('mem0002');
    assert.deepEqual(storedCodesStatus(host), { memories: 40, behind: 2, current: true });
    host.db.prepare(`UPDATE vector_index_codes SET model = 'old-model'`).run();
    assert.equal(storedCodesStatus(host)?.current, false);
    assert.equal(diagnose(host).healthy, true, 'a stale cache is not a problem');
  });

  it('skips storing on a read-only connection and when another writer holds the lock', () => {
    const host = openTempStore();
    seed(host, 50);
    host.close();
    const ro = openStore(host.path, { readonly: true });
    try {
      vectorIndexFor(ro).loadSync();
      assert.equal(vectorIndexFor(ro).storeCodes(), false);
    } finally {
      ro.close();
    }
    const a = openStore(host.path);
    const b = openStore(host.path);
    try {
      vectorIndexFor(a).loadSync();
      b.db.exec('BEGIN IMMEDIATE');
      assert.equal(vectorIndexFor(a).storeCodes(), false, 'busy: skipped, not waited for');
      b.db.exec('ROLLBACK');
      assert.equal(storedCodesInfo(a), undefined);
      assert.equal(vectorIndexFor(a).status, 'ready', 'the index itself is unaffected');
    } finally {
      a.close();
      b.close();
    }
  });
});
