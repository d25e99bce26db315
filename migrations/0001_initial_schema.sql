-- DevStream schema, following the DevStream 2.1.0 document with its defects fixed:
--   * plan status 'paused' is allowed (the document's transition table uses it);
--   * vec0 rows carry the memory's own rowid and declare cosine distance;
--   * every memory is in FTS, embedded or not; vec holds only memories with an embedding;
--   * sync triggers fire only when indexed columns change (access tracking rewrites nothing).
-- Additions beyond the document: semantic_memory.search_terms (identifier parts and keywords,
-- computed by the writer and indexed by FTS so `getUserById` is found by "user id"),
-- semantic_memory.embedding_provider, and the devstream_meta key/value table.

CREATE TABLE IF NOT EXISTS schema_version (
  version     TEXT PRIMARY KEY,
  applied_at  TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  description TEXT
);

CREATE TABLE devstream_meta (
  key   TEXT PRIMARY KEY,
  value TEXT
);

CREATE TABLE intervention_plans (
  id               VARCHAR(32) PRIMARY KEY,
  title            VARCHAR(200) NOT NULL,
  description      TEXT,
  objectives       JSON NOT NULL,
  technical_specs  JSON,
  expected_outcome TEXT NOT NULL,
  status           VARCHAR(20) DEFAULT 'draft'
                   CHECK (status IN ('draft', 'active', 'completed', 'paused', 'archived', 'cancelled')),
  priority         INTEGER DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
  estimated_hours  FLOAT,
  actual_hours     FLOAT,
  tags             JSON,
  metadata         JSON,
  created_at       TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  updated_at       TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  completed_at     TIMESTAMP
);
CREATE INDEX idx_intervention_plans_status     ON intervention_plans (status);
CREATE INDEX idx_intervention_plans_priority   ON intervention_plans (priority DESC);
CREATE INDEX idx_intervention_plans_created_at ON intervention_plans (created_at DESC);

CREATE TABLE phases (
  id                  VARCHAR(32) PRIMARY KEY,
  plan_id             VARCHAR(32) NOT NULL REFERENCES intervention_plans (id) ON DELETE CASCADE,
  name                VARCHAR(200) NOT NULL,
  description         TEXT,
  sequence_order      INTEGER NOT NULL,
  is_parallel         BOOLEAN DEFAULT 0,
  dependencies        JSON,
  status              VARCHAR(20) DEFAULT 'pending'
                      CHECK (status IN ('pending', 'active', 'completed', 'blocked', 'skipped')),
  estimated_minutes   INTEGER,
  actual_minutes      INTEGER,
  blocking_reason     TEXT,
  completion_criteria TEXT,
  created_at          TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  started_at          TIMESTAMP,
  completed_at        TIMESTAMP
);
CREATE INDEX idx_phases_plan_id        ON phases (plan_id);
CREATE INDEX idx_phases_status         ON phases (status);
CREATE INDEX idx_phases_sequence_order ON phases (plan_id, sequence_order);

CREATE TABLE micro_tasks (
  id                      VARCHAR(32) PRIMARY KEY,
  phase_id                VARCHAR(32) NOT NULL REFERENCES phases (id) ON DELETE CASCADE,
  title                   VARCHAR(200) NOT NULL,
  description             TEXT NOT NULL,
  max_duration_minutes    INTEGER DEFAULT 10 CHECK (max_duration_minutes <= 10),
  max_context_tokens      INTEGER,
  assigned_agent          VARCHAR(50),
  task_type               VARCHAR(20) DEFAULT 'coding'
                          CHECK (task_type IN ('analysis', 'coding', 'documentation', 'testing', 'review', 'research')),
  status                  VARCHAR(20) DEFAULT 'pending'
                          CHECK (status IN ('pending', 'active', 'completed', 'failed', 'skipped')),
  priority                INTEGER DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
  input_files             JSON,
  output_files            JSON,
  generated_code          TEXT,
  documentation           TEXT,
  error_log               TEXT,
  actual_duration_minutes FLOAT,
  context_tokens_used     INTEGER,
  retry_count             INTEGER DEFAULT 0,
  -- Sub-tasks go with their parent (the document names no ON DELETE; dangling parents help no one).
  parent_task_id          VARCHAR(32) REFERENCES micro_tasks (id) ON DELETE CASCADE,
  created_at              TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  started_at              TIMESTAMP,
  completed_at            TIMESTAMP,
  last_retry_at           TIMESTAMP
);
CREATE INDEX idx_micro_tasks_phase_id       ON micro_tasks (phase_id);
CREATE INDEX idx_micro_tasks_status         ON micro_tasks (status);
CREATE INDEX idx_micro_tasks_assigned_agent ON micro_tasks (assigned_agent);
CREATE INDEX idx_micro_tasks_priority       ON micro_tasks (priority DESC);
CREATE INDEX idx_micro_tasks_parent_task_id ON micro_tasks (parent_task_id);

CREATE TABLE semantic_memory (
  id                  VARCHAR(32) PRIMARY KEY,
  plan_id             VARCHAR(32) REFERENCES intervention_plans (id) ON DELETE CASCADE,
  phase_id            VARCHAR(32) REFERENCES phases (id) ON DELETE CASCADE,
  task_id             VARCHAR(32) REFERENCES micro_tasks (id) ON DELETE CASCADE,
  content             TEXT NOT NULL,
  content_type        VARCHAR(20) NOT NULL
                      CHECK (content_type IN ('code', 'documentation', 'context', 'output', 'error', 'decision', 'learning')),
  content_format      VARCHAR(20) DEFAULT 'text'
                      CHECK (content_format IN ('text', 'markdown', 'code', 'json', 'yaml')),
  keywords            JSON,
  entities            JSON,
  sentiment           FLOAT,
  complexity_score    INTEGER CHECK (complexity_score BETWEEN 1 AND 10),
  -- Little-endian float32 BLOB; JSON array text is accepted too (sqlite-vec reads both).
  embedding           TEXT,
  embedding_model     VARCHAR(50),
  embedding_dimension INTEGER,
  context_snapshot    JSON,
  related_memory_ids  JSON,
  access_count        INTEGER DEFAULT 0,
  last_accessed_at    TIMESTAMP,
  relevance_score     FLOAT,
  is_archived         BOOLEAN DEFAULT 0,
  created_at          TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  updated_at          TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  source              TEXT,
  importance_score    REAL,
  metadata            TEXT,
  embedding_provider  VARCHAR(20),
  search_terms        TEXT
);
CREATE INDEX idx_semantic_memory_content_type ON semantic_memory (content_type);
CREATE INDEX idx_semantic_memory_plan_id      ON semantic_memory (plan_id);
CREATE INDEX idx_semantic_memory_phase_id     ON semantic_memory (phase_id);
CREATE INDEX idx_semantic_memory_task_id      ON semantic_memory (task_id);
CREATE INDEX idx_semantic_memory_created_at   ON semantic_memory (created_at DESC);
CREATE INDEX idx_semantic_memory_access_count ON semantic_memory (access_count DESC);

CREATE VIRTUAL TABLE vec_semantic_memory USING vec0(
  embedding float[768] distance_metric=cosine,
  content_type TEXT PARTITION KEY,
  +memory_id TEXT,
  +content_preview TEXT
);

CREATE VIRTUAL TABLE fts_semantic_memory USING fts5(
  content,
  content_type UNINDEXED,
  memory_id UNINDEXED,
  created_at UNINDEXED,
  search_terms,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- FTS: every memory, keyed by the memory's rowid.
CREATE TRIGGER sync_insert_memory AFTER INSERT ON semantic_memory
BEGIN
  INSERT INTO fts_semantic_memory (rowid, content, content_type, memory_id, created_at, search_terms)
  VALUES (NEW.rowid, NEW.content, NEW.content_type, NEW.id, NEW.created_at, NEW.search_terms);
  INSERT INTO vec_semantic_memory (rowid, embedding, content_type, memory_id, content_preview)
  SELECT NEW.rowid, NEW.embedding, NEW.content_type, NEW.id, substr(NEW.content, 1, 200)
  WHERE NEW.embedding IS NOT NULL;
END;

CREATE TRIGGER sync_update_memory
AFTER UPDATE OF id, content, content_type, created_at, search_terms ON semantic_memory
BEGIN
  DELETE FROM fts_semantic_memory WHERE rowid = OLD.rowid;
  INSERT INTO fts_semantic_memory (rowid, content, content_type, memory_id, created_at, search_terms)
  VALUES (NEW.rowid, NEW.content, NEW.content_type, NEW.id, NEW.created_at, NEW.search_terms);
END;

CREATE TRIGGER sync_update_memory_vector
AFTER UPDATE OF id, content, content_type, embedding ON semantic_memory
BEGIN
  DELETE FROM vec_semantic_memory WHERE rowid = OLD.rowid;
  INSERT INTO vec_semantic_memory (rowid, embedding, content_type, memory_id, content_preview)
  SELECT NEW.rowid, NEW.embedding, NEW.content_type, NEW.id, substr(NEW.content, 1, 200)
  WHERE NEW.embedding IS NOT NULL;
END;

CREATE TRIGGER sync_delete_memory AFTER DELETE ON semantic_memory
BEGIN
  DELETE FROM vec_semantic_memory WHERE rowid = OLD.rowid;
  DELETE FROM fts_semantic_memory WHERE rowid = OLD.rowid;
END;

CREATE TABLE agents (
  id               VARCHAR(50) PRIMARY KEY,
  name             VARCHAR(100) NOT NULL,
  role             VARCHAR(100) NOT NULL,
  description      TEXT,
  capabilities     JSON NOT NULL,
  triggers         JSON,
  config           JSON,
  is_active        BOOLEAN DEFAULT 1,
  success_rate     FLOAT,
  total_tasks      INTEGER DEFAULT 0,
  successful_tasks INTEGER DEFAULT 0,
  created_at       TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  updated_at       TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_agents_is_active    ON agents (is_active);
CREATE INDEX idx_agents_success_rate ON agents (success_rate DESC);

CREATE TABLE hooks (
  id                VARCHAR(32) PRIMARY KEY,
  name              VARCHAR(100) NOT NULL,
  event_type        VARCHAR(50) NOT NULL,
  trigger_condition TEXT,
  action_type       VARCHAR(50) NOT NULL,
  action_config     JSON,
  is_active         BOOLEAN DEFAULT 1,
  execution_order   INTEGER,
  created_at        TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_hooks_event_type      ON hooks (event_type);
CREATE INDEX idx_hooks_is_active       ON hooks (is_active);
CREATE INDEX idx_hooks_execution_order ON hooks (execution_order);

-- Execution history outlives its hook only as long as the hook row exists (the document
-- keeps history: no cascade, so a hook with history is switched off rather than deleted).
CREATE TABLE hook_executions (
  id                VARCHAR(32) PRIMARY KEY,
  hook_id           VARCHAR(32) NOT NULL REFERENCES hooks (id),
  event_data        JSON,
  execution_result  JSON,
  status            VARCHAR(20) NOT NULL CHECK (status IN ('success', 'failed', 'skipped')),
  error_message     TEXT,
  execution_time_ms INTEGER,
  created_at        TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_hook_executions_hook_id    ON hook_executions (hook_id);
CREATE INDEX idx_hook_executions_status     ON hook_executions (status);
CREATE INDEX idx_hook_executions_created_at ON hook_executions (created_at DESC);

CREATE TABLE work_sessions (
  id                  VARCHAR(32) PRIMARY KEY,
  plan_id             VARCHAR(32) REFERENCES intervention_plans (id),
  user_id             VARCHAR(100),
  session_name        VARCHAR(200),
  context_window_size INTEGER,
  tokens_used         INTEGER,
  status              VARCHAR(20) DEFAULT 'active'
                      CHECK (status IN ('active', 'paused', 'completed', 'archived')),
  context_summary     TEXT,
  active_tasks        JSON,
  completed_tasks     JSON,
  started_at          TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  last_activity_at    TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  ended_at            TIMESTAMP
);
CREATE INDEX idx_work_sessions_plan_id    ON work_sessions (plan_id);
CREATE INDEX idx_work_sessions_status     ON work_sessions (status);
CREATE INDEX idx_work_sessions_started_at ON work_sessions (started_at DESC);

CREATE TABLE context_injections (
  id                  VARCHAR(32) PRIMARY KEY,
  session_id          VARCHAR(32) NOT NULL REFERENCES work_sessions (id),
  task_id             VARCHAR(32) REFERENCES micro_tasks (id),
  injected_memory_ids JSON,
  injection_trigger   VARCHAR(100),
  relevance_threshold FLOAT,
  tokens_injected     INTEGER,
  effectiveness_score FLOAT,
  created_at          TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_context_injections_session_id ON context_injections (session_id);
CREATE INDEX idx_context_injections_task_id    ON context_injections (task_id);
CREATE INDEX idx_context_injections_created_at ON context_injections (created_at DESC);

CREATE TABLE learning_insights (
  id                  VARCHAR(32) PRIMARY KEY,
  insight_type        VARCHAR(20) NOT NULL CHECK (insight_type IN ('pattern', 'best_practice', 'anti_pattern')),
  title               VARCHAR(200) NOT NULL,
  description         TEXT NOT NULL,
  confidence_score    FLOAT CHECK (confidence_score BETWEEN 0 AND 1),
  supporting_evidence JSON,
  tags                JSON,
  is_validated        BOOLEAN DEFAULT 0,
  validation_feedback TEXT,
  created_at          TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  validated_at        TIMESTAMP
);
CREATE INDEX idx_learning_insights_insight_type     ON learning_insights (insight_type);
CREATE INDEX idx_learning_insights_is_validated     ON learning_insights (is_validated);
CREATE INDEX idx_learning_insights_confidence_score ON learning_insights (confidence_score DESC);

CREATE TABLE performance_metrics (
  id           VARCHAR(32) PRIMARY KEY,
  metric_type  VARCHAR(50) NOT NULL,
  entity_type  VARCHAR(50) NOT NULL,
  entity_id    VARCHAR(32) NOT NULL,
  metric_value FLOAT NOT NULL,
  metric_unit  VARCHAR(20),
  context      JSON,
  recorded_at  TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_performance_metrics_entity_type ON performance_metrics (entity_type);
CREATE INDEX idx_performance_metrics_entity_id   ON performance_metrics (entity_id);
CREATE INDEX idx_performance_metrics_recorded_at ON performance_metrics (recorded_at DESC);

INSERT INTO devstream_meta (key, value) VALUES
  ('vector_dimension', '768'),
  ('embedding_model', NULL),
  ('embedding_provider', NULL);
