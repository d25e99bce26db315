import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DevStreamError } from '../../src/core/errors';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { buildFtsQuery } from '../../src/core/search/ftsQuery';
import { keywordSearch } from '../../src/core/search/keywordSearch';
import { QUERY_ATOMS } from '../helpers/queryAtoms';
import { seededRandom } from '../helpers/random';
import { openTempStore } from '../helpers/tmp';

function seeded() {
  const store = openTempStore();
  const repo = new MemoryRepository(store);
  const ids = {
    user: repo.add({
      content: 'export function getUserById(id: string) { return users.get(id); }',
      contentType: 'code',
      anchor: { file: 'src/users.ts', startLine: 3, endLine: 5 },
    }).id,
    retry: repo.add({
      content: 'Decision: retry webhooks with exponential backoff, at most 5 times.',
      contentType: 'decision',
      keywords: ['webhook'],
    }).id,
    cafe: repo.add({ content: 'The café menu parser handles naïve UTF-8 input', contentType: 'documentation' }).id,
    archived: repo.add({ content: 'old webhook retry notes, superseded', contentType: 'context' }).id,
  };
  repo.archive(ids.archived);
  return { store, repo, ids };
}

describe('keyword search', () => {
  it("weighs a multi-line memory's first line (its title) above its body, by parts too", () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const titled = repo.add({
      content: 'def flushPendingWrites(queue):\n    for item in queue:\n        item.send()',
      contentType: 'code',
    }).id;
    const body = repo.add({
      content: 'def drain(queue):\n    # flush the pending writes of the queue before it closes\n    queue.close()',
      contentType: 'code',
    }).id;
    const oneLine = repo.add({ content: 'flush pending writes when the queue closes', contentType: 'learning' });
    assert.equal(
      store.db.prepare(`SELECT title_terms FROM semantic_memory WHERE id = ?`).pluck().get(titled),
      'def flushPendingWrites(queue): flush pending writes flushPendingWrites flush pending writes',
      'the line, its identifier parts, then the name it defines once more',
    );
    assert.equal(
      store.db.prepare(`SELECT title_terms FROM semantic_memory WHERE id = ?`).pluck().get(oneLine.id),
      null,
      'one line is all body',
    );
    const ids = keywordSearch(store, 'flush pending writes').map((h) => h.id);
    assert.ok(ids.indexOf(titled) < ids.indexOf(body), `title match first: ${ids.join(', ')}`);
    // Editing moves the title with the content.
    repo.update(titled, { content: 'def other():\n    pass' });
    assert.equal(
      store.db.prepare(`SELECT title_terms FROM semantic_memory WHERE id = ?`).pluck().get(titled),
      'def other(): other',
    );
    assert.ok(!keywordSearch(store, 'flush pending writes').some((h) => h.id === titled));
    store.close();
  });

  it('finds lower-case compounds by the words they are made of', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const read = repo.add({ content: 'def next_record(f):\n    return f.readline().strip()', contentType: 'code' }).id;
    const vital = repo.add({ content: 'an important note about imports', contentType: 'learning' }).id;
    const terms = (id: string) =>
      String(store.db.prepare(`SELECT search_terms FROM semantic_memory WHERE id = ?`).pluck().get(id));
    assert.match(terms(read), /\bread line\b/);
    assert.doesNotMatch(terms(vital), /\bant\b/, 'a common word is not split into rarer ones');
    assert.equal(keywordSearch(store, 'read a line')[0]?.id, read);
    store.close();
  });

  it('gives a signature its name as title words, whatever the language', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const title = (content: string) =>
      store.db
        .prepare(`SELECT title_terms FROM semantic_memory WHERE id = ?`)
        .pluck()
        .get(repo.add({ content, contentType: 'code' }).id);
    assert.equal(title('def tar_open(cls, name):\n    pass'), 'def tar_open(cls, name): tar open tar open');
    assert.equal(title('class TarFile:\n    x = 1'), 'class TarFile: tar file TarFile tar file');
    assert.equal(title('  async getValue() {\n  }'), 'async getValue() { get value getValue get value');
    assert.equal(title('const onSave = (doc) => {\n}'), 'const onSave = (doc) => { on save onSave on save');
    assert.equal(title('Decision: keep WAL mode\nbecause readers never block'), 'Decision: keep WAL mode wal');
    store.close();
  });

  it('finds code identifiers by their parts and by the whole word', () => {
    const { store, ids } = seeded();
    assert.equal(keywordSearch(store, 'user id')[0]?.id, ids.user);
    assert.equal(keywordSearch(store, 'getUserById')[0]?.id, ids.user);
    assert.equal(keywordSearch(store, 'UserBy')[0]?.id, ids.user);
  });

  it('ranks by BM25, highlights matches, skips archived unless asked', () => {
    const { store, ids } = seeded();
    const hits = keywordSearch(store, 'webhook retry');
    assert.deepEqual(
      hits.map((h) => h.id),
      [ids.retry],
    );
    assert.match(hits[0].snippet, /\u0002retry\u0003 \u0002webhooks\u0003|\u0002retry\u0003/);
    assert.equal(hits[0].keywordRank, 1);
    const withArchived = keywordSearch(store, 'webhook retry', { includeArchived: true });
    assert.deepEqual(new Set(withArchived.map((h) => h.id)), new Set([ids.retry, ids.archived]));
    assert.ok(withArchived[0].score >= withArchived[1].score, 'higher score first');
  });

  it('folds diacritics and filters by type and file', () => {
    const { store, ids } = seeded();
    assert.equal(keywordSearch(store, 'cafe naive')[0]?.id, ids.cafe);
    assert.deepEqual(keywordSearch(store, 'users', { contentType: 'decision' }), []);
    assert.equal(keywordSearch(store, 'users', { filePrefix: 'src/' })[0]?.id, ids.user);
    assert.deepEqual(keywordSearch(store, 'users', { filePrefix: 'lib/' }), []);
  });

  it('falls back to any word when all words find too little', () => {
    const { store, ids } = seeded();
    assert.equal(keywordSearch(store, 'webhooks zebra')[0]?.id, ids.retry);
  });

  it('searches as you type with a prefix on the last word', () => {
    const { store, ids } = seeded();
    assert.equal(keywordSearch(store, 'expon', { prefixLast: true })[0]?.id, ids.retry);
    assert.deepEqual(keywordSearch(store, 'expon'), []);
  });

  it('passes FTS5 syntax through in advanced mode, with a clear error when invalid', () => {
    const { store, ids } = seeded();
    assert.deepEqual(
      keywordSearch(store, 'retry NOT webhooks', { advanced: true, includeArchived: true }).map((h) => h.id),
      [ids.archived],
    );
    assert.equal(keywordSearch(store, '"exponential backoff"', { advanced: true })[0]?.id, ids.retry);
    assert.throws(
      () => keywordSearch(store, 'retry AND (', { advanced: true }),
      (e: unknown) => e instanceof DevStreamError && /Invalid search syntax/.test(e.message),
    );
  });

  it('treats every character of plain input as text', () => {
    assert.equal(
      buildFtsQuery('content:foo OR "bar* NEAR(x y)'),
      '"content" AND "foo" AND "bar" AND "near" AND "x" AND "y"',
    );
    assert.equal(buildFtsQuery('the of and'), '"the" AND "of" AND "and"', 'only stop words: keep them');
    assert.equal(buildFtsQuery('the parser'), '"parser"');
    assert.equal(buildFtsQuery('🙂 ()*'), null);
  });

  it('never throws on hostile input (fuzz, fixed seed)', () => {
    const { store } = seeded();
    const rnd = seededRandom(2024);
    const atoms = QUERY_ATOMS;
    let searched = 0;
    for (let i = 0; i < 600; i++) {
      const n = 1 + Math.floor(rnd() * 8);
      let q = '';
      for (let j = 0; j < n; j++) q += atoms[Math.floor(rnd() * atoms.length)] + (rnd() < 0.5 ? ' ' : '');
      const hits = keywordSearch(store, q, { prefixLast: rnd() < 0.5, limit: 1 + Math.floor(rnd() * 50) });
      assert.ok(Array.isArray(hits));
      searched++;
    }
    assert.equal(searched, 600);
    assert.deepEqual(keywordSearch(store, ''), []);
    assert.deepEqual(keywordSearch(store, ' '.repeat(100_000)), []);
  });
});
