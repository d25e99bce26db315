import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export interface Migration {
  /** Four digits, e.g. '0001': what schema_version records. */
  readonly version: string;
  readonly name: string;
  readonly sql: string;
  /** The file says `-- requires: sqlite-vec`: it cannot run where the extension did not load. */
  readonly requiresVectors: boolean;
}

const REQUIRES_VECTORS = /^-- requires: sqlite-vec$/m;

const FILE = /^(\d{4})_([\w-]+)\.sql$/;

/** The migrations folder ships beside the code (dist/ or out/...); find it by walking up. */
export function findMigrationsDir(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'migrations');
    if (fs.existsSync(path.join(candidate, '0001_initial_schema.sql'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`migrations folder not found above ${from}`);
  }
}

/**
 * The migrations found in `dir`, in order. Each file is read only when its SQL is first needed:
 * opening a database that is up to date reads none of them.
 */
export function loadMigrations(dir = findMigrationsDir()): Migration[] {
  return (
    fs
      .readdirSync(dir)
      .map((f) => FILE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => migrationFile(path.join(dir, m[0]), m[1], m[2]))
      // Four-digit versions sort by code unit; localeCompare would load ICU's collator (~10 ms).
      .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
  );
}

function migrationFile(file: string, version: string, name: string): Migration {
  let sql: string | undefined;
  const read = () => (sql ??= fs.readFileSync(file, 'utf8'));
  return {
    version,
    name,
    get sql() {
      return read();
    },
    get requiresVectors() {
      return REQUIRES_VECTORS.test(read());
    },
  };
}

/**
 * The migration's SQL with its placeholders filled in. `{{vector_dimension}}`: the vector
 * index's dimension (it is chosen by the embedding model, so no fixed SQL can name it).
 */
export function migrationSql(db: Database.Database, m: Migration): string {
  if (!m.sql.includes('{{')) return m.sql;
  const hasMeta =
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'devstream_meta'`).get() !== undefined;
  const stored = hasMeta
    ? db.prepare(`SELECT value FROM devstream_meta WHERE key = 'vector_dimension'`).pluck().get()
    : undefined;
  const dimension = Number(stored ?? 768);
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 8192)
    throw new Error(`devstream_meta.vector_dimension is not a dimension: ${String(stored)}`);
  return m.sql.replaceAll('{{vector_dimension}}', String(dimension));
}

/** Marks a migration applied (inside the caller's transaction). */
export function record(db: Database.Database, m: Migration): void {
  db.prepare(`INSERT INTO schema_version (version, description) VALUES (?, ?)`).run(m.version, m.name);
  db.pragma(`user_version = ${Number(m.version)}`);
}
