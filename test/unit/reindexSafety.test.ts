import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../src/core/db/open';
import { BUILTIN_MODEL, BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { CLI_MAIN } from '../helpers/cli';
import { runCliAsync } from '../helpers/cliAsync';
import { deadOllamaUrl, startFakeOllama } from '../helpers/fakeOllama';
import { assertIndexInSync } from '../helpers/invariants';
import { tempDir } from '../helpers/tmp';

/** A real database file with `n` memories, every one embedded by the built-in embedder. */
async function builtinDb(n: number): Promise<string> {
  const file = path.join(tempDir(), 'devstream.db');
  const store = openStore(file);
  try {
    const contents = Array.from({ length: n }, (_, i) => `memory ${i}: the retry queue backs off ${i} times`);
    const vectors = await new BuiltinEmbedder().embed(contents, 'document');
    new MemoryRepository(store).addMany(
      contents.map((content, i) => ({
        content,
        contentType: 'code' as const,
        embedding: { vector: vectors[i], model: BUILTIN_MODEL, provider: 'builtin' },
      })),
    );
  } finally {
    store.close();
  }
  return file;
}

/** What search reads: the recorded model, vectors per model, vec rows; and whether a stage is left. */
function vectorState(file: string) {
  const store = openStore(file, { readonly: true });
  try {
    const q = (sql: string) => store.db.prepare(sql).pluck().get();
    assertIndexInSync(store);
    return {
      model: q(`SELECT value FROM devstream_meta WHERE key = 'embedding_model'`),
      byModel: Object.fromEntries(
        (
          store.db
            .prepare(
              `SELECT embedding_model, count(*) AS n FROM semantic_memory
        WHERE embedding IS NOT NULL GROUP BY 1`,
            )
            .all() as { embedding_model: string; n: number }[]
        ).map((r) => [r.embedding_model, r.n]),
      ),
      vec: q(`SELECT count(*) FROM vec_semantic_memory`),
      staged: q(`SELECT count(*) FROM sqlite_master WHERE name = 'devstream_reindex_stage'`) === 1,
    };
  } finally {
    store.close();
  }
}

const reindexArgs = (file: string, url: string) => [
  '--db',
  file,
  'reindex',
  '--embedder',
  'ollama',
  '--ollama-url',
  url,
];

describe('reindex keeps the old vectors until the new ones are complete', () => {
  it('refuses, exit 1 and nothing changed, when the target embedder does not answer', async () => {
    const file = await builtinDb(13);
    const r = await runCliAsync(path.dirname(file), reindexArgs(file, await deadOllamaUrl()));
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /Cannot re-index with nomic-embed-text: .*Nothing was changed/);
    assert.doesNotMatch(r.out, /Re-indexed 0 of 13/);
    assert.deepEqual(vectorState(file), {
      model: BUILTIN_MODEL,
      byModel: { [BUILTIN_MODEL]: 13 },
      vec: 13,
      staged: false,
    });
  });

  it('Ollama dying midway leaves the old vectors searchable; a second run continues and swaps', async () => {
    const file = await builtinDb(40);
    const dying = await startFakeOllama({ dieAfterEmbeds: 1 }); // one batch of 16 staged, then gone
    const r = await runCliAsync(path.dirname(file), reindexArgs(file, dying.url));
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(
      r.out,
      new RegExp(`Re-indexed 16 of 40 memories .*stopped: .*still holds the ${BUILTIN_MODEL} vectors`),
    );
    assert.deepEqual(vectorState(file), {
      model: BUILTIN_MODEL,
      byModel: { [BUILTIN_MODEL]: 40 },
      vec: 40,
      staged: true,
    });
    const search = await runCliAsync(path.dirname(file), [
      '--db',
      file,
      '--json',
      'search',
      'retry queue',
      '--mode',
      'vector',
    ]);
    assert.equal(search.code, 0, search.err);
    assert.equal(search.json().length, 10, 'vector search still ranks with the old model');

    const back = await startFakeOllama();
    const again = await runCliAsync(path.dirname(file), reindexArgs(file, back.url));
    assert.equal(again.code, 0, again.out + again.err);
    assert.equal(back.embedCalls(), 2, 'only the 24 memories not staged by the first run are embedded (2 batches)');
    assert.deepEqual(vectorState(file), {
      model: 'nomic-embed-text',
      byModel: { 'nomic-embed-text': 40 },
      vec: 40,
      staged: false,
    });
  });

  it('a reindex process killed midway leaves the old vectors in place', async () => {
    const file = await builtinDb(40);
    const hanging = await startFakeOllama({ hangAfterEmbeds: 1 });
    const child = spawn(process.execPath, [CLI_MAIN, ...reindexArgs(file, hanging.url)], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 30_000;
    while (hanging.embedCalls() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(hanging.embedCalls(), 2, 'the second batch is in flight');
    child.kill('SIGKILL');
    await exited;
    assert.deepEqual(vectorState(file), {
      model: BUILTIN_MODEL,
      byModel: { [BUILTIN_MODEL]: 40 },
      vec: 40,
      staged: true,
    });
  });
});
