import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WordIndex } from '../../src/core/embeddings/wordIndex';

const indexOf = (words: string[]) => new WordIndex(Buffer.from(words.join('\n'), 'utf8'), words.length);

describe('word index over a word list', () => {
  it('finds every word at its row and nothing else, ASCII or not', () => {
    const words = ['the', 'a', 'parse', 'parser', 'naïve', 'größe', 'データ', 'x', 'pars'];
    const index = indexOf(words);
    words.forEach((w, row) => {
      assert.equal(index.get(w), row, w);
      assert.equal(index.word(row), w);
    });
    for (const missing of ['', 'th', 'thee', 'parses', 'naive', 'grösse', 'データベース', 'X', 'PARSE']) {
      assert.equal(index.get(missing), undefined, JSON.stringify(missing));
      assert.equal(index.has(missing), false);
    }
  });

  it('agrees with a Map on thousands of words, including near-misses that share hash slots', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}${'ab'[i % 2]}`);
    const index = indexOf(words);
    const map = new Map(words.map((w, i) => [w, i]));
    for (const w of words) assert.equal(index.get(w), map.get(w));
    for (const w of words.map((x) => x + 'z').concat(words.map((x) => x.slice(1)))) {
      assert.equal(index.get(w), map.get(w), w);
    }
  });

  it('refuses a list whose word count is not what the header says', () => {
    assert.throws(() => new WordIndex(Buffer.from('a\nb\nc'), 2), /more than 2 words/);
    assert.throws(() => new WordIndex(Buffer.from('a\nb'), 3), /2 words in the list, expected 3/);
  });
});
