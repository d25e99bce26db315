import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { keywordScale, readVarint } from '../../src/core/search/keywordScale';
import { openTempStore } from '../helpers/tmp';

describe('keyword scale (what a full match of the query scores)', () => {
  it("sums FTS5's idf of the query words over this database", () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const n = 20;
    repo.addMany(
      Array.from({ length: n }, (_, i) => ({
        content: `note ${i} about caching${i < 2 ? ' and zeppelins' : ''}`,
        contentType: 'context' as const,
      })),
    );
    const idf = (k: number) => Math.max(1e-6, Math.log((n - k + 0.5) / (k + 0.5)));
    // "caching" is in every note (idf clamped), "zeppelins" in 2, "quokka" in none.
    assert.ok(Math.abs(keywordScale(store, 'caching') - idf(n)) < 1e-9);
    assert.ok(Math.abs(keywordScale(store, 'Zeppelins') - idf(2)) < 1e-9, 'case-folded like the index');
    assert.ok(Math.abs(keywordScale(store, 'zeppelins quokka') - (idf(2) + idf(0))) < 1e-9);
    assert.ok(
      Math.abs(keywordScale(store, 'the zeppelins and the zeppelins') - idf(2)) < 1e-9,
      'stop words dropped, repeats counted once',
    );
    assert.equal(keywordScale(store, '  ?! '), 1, 'no words: a neutral scale');
    // New rows change N at once (FTS5's own row count).
    repo.add({ content: 'one more about zeppelins', contentType: 'context' });
    const after = Math.log((n + 1 - 3 + 0.5) / (3 + 0.5));
    assert.ok(Math.abs(keywordScale(store, 'zeppelins') - after) < 1e-9);
    store.close();
  });

  it('counts a search-as-you-type prefix by its most frequent completion', () => {
    const store = openTempStore();
    const repo = new MemoryRepository(store);
    const n = 10;
    repo.addMany(
      Array.from({ length: n }, (_, i) => ({
        content: i < 4 ? `config file ${i}` : i < 6 ? `confetti ${i}` : `other ${i}`,
        contentType: 'context' as const,
      })),
    );
    const idf = (k: number) => Math.log((n - k + 0.5) / (k + 0.5));
    assert.ok(Math.abs(keywordScale(store, 'conf') - idf(0)) < 1e-9, 'as a word, no memory holds "conf"');
    assert.ok(Math.abs(keywordScale(store, 'conf', { prefixLast: true }) - idf(4)) < 1e-9, 'config: 4 memories');
    assert.ok(
      Math.abs(keywordScale(store, 'file conf', { prefixLast: true }) - (idf(4) + idf(4))) < 1e-9,
      'only the last word is a prefix',
    );
    store.close();
  });

  it('reads SQLite varints of every length', () => {
    assert.equal(readVarint(Uint8Array.of(0x05)), 5);
    assert.equal(readVarint(Uint8Array.of(0x81, 0x00)), 128);
    assert.equal(readVarint(Uint8Array.of(0x86, 0xc3, 0x17)), 106_903);
    assert.equal(readVarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)), 2 ** 64 - 255);
  });
});
