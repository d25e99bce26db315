import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { openStore } from '../../src/core/db/open';
import { BUILTIN_MODEL, BuiltinEmbedder } from '../../src/core/embeddings/builtin';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { getVectorSpace } from '../../src/core/memory/vectorSpace';
import { runCli } from '../helpers/cli';
import { runCliAsync } from '../helpers/cliAsync';
import { startFakeOllama } from '../helpers/fakeOllama';
import { makeLegacyDb } from '../helpers/legacyDb';
import { randomUnitVector, seededRandom } from '../helpers/random';
import { tempDir } from '../helpers/tmp';

const byModel = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      (
        db
          .prepare(
            `SELECT coalesce(embedding_model, '?') AS m, count(*) AS n FROM semantic_memory
      WHERE embedding IS NOT NULL GROUP BY 1`,
          )
          .all() as { m: string; n: number }[]
      ).map((r) => [r.m, r.n]),
    );
  } finally {
    db.close();
  }
};

describe('one vector space per index', () => {
  it('the 2.1.0 upgrade records the nomic model, so a built-in vector can no longer claim the index', async () => {
    const file = path.join(tempDir(), 'devstream.db');
    const { embedded } = makeLegacyDb(file);
    const store = openStore(file);
    try {
      assert.deepEqual(getVectorSpace(store), { dimension: 768, model: 'nomic-embed-text', provider: 'ollama' });
      assert.equal(store.migration.legacy?.vectorModel, 'nomic-embed-text');
      const [vector] = await new BuiltinEmbedder().embed(['a new note'], 'document');
      assert.throws(
        () =>
          new MemoryRepository(store).add({
            content: 'a new note',
            contentType: 'context',
            embedding: { vector, model: BUILTIN_MODEL, provider: 'builtin' },
          }),
        /nomic-embed-text/,
      );
      assert.deepEqual(
        byModel(file),
        { 'nomic-embed-text': embedded - 1 },
        'the invalid one was cleared, no other vectors',
      );
    } finally {
      store.close();
    }
    // With Ollama (a real HTTP server speaking its API) new memories and queries use nomic too.
    const ollama = await startFakeOllama();
    const add = await runCliAsync(path.dirname(file), [
      '--db',
      file,
      '--json',
      'memory',
      'add',
      '--text',
      'retry queue notes',
      '--ollama-url',
      ollama.url,
    ]);
    assert.equal(add.code, 0, add.err);
    assert.equal(add.json().hasEmbedding, true);
    assert.deepEqual(byModel(file), { 'nomic-embed-text': embedded });
    const doctor = runCli(path.dirname(file), ['--db', file, '--json', 'doctor']);
    assert.equal(doctor.code, 0, doctor.out);
    assert.equal(doctor.json().problems.foreignVectors, 0);
  });

  it('the upgrade keeps one model of a 2.1.0 file that mixed two, and clears the other', () => {
    const file = path.join(tempDir(), 'devstream.db');
    const { embedded } = makeLegacyDb(file);
    const raw = new Database(file);
    sqliteVec.load(raw); // the 2.1.0 triggers write to vec0
    const minilm = raw
      .prepare(
        `UPDATE semantic_memory SET embedding_model = 'all-minilm' WHERE rowid IN
      (SELECT rowid FROM semantic_memory WHERE embedding IS NOT NULL AND id <> 'LEG-2' LIMIT 5)`,
      )
      .run().changes;
    raw.close();
    const store = openStore(file);
    try {
      assert.equal(getVectorSpace(store).model, 'nomic-embed-text');
      assert.equal(store.migration.legacy?.foreignVectorsCleared, minilm);
    } finally {
      store.close();
    }
    assert.deepEqual(byModel(file), { 'nomic-embed-text': embedded - 1 - minilm });
  });

  it('doctor reports an index another model claimed over nomic vectors; --repair makes it one space', () => {
    const dir = tempDir();
    const file = path.join(dir, 'devstream.db');
    const store = openStore(file);
    const rnd = seededRandom(3);
    new MemoryRepository(store).addMany(
      Array.from({ length: 10 }, (_, i) => ({
        content: `nomic memory ${i}`,
        contentType: 'code' as const,
        embedding: { vector: randomUnitVector(rnd), model: 'nomic-embed-text', provider: 'ollama' },
      })),
    );
    // The state an older upgrade left: nomic vectors, then a built-in one claimed the index.
    store.db.exec(`UPDATE devstream_meta SET value = '${BUILTIN_MODEL}' WHERE key = 'embedding_model';
      UPDATE devstream_meta SET value = 'builtin' WHERE key = 'embedding_provider';`);
    store.db
      .prepare(
        `UPDATE semantic_memory SET embedding_model = ?, embedding_provider = 'builtin' WHERE content = 'nomic memory 0'`,
      )
      .run(BUILTIN_MODEL);
    store.close();

    const report = runCli(dir, ['--db', file, '--json', 'doctor']);
    assert.equal(report.code, 1);
    assert.equal(report.json().problems.foreignVectors, 9);
    assert.deepEqual(
      report.json().storedSpaces.map((s: { model: string; memories: number }) => [s.model, s.memories]),
      [
        ['nomic-embed-text', 9],
        [BUILTIN_MODEL, 1],
      ],
    );
    const text = runCli(dir, ['--db', file, 'doctor']).out;
    assert.ok(
      text.includes(`vectors by model: nomic-embed-text 9, ${BUILTIN_MODEL} 1 (the index records ${BUILTIN_MODEL})`),
      text,
    );

    const repair = runCli(dir, ['--db', file, '--json', 'doctor', '--repair']);
    assert.equal(repair.code, 0, repair.out);
    assert.equal(repair.json().repair.spaceRecorded, 'nomic-embed-text');
    assert.equal(repair.json().repair.foreignCleared, 1);
    assert.equal(repair.json().healthy, true);
    assert.deepEqual(byModel(file), { 'nomic-embed-text': 9 });
    assert.equal(runCli(dir, ['--db', file, 'doctor']).code, 0);
  });

  it("import keeps a vector only in its own model's space, row by row", () => {
    const src = tempDir();
    const file = path.join(src, 'devstream.db');
    const store = openStore(file);
    const rnd = seededRandom(8);
    new MemoryRepository(store).addMany(
      Array.from({ length: 4 }, (_, i) => ({
        content: `nomic memory ${i}`,
        contentType: 'code' as const,
        embedding: { vector: randomUnitVector(rnd), model: 'nomic-embed-text', provider: 'ollama' },
      })),
    );
    store.close();
    const exported = runCli(src, ['--db', file, 'export']).out.trim().split('\n');
    // one row claims another model (an export of an index that was already mixed)
    const lines = exported.map((l, i) => {
      const e = JSON.parse(l);
      if (i > 0 && e.table === 'semantic_memory' && e.row.content === 'nomic memory 2')
        e.row.embedding_model = 'all-minilm';
      return JSON.stringify(e);
    });
    const exportFile = path.join(src, 'mixed.jsonl');
    fs.writeFileSync(exportFile, lines.join('\n') + '\n');
    const dest = tempDir();
    const r = runCli(dest, ['--json', 'import', exportFile]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.json().embeddingsDropped, 1);
    const target = path.join(dest, '.devstream/devstream.db');
    assert.deepEqual(byModel(target), { 'nomic-embed-text': 3 });
    const doctor = runCli(dest, ['--json', 'doctor']).json();
    assert.equal(doctor.vectorSpace.model, 'nomic-embed-text');
    assert.equal(doctor.problems.foreignVectors, 0);
  });
});
