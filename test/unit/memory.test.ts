import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '../../src/core/db/open';
import { DevStreamError } from '../../src/core/errors';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { CONTENT_TYPES, type ContentType } from '../../src/core/memory/types';
import { MAX_CONTENT_BYTES, truncateToBytes } from '../../src/core/memory/validate';
import { getVectorSpace, resetVectorSpace } from '../../src/core/memory/vectorSpace';
import { assertIndexInSync } from '../helpers/invariants';
import { randomUnitVector, seededRandom } from '../helpers/random';
import { openTempStore } from '../helpers/tmp';

const emb = (seed: number, model = 'test-model') => ({
  vector: randomUnitVector(seededRandom(seed)),
  model,
  provider: 'test',
});

describe('memory repository', () => {
  it('stores content, type, keywords, anchor, links and importance', () => {
    const store = openTempStore();
    store.db
      .exec(`INSERT INTO intervention_plans (id, title, objectives, expected_outcome) VALUES ('P1', 'p', '[]', 'o');
      INSERT INTO phases (id, plan_id, name, sequence_order) VALUES ('PH1', 'P1', 'ph', 1);
      INSERT INTO micro_tasks (id, phase_id, title, description) VALUES ('T1', 'PH1', 't', 'd');`);
    const repo = new MemoryRepository(store);
    const m = repo.add({
      content: 'function getUserById(id) { return db.users.find(id); }',
      contentType: 'code',
      keywords: ['Users', 'lookup', 'users'],
      anchor: { file: 'src\\users.ts', startLine: 10, endLine: 12, language: 'typescript', commit: 'abc123' },
      taskId: 'T1',
    });
    assert.equal(m.id.length, 32);
    assert.deepEqual(m.keywords, ['users', 'lookup']);
    assert.deepEqual(m.anchor, {
      file: 'src/users.ts',
      startLine: 10,
      endLine: 12,
      language: 'typescript',
      commit: 'abc123',
    });
    assert.deepEqual([m.planId, m.phaseId, m.taskId], ['P1', 'PH1', 'T1'], 'a task link implies its phase and plan');
    assert.equal(m.importanceScore, 0.7);
    assert.equal(m.contentFormat, 'code');
    assert.equal(m.hasEmbedding, false);
    assert.equal(
      repo.add({ content: 'Never retry POST without an idempotency key', contentType: 'error' }).importanceScore,
      0.9,
    );
    assert.deepEqual(
      repo.list({ filePrefix: 'src/' }).map((x) => x.id),
      [m.id],
    );
    assert.deepEqual(
      repo.inFile('src/users.ts').map((x) => x.id),
      [m.id],
    );
    assertIndexInSync(store);
  });

  it('rejects bad content with clear messages and writes nothing', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const rejects = (content: unknown, pattern: RegExp, type: unknown = 'context') =>
      assert.throws(
        () => repo.add({ content: content as string, contentType: type as ContentType }),
        (e: unknown) => e instanceof DevStreamError && pattern.test(e.message),
      );
    rejects('', /empty/);
    rejects('   \n\t ', /empty/);
    rejects('x'.repeat(MAX_CONTENT_BYTES + 1), /limit is 1\.0 MB/);
    rejects('abc\0def', /binary/);
    rejects('\x01\x02\x03\x04\x05\x06 binary-ish \x07\x08\x0e\x0f\x10\x11', /binary/);
    rejects('broken \ud800 surrogate', /not valid text/);
    rejects(42, /must be text/);
    rejects('fine', /Unknown content type 'note'.*code, documentation/, 'note');
    assert.throws(
      () => repo.add({ content: 'x', contentType: 'code', keywords: Array.from({ length: 40 }, (_, i) => `k${i}`) }),
      /At most 32 keywords/,
    );
    assert.throws(
      () => repo.add({ content: 'x', contentType: 'code', anchor: { file: 'a.ts', startLine: 5, endLine: 2 } }),
      /Invalid line range 5-2/,
    );
    assert.throws(() => repo.add({ content: 'x', contentType: 'code', taskId: 'nope' }), /No task with id nope/);
    assert.equal(repo.count(), 0);
  });

  it('truncates on a line boundary and says so', () => {
    const text = 'line of text\n'.repeat(200_000);
    const { text: cut, truncated } = truncateToBytes(text);
    assert.equal(truncated, true);
    assert.ok(Buffer.byteLength(cut) <= MAX_CONTENT_BYTES);
    assert.ok(cut.endsWith('line of text'));
    assert.equal(truncateToBytes('é'.repeat(10), 5).text, 'éé', 'never splits a character');
  });

  it('tracks access without rewriting FTS or vec rows', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const m = repo.add({ content: 'cache invalidation notes', contentType: 'learning', embedding: emb(1) });
    const ftsBefore = store.db.prepare(`SELECT rowid FROM fts_semantic_memory`).pluck().all();
    let ftsWrites = 0;
    store.db.function('count_write', () => ++ftsWrites);
    store.db.exec(
      `CREATE TEMP TRIGGER watch_fts AFTER UPDATE OF content ON semantic_memory BEGIN SELECT count_write(); END`,
    );
    repo.recordAccess([m.id, m.id]);
    const after = repo.require(m.id);
    assert.equal(after.accessCount, 2);
    assert.ok(after.lastAccessedAt);
    assert.equal(ftsWrites, 0);
    assert.deepEqual(store.db.prepare(`SELECT rowid FROM fts_semantic_memory`).pluck().all(), ftsBefore);
  });

  it('keeps one vector space: rejects another model or dimension, and resets cleanly', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const m = repo.add({ content: 'first', contentType: 'context', embedding: emb(1, 'model-a') });
    assert.equal(getVectorSpace(store).model, 'model-a');
    assert.throws(() => repo.setEmbedding(m.id, emb(2, 'model-b')), /holds 'model-a' vectors/);
    assert.throws(
      () => repo.setEmbedding(m.id, { vector: new Float32Array(5), model: 'model-a', provider: 'test' }),
      /5 dimensions but the vector index holds 768/,
    );
    const cleared = resetVectorSpace(store, { dimension: 16, model: 'tiny', provider: 'test' });
    assert.equal(cleared, 1);
    assert.deepEqual(
      repo.pendingEmbedding().map((p) => p.id),
      [m.id],
    );
    repo.setEmbedding(m.id, { vector: randomUnitVector(seededRandom(3), 16), model: 'tiny', provider: 'test' });
    assert.equal(repo.require(m.id).embeddingDimension, 16);
    assertIndexInSync(store);
  });

  it('editing content clears the stale embedding so it is embedded again', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const m = repo.add({ content: 'old text', contentType: 'context', embedding: emb(1) });
    repo.update(m.id, { keywords: ['tag'] });
    assert.equal(repo.require(m.id).hasEmbedding, true, 'keywords alone keep the embedding');
    repo.update(m.id, { content: 'new text' });
    assert.equal(repo.require(m.id).hasEmbedding, false);
    assertIndexInSync(store);
  });

  it('stays in sync through a random mix of inserts, updates, archives and deletes', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const rnd = seededRandom(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const ids: string[] = [];
    for (let step = 0; step < 400; step++) {
      const r = rnd();
      if (r < 0.4 || ids.length === 0) {
        ids.push(
          repo.add({
            content: `memory ${step} about ${pick(['queues', 'caches', 'parsers'])}`,
            contentType: pick(CONTENT_TYPES),
            embedding: rnd() < 0.6 ? emb(step) : undefined,
          }).id,
        );
      } else if (r < 0.55) {
        repo.update(pick(ids), { content: `rewritten at ${step}`, contentType: pick(CONTENT_TYPES) });
      } else if (r < 0.7) {
        repo.setEmbedding(pick(ids), emb(step));
      } else if (r < 0.8) {
        repo.recordAccess([pick(ids)]);
      } else if (r < 0.87) {
        repo.archive(pick(ids), rnd() < 0.5);
      } else {
        const id = ids.splice(Math.floor(rnd() * ids.length), 1)[0];
        assert.equal(repo.delete(id), true);
      }
      if (step % 50 === 0) assertIndexInSync(store);
    }
    assertIndexInSync(store);
    assert.equal(repo.count(), ids.length);
  });

  it('resolves unique id prefixes', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const a = repo.add({ id: 'abcd1111', content: 'a', contentType: 'context' });
    repo.add({ id: 'abcd2222', content: 'b', contentType: 'context' });
    assert.equal(repo.resolveId('abcd1'), a.id);
    assert.throws(() => repo.resolveId('abcd'), /matches several/);
    assert.throws(() => repo.resolveId('zzzz'), /No memory/);
    assert.throws(() => repo.add({ id: 'abcd1111', content: 'dup', contentType: 'context' }), /already exists/);
  });

  it('is read-only, with a clear message, when sqlite-vec is missing', () => {
    const first = openTempStore();
    new MemoryRepository(first).add({ content: 'kept', contentType: 'context' });
    first.close();
    const store = openStore(first.path, { withoutVectors: true });
    try {
      const repo = new MemoryRepository(store);
      assert.equal(repo.list().length, 1);
      assert.throws(() => repo.add({ content: 'new', contentType: 'context' }), /read-only.*sqlite-vec/);
    } finally {
      store.close();
    }
  });
});
