// The search worker and its client, in plain Node (the worker compiled by tsc to out/):
// replies matched to request ids, superseded searches cancelled, a dead worker replaced.
// Also the host's pure helpers for capture and re-anchoring.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { makeAnchor } from '../../src/core/memory/anchor';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { age, parseKeywordInput, previewLine } from '../../src/core/memory/preview';
import { relocateSnippet } from '../../src/core/memory/relocateText';
import { CoolingEmbedder } from '../../src/host/search/coolingEmbedder';
import { SearchCancelled, SearchClient } from '../../src/host/search/searchClient';
import type { WorkerSearchOptions } from '../../src/host/search/workerProtocol';
import { openTempStore } from '../helpers/tmp';

const WORKER = path.join(__dirname, '../../src/host/search/searchWorker.js');
const OPTIONS: WorkerSearchOptions = {
  limit: 20,
  rrfK: 60,
  weights: { keyword: 1, vector: 1 },
  filters: {},
  prefixLast: true,
};

describe('search worker client', () => {
  const store = openTempStore();
  const repo = new MemoryRepository(store);
  const ids = [
    'Token refresh must happen before the retry',
    'Refresh the cache after a deploy',
    'Unrelated note about fonts',
  ].map(
    (content, i) =>
      repo.add({
        content,
        contentType: i === 2 ? 'learning' : 'decision',
        ...(i === 0 ? { anchor: { file: 'src/auth.ts', startLine: 3, endLine: 3 } } : {}),
      }).id,
  );
  const logs: string[] = [];
  const client = new SearchClient(WORKER, (level, m) => logs.push(`${level}: ${m}`));
  after(() => client.dispose());
  client.configure({ dbPath: store.path, embedder: null });

  it('answers a search in the worker with hits, titles and the degradation said', async () => {
    const { result, titles } = await client.search('refresh', OPTIONS);
    assert.deepEqual(new Set(result.hits.map((h) => h.id)), new Set(ids.slice(0, 2)));
    assert.ok(
      result.hits.every((h) => h.snippet.includes('\u0002')),
      'snippets mark the matches',
    );
    assert.equal(titles.length, result.hits.length);
    assert.ok(titles.includes('Token refresh must happen before the retry'));
    assert.match(result.degraded ?? '', /Keyword results only: no embedding provider/);
  });

  it('honours limit and filters', async () => {
    assert.equal((await client.search('refresh', { ...OPTIONS, limit: 1 })).result.hits.length, 1);
    const { result } = await client.search('refresh', { ...OPTIONS, filters: { filePrefix: 'src/' } });
    assert.deepEqual(
      result.hits.map((h) => h.id),
      [ids[0]],
    );
  });

  it('cancels a superseded search in the same lane and matches replies by id', async () => {
    const first = client.search('refresh', OPTIONS, 'view');
    const second = client.search('fonts', OPTIONS, 'view');
    const other = client.search('cache', OPTIONS, 'other-lane');
    await assert.rejects(first, SearchCancelled);
    assert.deepEqual(
      (await second).result.hits.map((h) => h.id),
      [ids[2]],
    );
    assert.deepEqual(
      (await other).result.hits.map((h) => h.id),
      [ids[1]],
    );
    assert.equal(client.inFlight, 0);
  });

  it('runs many searches concurrently, each reply to its own request', async () => {
    const queries = ['refresh', 'fonts', 'cache', 'retry', 'deploy'];
    const results = await Promise.all(queries.map((q) => client.search(q, OPTIONS)));
    assert.deepEqual(
      results.map((r) => r.result.hits.length),
      [2, 1, 1, 1, 1],
    );
  });

  it('starts a new worker after the old one died', async () => {
    const worker = (client as unknown as { worker: { terminate(): Promise<number> } }).worker;
    await worker.terminate();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await client.search('fonts', OPTIONS)).result.hits.length, 1);
  });

  it('starts its thread ahead of use, then takes the configuration and searches as usual', async () => {
    const early = new SearchClient(WORKER, (level, m) => logs.push(`${level}: ${m}`));
    try {
      early.prestart(); // before any configuration: the thread starts, nothing is opened
      early.prestart(); // idempotent
      early.configure({ dbPath: store.path, embedder: null });
      const { result } = await early.search('refresh', OPTIONS);
      assert.equal(result.hits.length, 2);
    } finally {
      early.dispose();
    }
    early.prestart(); // after dispose: no new thread
    await assert.rejects(early.search('refresh', OPTIONS), /disposed/);
  });
});

describe('cooling embedder', () => {
  it('fails fast after a failure until the cool-down ends', async () => {
    let now = 0;
    let calls = 0;
    const inner = {
      id: 'ollama' as const,
      model: 'm',
      dimension: 2,
      probe: async () => ({ ok: true as const }),
      embed: async () => {
        calls++;
        throw new Error('Ollama is not running');
      },
    };
    const e = new CoolingEmbedder(inner, 30_000, () => now);
    await assert.rejects(e.embed(['x'], 'query'), /not running/);
    await assert.rejects(e.embed(['x'], 'query'), /not running \(retrying in 30 s\)/);
    assert.equal(calls, 1);
    now = 31_000;
    await assert.rejects(e.embed(['x'], 'query'), /not running/);
    assert.equal(calls, 2);
  });
});

describe('memory labels and re-anchoring', () => {
  it('previews the first meaningful line', () => {
    assert.equal(previewLine('\n/**\n * Refreshes the token.\n */\nfunction refresh() {}'), 'Refreshes the token.');
    assert.equal(previewLine('{\n  // retry twice\n}'), 'retry twice');
    assert.equal(previewLine('# Heading\ntext'), 'Heading');
    assert.equal(previewLine('x'.repeat(100), 10), 'xxxxxxxxx…');
    assert.equal(previewLine('   '), '');
  });

  it('says how old a memory is and splits keywords', () => {
    const now = Date.parse('2025-01-02T12:00:00Z');
    assert.equal(age('2025-01-02 11:59:30', now), 'just now');
    assert.equal(age('2025-01-02 09:00:00', now), '3 h ago');
    assert.equal(age('2024-12-30 12:00:00', now), '3 d ago');
    assert.deepEqual(parseKeywordInput(' auth, token-refresh  retry,,'), ['auth', 'token-refresh', 'retry']);
  });

  it('follows a snippet that moved, whole lines or a partial selection', () => {
    const before = 'a\nb\nconst x = refresh(token);\nc\n';
    const anchor = makeAnchor(before, 3, 3, { file: 'f.ts' });
    const after = 'new 1\nnew 2\n' + before;
    assert.deepEqual(relocateSnippet(before, anchor, 'const x = refresh(token);'), {
      startLine: 3,
      endLine: 3,
      how: 'same',
      sameSurroundings: true,
    });
    assert.deepEqual(relocateSnippet(after, anchor, 'const x = refresh(token);'), {
      startLine: 5,
      endLine: 5,
      how: 'moved',
      sameSurroundings: true,
    });
    const partial = relocateSnippet(after, anchor, 'refresh(token)');
    assert.equal(partial?.startLine, 5, 'a partial selection is found as text');
    assert.equal(relocateSnippet('nothing here', anchor, 'refresh(token)'), null);
    const secretFile = 'a\nconst key = "ghp_R8kq2ZpX7vLm4TnW9cYb3HsJ6dFa1GeQ0uNi";\nb\n';
    const secretAnchor = makeAnchor(secretFile, 2, 2, { file: 'k.ts' });
    assert.deepEqual(
      relocateSnippet('x\n' + secretFile, secretAnchor, 'const key = "[REDACTED:github-token]";'),
      { startLine: 3, endLine: 3, how: 'moved', sameSurroundings: false },
      'a redacted value matches whatever the file holds there',
    );
  });
});
