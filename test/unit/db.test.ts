import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { migrate } from '../../src/core/db/migrate';
import { loadMigrations } from '../../src/core/db/migrations';
import { openStore } from '../../src/core/db/open';
import { DevStreamError } from '../../src/core/errors';
import { makeLegacyDb } from '../helpers/legacyDb';
import { openTempStore, tempDir } from '../helpers/tmp';

const TABLES = [
  'schema_version',
  'intervention_plans',
  'phases',
  'micro_tasks',
  'semantic_memory',
  'agents',
  'hooks',
  'hook_executions',
  'work_sessions',
  'context_injections',
  'learning_insights',
  'performance_metrics',
];
const INDEXES = [
  'idx_intervention_plans_status',
  'idx_intervention_plans_priority',
  'idx_intervention_plans_created_at',
  'idx_phases_plan_id',
  'idx_phases_status',
  'idx_phases_sequence_order',
  'idx_micro_tasks_phase_id',
  'idx_micro_tasks_status',
  'idx_micro_tasks_assigned_agent',
  'idx_micro_tasks_priority',
  'idx_micro_tasks_parent_task_id',
  'idx_semantic_memory_content_type',
  'idx_semantic_memory_plan_id',
  'idx_semantic_memory_phase_id',
  'idx_semantic_memory_task_id',
  'idx_semantic_memory_created_at',
  'idx_semantic_memory_access_count',
  'idx_work_sessions_plan_id',
  'idx_work_sessions_status',
  'idx_work_sessions_started_at',
  'idx_context_injections_session_id',
  'idx_context_injections_task_id',
  'idx_context_injections_created_at',
  'idx_hooks_event_type',
  'idx_hooks_is_active',
  'idx_hooks_execution_order',
  'idx_hook_executions_hook_id',
  'idx_hook_executions_status',
  'idx_hook_executions_created_at',
  'idx_agents_is_active',
  'idx_agents_success_rate',
  'idx_learning_insights_insight_type',
  'idx_learning_insights_is_validated',
  'idx_learning_insights_confidence_score',
  'idx_performance_metrics_entity_type',
  'idx_performance_metrics_entity_id',
  'idx_performance_metrics_recorded_at',
];

const unitVector = (seed: number) => {
  const v = Array.from({ length: 768 }, (_, i) => Math.sin(seed * 31 + i));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

/** The document's own example INSERTs, unchanged but for a real 768-number embedding. */
function insertDocumentExamples(db: Database.Database): void {
  db.exec(`INSERT INTO intervention_plans (id, title, description, objectives, expected_outcome, status, priority, estimated_hours, actual_hours)
    VALUES ('PLAN-001', 'RUSTY Trading Platform Development', 'Complete development of RUSTY Trading Platform with real-time market data',
    '["Implement core engine", "Add market data integration", "Deploy to production"]', 'Fully functional trading platform with 99.9% uptime', 'active', 9, 100.0, 67.5);`);
  db.exec(`INSERT INTO phases (id, plan_id, name, description, sequence_order, status, estimated_minutes, actual_minutes)
    VALUES ('PHASE-001', 'PLAN-001', 'Core Engine & Infrastructure', 'Build foundational async event loop and core data structures', 1, 'completed', 1200, 1350);`);
  db.exec(`INSERT INTO micro_tasks (id, phase_id, title, description, max_duration_minutes, assigned_agent, task_type, status, priority)
    VALUES ('TASK-001', 'PHASE-001', 'Implement Python asyncio event loop', 'Design and implement the core async event loop using Python asyncio', 10, '@python-specialist', 'coding', 'completed', 9);`);
  db.prepare(
    `INSERT INTO semantic_memory (id, task_id, content, content_type, content_format, keywords, embedding, embedding_model, embedding_dimension, relevance_score, access_count)
    VALUES ('MEM-001', 'TASK-001', 'Decision: Use FastAPI for API layer due to async/await support...', 'decision', 'markdown',
    '["fastapi", "async", "api", "architecture"]', ?, 'nomic-embed-text', 768, 0.85, 5);`,
  ).run(JSON.stringify(unitVector(1)));
  db.exec(`INSERT INTO agents (id, name, role, description, capabilities, is_active, success_rate)
    VALUES ('@python-specialist', 'Python Domain Specialist', 'Domain Specialist', 'Expert in Python 3.11+, FastAPI, Django, async development',
    '{"languages": ["python"], "frameworks": ["fastapi", "django"], "skills": ["async", "testing"]}', true, 0.95);`);
  db.exec(`INSERT INTO hooks (id, name, event_type, action_type, is_active, execution_order)
    VALUES ('HOOK-001', 'Context7 Integration Hook', 'PreToolUse', 'context_injection', true, 1);`);
  db.exec(`INSERT INTO hook_executions (id, hook_id, event_data, status, execution_time_ms)
    VALUES ('EXEC-001', 'HOOK-001', '{"tool_name": "Write", "file_path": "src/api.py"}', 'success', 45);`);
  db.exec(`INSERT INTO performance_metrics (id, metric_type, entity_type, entity_id, metric_value, metric_unit)
    VALUES ('METRIC-001', 'execution_time', 'task', 'TASK-001', 8.5, 'ms');`);
}

describe('a new database', () => {
  it('has every table, index, virtual table and trigger, with WAL and foreign keys on', () => {
    const { db } = openTempStore();
    const names = new Set(db.prepare(`SELECT name FROM sqlite_master`).pluck().all() as string[]);
    for (const t of [
      ...TABLES,
      ...INDEXES,
      'vec_semantic_memory',
      'fts_semantic_memory',
      'sync_insert_memory',
      'sync_update_memory',
      'sync_update_memory_vector',
      'sync_delete_memory',
    ]) {
      assert.ok(names.has(t), `missing ${t}`);
    }
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('synchronous', { simple: true }), 1);
    assert.equal(db.prepare(`SELECT version FROM schema_version`).pluck().get(), '0001');
    assert.match(
      db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'vec_semantic_memory'`).pluck().get() as string,
      /distance_metric=cosine/,
    );
  });

  it('runs the document example INSERTs and example queries', () => {
    const { db } = openTempStore();
    insertDocumentExamples(db);
    db.prepare(
      `INSERT INTO semantic_memory (id, content, content_type) VALUES ('MEM-002', 'FastAPI async notes without an embedding', 'documentation')`,
    ).run();

    const version = db
      .prepare(`SELECT version, applied_at, description FROM schema_version ORDER BY applied_at DESC LIMIT 1`)
      .get();
    assert.ok(version);
    db.prepare(`UPDATE micro_tasks SET status = 'active' WHERE id = 'TASK-001'`).run();
    const active = db
      .prepare(
        `SELECT mt.id, mt.title, mt.priority, p.name AS phase_name, ip.title AS project_title FROM micro_tasks mt
      JOIN phases p ON mt.phase_id = p.id JOIN intervention_plans ip ON p.plan_id = ip.id
      WHERE mt.status = 'active' AND mt.priority >= 7 ORDER BY mt.priority DESC, mt.created_at ASC`,
      )
      .all();
    assert.deepEqual(
      active.map((r: any) => r.id),
      ['TASK-001'],
    );
    const rate = db
      .prepare(
        `SELECT p.name AS phase_name, COUNT(mt.id) AS total_tasks,
      SUM(CASE WHEN mt.status = 'completed' THEN 1 ELSE 0 END) AS completed_tasks,
      ROUND(100.0 * SUM(CASE WHEN mt.status = 'completed' THEN 1 ELSE 0 END) / COUNT(mt.id), 2) AS completion_rate
      FROM phases p LEFT JOIN micro_tasks mt ON p.id = mt.phase_id GROUP BY p.id, p.name ORDER BY completion_rate DESC`,
      )
      .all();
    assert.equal((rate[0] as any).total_tasks, 1);

    // The document's hybrid query, with its FTS rank order fixed (bm25: lower is better).
    const hybrid = db
      .prepare(
        `WITH vec_results AS (
        SELECT memory_id, distance, ROW_NUMBER() OVER (ORDER BY distance) AS vec_rank
        FROM vec_semantic_memory WHERE embedding MATCH @query_vector AND k = 20),
      fts_results AS (
        SELECT memory_id, rank, ROW_NUMBER() OVER (ORDER BY rank) AS fts_rank
        FROM fts_semantic_memory WHERE fts_semantic_memory MATCH @query_text ORDER BY rank LIMIT 20),
      rrf_scores AS (
        SELECT COALESCE(v.memory_id, f.memory_id) AS memory_id,
          (1.0 / (60 + COALESCE(f.fts_rank, 999))) * 1.0 AS fts_score,
          (1.0 / (60 + COALESCE(v.vec_rank, 999))) * 1.0 AS vec_score
        FROM vec_results v FULL OUTER JOIN fts_results f USING (memory_id))
      SELECT sm.id, sm.content, sm.content_type, sm.created_at, (rrf.fts_score + rrf.vec_score) AS combined_rank
      FROM rrf_scores rrf JOIN semantic_memory sm ON rrf.memory_id = sm.id ORDER BY combined_rank DESC LIMIT 10`,
      )
      .all({ query_vector: JSON.stringify(unitVector(1)), query_text: 'fastapi' }) as { id: string }[];
    assert.deepEqual(
      hybrid.map((r) => r.id),
      ['MEM-001', 'MEM-002'],
      'the memory without an embedding is still found by keyword',
    );

    const accessed = db
      .prepare(
        `SELECT id, content_type, substr(content, 1, 100) AS preview, access_count, last_accessed_at FROM semantic_memory WHERE is_archived = 0 ORDER BY access_count DESC LIMIT 10`,
      )
      .all();
    assert.equal((accessed[0] as any).id, 'MEM-001');
    const avg = db
      .prepare(
        `SELECT mt.task_type, COUNT(*) AS task_count FROM micro_tasks mt WHERE mt.status = 'completed' AND mt.actual_duration_minutes IS NOT NULL GROUP BY mt.task_type`,
      )
      .all();
    assert.deepEqual(avg, []);
    db.prepare(`UPDATE agents SET total_tasks = 4, successful_tasks = 3`).run();
    const rates = db
      .prepare(
        `SELECT a.id, a.name, a.total_tasks, a.successful_tasks, ROUND(100.0 * a.successful_tasks / NULLIF(a.total_tasks, 0), 2) AS success_rate_pct
      FROM agents a WHERE a.is_active = 1 AND a.total_tasks > 0 ORDER BY success_rate_pct DESC`,
      )
      .all();
    assert.equal((rates[0] as any).success_rate_pct, 75);

    // "Most injected memories", as the document meant it (its own version misuses json_each).
    db.exec(`INSERT INTO work_sessions (id) VALUES ('S1');
      INSERT INTO context_injections (id, session_id, injected_memory_ids, injection_trigger, tokens_injected, effectiveness_score) VALUES
        ('CI1', 'S1', '["MEM-001","MEM-002"]', 'search', 120, 0.5), ('CI2', 'S1', '["MEM-001"]', 'search', 60, 1.0);`);
    const most = db
      .prepare(
        `SELECT sm.id, COUNT(DISTINCT ci.id) AS injection_count, MAX(ci.created_at) AS last_injection
      FROM context_injections ci, json_each(ci.injected_memory_ids) j JOIN semantic_memory sm ON sm.id = j.value
      GROUP BY sm.id ORDER BY injection_count DESC, sm.id LIMIT 10`,
      )
      .all() as { id: string; injection_count: number }[];
    assert.deepEqual(
      most.map((r) => [r.id, r.injection_count]),
      [
        ['MEM-001', 2],
        ['MEM-002', 1],
      ],
    );
    const eff = db
      .prepare(
        `SELECT ci.injection_trigger, COUNT(*) AS injection_count, ROUND(AVG(ci.tokens_injected), 0) AS avg_tokens, ROUND(AVG(ci.effectiveness_score), 2) AS avg_effectiveness
      FROM context_injections ci WHERE ci.effectiveness_score IS NOT NULL GROUP BY ci.injection_trigger ORDER BY avg_effectiveness DESC`,
      )
      .get() as any;
    assert.equal(eff.avg_tokens, 90);
  });

  it('rejects what every CHECK forbids', () => {
    const { db } = openTempStore();
    insertDocumentExamples(db);
    const rejects = (sql: string) => assert.throws(() => db.exec(sql), /CHECK constraint failed/, sql);
    db.exec(`UPDATE intervention_plans SET status = 'paused' WHERE id = 'PLAN-001'`); // allowed: the document's transitions use it
    rejects(`UPDATE intervention_plans SET status = 'done'`);
    rejects(`UPDATE intervention_plans SET priority = 0`);
    rejects(`UPDATE intervention_plans SET priority = 11`);
    rejects(`UPDATE phases SET status = 'paused'`);
    rejects(`UPDATE micro_tasks SET max_duration_minutes = 11`);
    rejects(`UPDATE micro_tasks SET task_type = 'deploy'`);
    rejects(`UPDATE micro_tasks SET status = 'blocked'`);
    rejects(`UPDATE micro_tasks SET priority = 42`);
    rejects(`UPDATE semantic_memory SET content_type = 'note'`);
    rejects(`UPDATE semantic_memory SET content_format = 'html'`);
    rejects(`UPDATE semantic_memory SET complexity_score = 0`);
    rejects(`UPDATE hook_executions SET status = 'running'`);
    rejects(`INSERT INTO learning_insights (id, insight_type, title, description) VALUES ('L1', 'tip', 't', 'd')`);
    rejects(
      `INSERT INTO learning_insights (id, insight_type, title, description, confidence_score) VALUES ('L1', 'pattern', 't', 'd', 1.5)`,
    );
    rejects(`INSERT INTO work_sessions (id, status) VALUES ('W1', 'running')`);
    assert.throws(
      () => db.exec(`INSERT INTO phases (id, plan_id, name, sequence_order) VALUES ('P9', 'NOPE', 'x', 1)`),
      /FOREIGN KEY/,
    );
  });

  it('keeps FTS and vec in sync through any SQL writer, keyed by the memory rowid', () => {
    const { db } = openTempStore();
    const ins = db.prepare(`INSERT INTO semantic_memory (id, content, content_type, embedding) VALUES (?, ?, ?, ?)`);
    ins.run('a', 'alpha', 'code', Buffer.from(new Float32Array(unitVector(2)).buffer));
    ins.run('b', 'beta', 'decision', null);
    ins.run('c', 'gamma', 'error', JSON.stringify(unitVector(3)));
    db.exec(`UPDATE semantic_memory SET access_count = access_count + 1`); // rewrites no index row
    db.exec(`UPDATE semantic_memory SET content_type = 'learning' WHERE id = 'c'`);
    db.exec(`DELETE FROM semantic_memory WHERE id = 'a'`);
    const vec = db.prepare(`SELECT rowid, memory_id, content_type FROM vec_semantic_memory`).all();
    const mem = db.prepare(`SELECT rowid, id FROM semantic_memory WHERE id = 'c'`).get() as { rowid: number };
    assert.deepEqual(vec, [{ rowid: mem.rowid, memory_id: 'c', content_type: 'learning' }]);
    assert.equal(db.prepare(`SELECT count(*) FROM fts_semantic_memory`).pluck().get(), 2);
  });
});

/** A database file migrated up to `version` only, as an older DevStream left it (open: close it). */
function databaseAt(file: string, version: string, before?: (db: Database.Database) => void): Database.Database {
  const db = new Database(file);
  sqliteVec.load(db);
  before?.(db);
  migrate(db, {
    backupPath: (v) => `${file}.backup-${v}`,
    migrations: loadMigrations().filter((m) => m.version <= version),
  });
  return db;
}

describe('opening existing files', () => {
  it('upgrades a DevStream 2.1.0 database in place, repairing FTS and vec', () => {
    const file = path.join(tempDir(), 'legacy.db');
    const built = makeLegacyDb(file, 7);

    const store = openStore(file);
    try {
      const { db } = store;
      const report = store.migration.legacy!;
      assert.ok(report, 'a legacy report');
      assert.equal(report.memories, built.memories);
      assert.ok(report.ftsBefore < built.memories, 'the original left unembedded memories out of FTS');
      assert.equal(report.ftsAfter, built.memories);
      assert.equal(report.embeddingsDropped, 1);
      assert.equal(report.vecAfter, built.embedded - 1);
      assert.ok(store.migration.backupPath && fs.existsSync(store.migration.backupPath));

      const c = (sql: string) => db.prepare(sql).pluck().get() as number;
      assert.equal(c(`SELECT count(*) FROM semantic_memory`), built.memories);
      assert.equal(
        c(
          `SELECT count(*) FROM fts_semantic_memory f JOIN semantic_memory m ON m.rowid = f.rowid AND m.id = f.memory_id`,
        ),
        built.memories,
      );
      assert.equal(
        c(
          `SELECT count(*) FROM vec_semantic_memory v JOIN semantic_memory m ON m.rowid = v.rowid AND m.id = v.memory_id`,
        ),
        built.embedded - 1,
      );
      assert.equal(
        c(`SELECT count(*) FROM semantic_memory WHERE embedding IS NOT NULL AND typeof(embedding) <> 'blob'`),
        0,
      );
      assert.equal(
        c(`SELECT count(*) FROM fts_semantic_memory WHERE fts_semantic_memory MATCH 'retry AND queue'`),
        built.memories,
      );
      assert.deepEqual(db.prepare(`SELECT version FROM schema_version ORDER BY version`).pluck().all(), [
        ...loadMigrations().map((m) => m.version),
        '2.1.0',
      ]);
      db.exec(`UPDATE intervention_plans SET status = 'paused'`); // the new CHECK is in force
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      store.close();
    }
    // opening again changes nothing and takes no new backup
    const again = openStore(file);
    assert.deepEqual(again.migration.applied, []);
    assert.equal(again.migration.backupPath, undefined);
    again.close();
  });

  it('refuses a database made by a newer DevStream and leaves it untouched', () => {
    const file = path.join(tempDir(), 'new.db');
    openStore(file).close();
    const db = new Database(file);
    db.exec(`INSERT INTO schema_version (version, description) VALUES ('9999', 'from the future')`);
    db.close();
    const before = fs.readFileSync(file);
    assert.throws(
      () => openStore(file),
      (e: unknown) => e instanceof DevStreamError && e.code === 'schema_too_new' && /9999/.test(e.message),
    );
    assert.ok(fs.readFileSync(file).equals(before));
  });

  it('backs up an existing database before applying a new migration', () => {
    const file = path.join(tempDir(), 'm.db');
    const store = openStore(file);
    store.db.exec(
      `INSERT INTO intervention_plans (id, title, objectives, expected_outcome) VALUES ('P', 't', '[]', 'o')`,
    );
    const versions = loadMigrations().map((m) => m.version);
    const latest = versions.at(-1)!;
    const next = String(Number(latest) + 1).padStart(4, '0');
    const extra = {
      version: next,
      name: 'add_test_column',
      sql: `ALTER TABLE intervention_plans ADD COLUMN test_col TEXT;`,
      requiresVectors: false,
    };
    const result = migrate(store.db, {
      backupPath: (v) => `${file}.backup-${v}`,
      migrations: [...loadMigrations(), extra],
    });
    store.close();
    assert.deepEqual(result.applied, [next]);
    assert.equal(result.backupPath, `${file}.backup-${latest}`);
    const backup = new Database(result.backupPath!, { readonly: true });
    assert.equal(backup.prepare(`SELECT count(*) FROM intervention_plans`).pluck().get(), 1);
    assert.deepEqual(backup.prepare(`SELECT version FROM schema_version ORDER BY version`).pluck().all(), versions);
    backup.close();
  });

  it('adds the title field and rebuilds FTS from the rows, keeping every memory searchable (0004)', () => {
    const file = path.join(tempDir(), 'title.db');
    const db = databaseAt(file, '0003');
    db.exec(`INSERT INTO semantic_memory (id, content, content_type, search_terms)
        VALUES ('t', 'function parseConfigFile(path) {\n  return read(path);\n}', 'code', 'parse config file');
      INSERT INTO semantic_memory (id, content, content_type) VALUES ('one', 'a single line about config', 'context');`);
    db.close();
    const store = openStore(file);
    assert.ok(store.migration.applied.includes('0004'));
    const rows = store.db.prepare(`SELECT id, title_terms FROM semantic_memory ORDER BY id`).all();
    assert.deepEqual(rows, [
      { id: 'one', title_terms: null },
      // 0005 then adds the name the signature defines.
      { id: 't', title_terms: 'function parseConfigFile(path) { parse config file parseConfigFile parse config file' },
    ]);
    assert.equal(store.db.prepare(`SELECT count(*) FROM fts_semantic_memory`).pluck().get(), 2);
    const hit = store.db
      .prepare(`SELECT memory_id FROM fts_semantic_memory WHERE fts_semantic_memory MATCH 'title_terms : parse'`)
      .pluck()
      .all();
    assert.deepEqual(hit, ['t']);
    // The recreated triggers index the title of a new row.
    store.db.exec(
      `INSERT INTO semantic_memory (id, content, content_type, title_terms) VALUES ('n', 'x\ny', 'code', 'x')`,
    );
    assert.equal(store.db.prepare(`SELECT count(*) FROM fts_semantic_memory`).pluck().get(), 3);
    store.close();
  });

  it('recomputes keyword terms with compounds and signature names, rewriting only rows that change (0005)', () => {
    const file = path.join(tempDir(), 'compounds.db');
    // The terms as writers computed them before 0005 (no compounds, no signature names).
    const db = databaseAt(file, '0004', (raw) => raw.function('devstream_title_terms', (_content: unknown) => null));
    db.exec(`INSERT INTO semantic_memory (id, content, content_type, title_terms)
        VALUES ('code', 'def next_line(f):\n    return f.readline()', 'code', 'def next_line(f):');
      INSERT INTO semantic_memory (id, content, content_type) VALUES ('plain', 'short note', 'context');`);
    db.close();
    const store = openStore(file);
    assert.ok(store.migration.applied.includes('0005'));
    const row = (id: string) =>
      store.db.prepare(`SELECT search_terms, title_terms FROM semantic_memory WHERE id = ?`).get(id);
    assert.deepEqual(row('code'), {
      search_terms: 'read line',
      title_terms: 'def next_line(f): next line next line',
    });
    assert.deepEqual(row('plain'), { search_terms: null, title_terms: null });
    const match = (q: string) =>
      store.db.prepare(`SELECT memory_id FROM fts_semantic_memory WHERE fts_semantic_memory MATCH ?`).pluck().all(q);
    assert.deepEqual(match('"read" AND "line"'), ['code'], 'the FTS row was re-indexed');
    assert.equal(store.db.prepare(`SELECT count(*) FROM fts_semantic_memory`).pluck().get(), 2);
    store.close();
  });

  it('rebuilds the vector index with smaller chunks at its own dimension, keeping every vector (0003)', () => {
    const file = path.join(tempDir(), 'chunks.db');
    const db = databaseAt(file, '0002');
    // A 4-d vector space, as resetVectorSpace made it before 0003.
    db.exec(`DROP TABLE vec_semantic_memory;
      CREATE VIRTUAL TABLE vec_semantic_memory USING vec0(embedding float[4] distance_metric=cosine, content_type TEXT PARTITION KEY, +memory_id TEXT, +content_preview TEXT);
      UPDATE devstream_meta SET value = '4' WHERE key = 'vector_dimension';
      INSERT INTO semantic_memory (id, content, content_type) VALUES ('no-vector', 'plain', 'context');
      INSERT INTO semantic_memory (id, content, content_type, embedding) VALUES ('a', 'first', 'code', '[1, 0, 0, 0]');
      INSERT INTO semantic_memory (id, content, content_type, embedding) VALUES ('b', 'second', 'learning', '[0, 1, 0, 0]');`);
    const before = db
      .prepare(
        `SELECT rowid, memory_id, content_type, vec_to_json(embedding) AS v FROM vec_semantic_memory ORDER BY rowid`,
      )
      .all();
    const result = migrate(db, {
      backupPath: (v) => `${file}.backup-${v}`,
      migrations: loadMigrations().filter((m) => m.version <= '0003'),
    });
    assert.ok(result.applied.includes('0003'));
    const ddl = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'vec_semantic_memory'`).pluck().get() as string;
    assert.match(ddl, /float\[4\]/);
    assert.match(ddl, /chunk_size=256/);
    assert.equal(before.length, 2);
    assert.deepEqual(
      db
        .prepare(
          `SELECT rowid, memory_id, content_type, vec_to_json(embedding) AS v FROM vec_semantic_memory ORDER BY rowid`,
        )
        .all(),
      before,
    );
    const nearest = db
      .prepare(`SELECT memory_id FROM vec_semantic_memory WHERE embedding MATCH '[0.1, 0.9, 0, 0]' AND k = 1`)
      .pluck()
      .get();
    assert.equal(nearest, 'b');
    db.close();
  });

  it('opens a database whose next migration needs sqlite-vec keyword-only at its schema, and upgrades it once the extension loads', () => {
    const file = path.join(tempDir(), 'older.db');
    const db = databaseAt(file, '0002');
    db.exec(`INSERT INTO semantic_memory (id, content, content_type) VALUES ('m', 'still searchable', 'context')`);
    db.close();
    const folder = path.dirname(file);
    const files = () => fs.readdirSync(folder).filter((f) => f.includes('backup')).length;

    const degraded = openStore(file, { withoutVectors: true });
    assert.equal(degraded.vectorsEnabled, false);
    assert.deepEqual(degraded.migration.deferred, ['0003', '0004', '0005', '0006']);
    assert.match(degraded.notices.join('\n'), /upgrade to 0006 waits until the sqlite-vec extension loads/);
    assert.equal(degraded.db.prepare(`SELECT max(version) FROM schema_version`).pluck().get(), '0002');
    assert.equal(
      degraded.db
        .prepare(`SELECT memory_id FROM fts_semantic_memory WHERE fts_semantic_memory MATCH 'searchable'`)
        .pluck()
        .get(),
      'm',
    );
    degraded.close();
    assert.equal(files(), 0, 'no backup for an upgrade that did not run');

    const upgraded = openStore(file);
    assert.deepEqual(upgraded.migration.applied, ['0003', '0004', '0005', '0006']);
    assert.match(
      upgraded.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'vec_semantic_memory'`).pluck().get() as string,
      /chunk_size=256/,
    );
    upgraded.close();
    assert.equal(files(), 1);
  });

  it('applies each migration once when two connections open a new file together', () => {
    const file = path.join(tempDir(), 'twice.db');
    const a = openStore(file);
    const b = openStore(file);
    assert.equal(b.db.prepare(`SELECT count(*) FROM schema_version`).pluck().get(), loadMigrations().length);
    a.close();
    b.close();
  });

  it('says clearly that a foreign file is not a database, and does not touch it', () => {
    const file = path.join(tempDir(), 'devstream.db');
    fs.writeFileSync(file, 'this is a text file, not a database\n'.repeat(100));
    assert.throws(
      () => openStore(file),
      (e: unknown) => e instanceof DevStreamError && e.code === 'corrupt' && /not a SQLite database/.test(e.message),
    );
    assert.match(fs.readFileSync(file, 'utf8'), /^this is a text file/);
  });

  it('opens without sqlite-vec in keyword-only mode and says so', () => {
    const file = path.join(tempDir(), 'kw.db');
    const first = openStore(file);
    first.db.exec(
      `INSERT INTO semantic_memory (id, content, content_type) VALUES ('m', 'keyword only works', 'context')`,
    );
    first.close();
    const store = openStore(file, { withoutVectors: true });
    assert.equal(store.vectorsEnabled, false);
    assert.match(store.notices.join('\n'), /Vector search is off/);
    assert.equal(
      store.db
        .prepare(`SELECT memory_id FROM fts_semantic_memory WHERE fts_semantic_memory MATCH 'keyword'`)
        .pluck()
        .get(),
      'm',
    );
    store.close();
  });
});
