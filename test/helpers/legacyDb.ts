import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';

/**
 * Builds a database exactly as a DevStream 2.1.0 installation following its schema document
 * made them: vec0 without explicit rowids or cosine, triggers that index only embedded
 * memories and key vec rows by the memory's rowid, JSON-text embeddings. Updates then leave
 * duplicated and orphaned vec rows, as they did in real installations.
 */
export function makeLegacyDb(file: string, seed = 1): { memories: number; embedded: number } {
  const db = new Database(file);
  sqliteVec.load(db);
  db.exec(LEGACY_SCHEMA);
  let x = seed >>> 0;
  const rnd = (n: number) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return Math.floor((x / 2 ** 32) * n);
  };
  const vector = () => {
    const a = Array.from({ length: 768 }, () => rnd(20001) / 10000 - 1);
    const norm = Math.hypot(...a);
    return JSON.stringify(a.map((v) => v / norm));
  };
  const types = ['code', 'documentation', 'context', 'output', 'error', 'decision', 'learning'];
  const words = ['async', 'cache', 'schema', 'retry', 'token', 'deploy', 'parser', 'webhook', 'queue'];
  db.exec(`INSERT INTO intervention_plans (id, title, objectives, expected_outcome, status, priority) VALUES ('PLAN-L1', 'Legacy plan', '["ship"]', 'shipped', 'active', 7);
    INSERT INTO phases (id, plan_id, name, sequence_order, status) VALUES ('PHASE-L1', 'PLAN-L1', 'Build', 1, 'active');
    INSERT INTO micro_tasks (id, phase_id, title, description, max_duration_minutes, task_type, status, priority) VALUES ('TASK-L1', 'PHASE-L1', 'Legacy task', 'Do it', 10, 'coding', 'active', 6);`);
  const insert = db.prepare(
    `INSERT INTO semantic_memory (id, task_id, content, content_type, content_format, keywords, embedding, embedding_model, embedding_dimension, access_count) VALUES (?, ?, ?, ?, 'text', '["legacy"]', ?, ?, ?, 0)`,
  );
  const n = 60;
  for (let i = 0; i < n; i++) {
    const embedded = i % 4 !== 0;
    insert.run(
      `LEG-${i}`,
      i % 5 === 0 ? 'TASK-L1' : null,
      `legacy memory ${i} about ${words[rnd(words.length)]} handleRetryQueue marker${i}`,
      types[rnd(types.length)],
      embedded ? vector() : null,
      embedded ? 'nomic-embed-text' : null,
      embedded ? 768 : null,
    );
  }
  // one broken embedding (wrong length), written past the triggers, that the upgrade must clear
  const trigger = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'sync_update_memory'`).pluck().get() as string;
  db.exec(`DROP TRIGGER sync_update_memory`);
  db.prepare(`UPDATE semantic_memory SET embedding = '[1, 2, 3]' WHERE id = 'LEG-2'`).run();
  db.exec(trigger);
  const bump = db.prepare(`UPDATE semantic_memory SET access_count = access_count + 1 WHERE id = ?`);
  for (let i = 0; i < n; i += 3) bump.run(`LEG-${i}`);
  const del = db.prepare(`DELETE FROM semantic_memory WHERE id = ?`);
  for (let i = 1; i < n; i += 11) del.run(`LEG-${i}`);
  const memories = db.prepare(`SELECT count(*) FROM semantic_memory`).pluck().get() as number;
  const embedded = db
    .prepare(`SELECT count(*) FROM semantic_memory WHERE embedding IS NOT NULL`)
    .pluck()
    .get() as number;
  db.close();
  return { memories, embedded };
}

const LEGACY_SCHEMA = `
CREATE TABLE schema_version (version TEXT PRIMARY KEY, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, description TEXT);
INSERT INTO schema_version (version, description) VALUES ('2.1.0', 'Initial DevStream production schema');
CREATE TABLE intervention_plans (id VARCHAR(32) PRIMARY KEY, title VARCHAR(200) NOT NULL, description TEXT, objectives JSON NOT NULL, technical_specs JSON, expected_outcome TEXT NOT NULL, status VARCHAR(20) CHECK (status IN ('draft','active','completed','archived','cancelled')), priority INTEGER CHECK (priority BETWEEN 1 AND 10), estimated_hours FLOAT, actual_hours FLOAT, tags JSON, metadata JSON, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, completed_at TIMESTAMP);
CREATE INDEX idx_intervention_plans_status ON intervention_plans(status);
CREATE TABLE phases (id VARCHAR(32) PRIMARY KEY, plan_id VARCHAR(32) NOT NULL REFERENCES intervention_plans(id) ON DELETE CASCADE, name VARCHAR(200) NOT NULL, description TEXT, sequence_order INTEGER NOT NULL, is_parallel BOOLEAN, dependencies JSON, status VARCHAR(20) CHECK (status IN ('pending','active','completed','blocked','skipped')), estimated_minutes INTEGER, actual_minutes INTEGER, blocking_reason TEXT, completion_criteria TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, started_at TIMESTAMP, completed_at TIMESTAMP);
CREATE INDEX idx_phases_plan_id ON phases(plan_id);
CREATE TABLE micro_tasks (id VARCHAR(32) PRIMARY KEY, phase_id VARCHAR(32) NOT NULL REFERENCES phases(id) ON DELETE CASCADE, title VARCHAR(200) NOT NULL, description TEXT NOT NULL, max_duration_minutes INTEGER CHECK (max_duration_minutes <= 10), max_context_tokens INTEGER, assigned_agent VARCHAR(50), task_type VARCHAR(20) CHECK (task_type IN ('analysis','coding','documentation','testing','review','research')), status VARCHAR(20) CHECK (status IN ('pending','active','completed','failed','skipped')), priority INTEGER CHECK (priority BETWEEN 1 AND 10), input_files JSON, output_files JSON, generated_code TEXT, documentation TEXT, error_log TEXT, actual_duration_minutes FLOAT, context_tokens_used INTEGER, retry_count INTEGER, parent_task_id VARCHAR(32) REFERENCES micro_tasks(id), created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, started_at TIMESTAMP, completed_at TIMESTAMP, last_retry_at TIMESTAMP);
CREATE TABLE semantic_memory (id VARCHAR(32) PRIMARY KEY, plan_id VARCHAR(32) REFERENCES intervention_plans(id) ON DELETE CASCADE, phase_id VARCHAR(32) REFERENCES phases(id) ON DELETE CASCADE, task_id VARCHAR(32) REFERENCES micro_tasks(id) ON DELETE CASCADE, content TEXT NOT NULL, content_type VARCHAR(20) NOT NULL CHECK (content_type IN ('code','documentation','context','output','error','decision','learning')), content_format VARCHAR(20) CHECK (content_format IN ('text','markdown','code','json','yaml')), keywords JSON, entities JSON, sentiment FLOAT, complexity_score INTEGER CHECK (complexity_score BETWEEN 1 AND 10), embedding TEXT, embedding_model VARCHAR(50), embedding_dimension INTEGER, context_snapshot JSON, related_memory_ids JSON, access_count INTEGER, last_accessed_at TIMESTAMP, relevance_score FLOAT, is_archived BOOLEAN, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, source TEXT, importance_score REAL, metadata TEXT);
CREATE INDEX idx_semantic_memory_content_type ON semantic_memory(content_type);
CREATE TABLE agents (id VARCHAR(50) PRIMARY KEY, name VARCHAR(100) NOT NULL, role VARCHAR(100) NOT NULL, description TEXT, capabilities JSON NOT NULL, triggers JSON, config JSON, is_active BOOLEAN, success_rate FLOAT, total_tasks INTEGER, successful_tasks INTEGER, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE hooks (id VARCHAR(32) PRIMARY KEY, name VARCHAR(100) NOT NULL, event_type VARCHAR(50) NOT NULL, trigger_condition TEXT, action_type VARCHAR(50) NOT NULL, action_config JSON, is_active BOOLEAN, execution_order INTEGER, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE hook_executions (id VARCHAR(32) PRIMARY KEY, hook_id VARCHAR(32) NOT NULL REFERENCES hooks(id), event_data JSON, execution_result JSON, status VARCHAR(20) NOT NULL CHECK (status IN ('success','failed','skipped')), error_message TEXT, execution_time_ms INTEGER, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE work_sessions (id VARCHAR(32) PRIMARY KEY, plan_id VARCHAR(32) REFERENCES intervention_plans(id), user_id VARCHAR(100), session_name VARCHAR(200), context_window_size INTEGER, tokens_used INTEGER, status VARCHAR(20) CHECK (status IN ('active','paused','completed','archived')), context_summary TEXT, active_tasks JSON, completed_tasks JSON, started_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, last_activity_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, ended_at TIMESTAMP);
CREATE TABLE context_injections (id VARCHAR(32) PRIMARY KEY, session_id VARCHAR(32) NOT NULL REFERENCES work_sessions(id), task_id VARCHAR(32) REFERENCES micro_tasks(id), injected_memory_ids JSON, injection_trigger VARCHAR(100), relevance_threshold FLOAT, tokens_injected INTEGER, effectiveness_score FLOAT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE learning_insights (id VARCHAR(32) PRIMARY KEY, insight_type VARCHAR(20) NOT NULL CHECK (insight_type IN ('pattern','best_practice','anti_pattern')), title VARCHAR(200) NOT NULL, description TEXT NOT NULL, confidence_score FLOAT CHECK (confidence_score BETWEEN 0 AND 1), supporting_evidence JSON, tags JSON, is_validated BOOLEAN, validation_feedback TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, validated_at TIMESTAMP);
CREATE TABLE performance_metrics (id VARCHAR(32) PRIMARY KEY, metric_type VARCHAR(50) NOT NULL, entity_type VARCHAR(50) NOT NULL, entity_id VARCHAR(32) NOT NULL, metric_value FLOAT NOT NULL, metric_unit VARCHAR(20), context JSON, recorded_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE VIRTUAL TABLE vec_semantic_memory USING vec0(embedding float[768], content_type TEXT PARTITION KEY, +memory_id TEXT, +content_preview TEXT);
CREATE VIRTUAL TABLE fts_semantic_memory USING fts5(content, content_type UNINDEXED, memory_id UNINDEXED, created_at UNINDEXED, tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER sync_insert_memory AFTER INSERT ON semantic_memory WHEN NEW.embedding IS NOT NULL BEGIN
  INSERT INTO vec_semantic_memory(embedding, content_type, memory_id, content_preview) VALUES (NEW.embedding, NEW.content_type, NEW.id, substr(NEW.content, 1, 200));
  INSERT INTO fts_semantic_memory(rowid, content, content_type, memory_id, created_at) VALUES (NEW.rowid, NEW.content, NEW.content_type, NEW.id, NEW.created_at);
END;
CREATE TRIGGER sync_update_memory AFTER UPDATE ON semantic_memory WHEN NEW.embedding IS NOT NULL BEGIN
  DELETE FROM vec_semantic_memory WHERE rowid = OLD.rowid;
  DELETE FROM fts_semantic_memory WHERE rowid = OLD.rowid;
  INSERT INTO vec_semantic_memory(embedding, content_type, memory_id, content_preview) VALUES (NEW.embedding, NEW.content_type, NEW.id, substr(NEW.content, 1, 200));
  INSERT INTO fts_semantic_memory(rowid, content, content_type, memory_id, created_at) VALUES (NEW.rowid, NEW.content, NEW.content_type, NEW.id, NEW.created_at);
END;
CREATE TRIGGER sync_delete_memory AFTER DELETE ON semantic_memory BEGIN
  DELETE FROM vec_semantic_memory WHERE rowid = OLD.rowid;
  DELETE FROM fts_semantic_memory WHERE rowid = OLD.rowid;
END;
`;
