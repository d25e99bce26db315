import type Database from 'better-sqlite3';
import { DevStreamError } from '../errors';
import { upgradeLegacy, type LegacyReport } from './legacy';
import { loadMigrations, migrationSql, record, type Migration } from './migrations';

export interface MigrationResult {
  applied: string[];
  /** Migrations left for an open with sqlite-vec loaded (they rebuild the vector table). */
  deferred?: string[];
  backupPath?: string;
  legacy?: LegacyReport;
}

export interface MigrateOptions {
  /** Where to copy an existing database before changing it; none for a new, empty file. */
  backupPath: (fromVersion: string) => string;
  migrations?: Migration[];
  /** False when sqlite-vec did not load: migrations that need it wait (default true). */
  vectorsLoaded?: boolean;
}

const NUMERIC = /^\d{4}$/;

export function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(name) !== undefined;
}

function appliedVersions(db: Database.Database): string[] {
  if (!tableExists(db, 'schema_version')) return [];
  return (db.prepare(`SELECT version FROM schema_version`).pluck().all() as string[]).filter((v) => NUMERIC.test(v));
}

/**
 * Refuses another program's SQLite database (tables, but neither our schema_version rows nor a
 * DevStream 2.1.0 schema) before anything writes to it: not even the switch to WAL.
 */
export function assertNotForeign(db: Database.Database): void {
  if (currentVersion(db) !== '0000' || tableExists(db, 'semantic_memory')) return;
  const foreign = db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version' ORDER BY name LIMIT 6`,
    )
    .pluck()
    .all() as string[];
  if (foreign.length > 0) {
    throw new DevStreamError(
      `This is a SQLite database of another program (tables: ${foreign.join(', ')}); DevStream did not change it. Point DevStream at another file.`,
      'corrupt',
    );
  }
}

/** The schema version this database is at: '0000' when none of ours is applied. */
export function currentVersion(db: Database.Database): string {
  return appliedVersions(db).sort().at(-1) ?? '0000';
}

/**
 * Brings the database to the newest schema. Each migration runs in its own IMMEDIATE
 * transaction and re-checks schema_version inside it, so two processes opening the same new
 * file at once apply each migration exactly once.
 */
export function migrate(db: Database.Database, opts: MigrateOptions): MigrationResult {
  const migrations = opts.migrations ?? loadMigrations();
  const latest = migrations.at(-1)?.version ?? '0000';
  const current = currentVersion(db);
  if (current > latest) {
    throw new DevStreamError(
      `This database uses schema ${current}, made by a newer DevStream; this version understands ` +
        `up to ${latest}. Update DevStream to open it (the file was not changed).`,
      'schema_too_new',
    );
  }
  let pending = migrations.filter((m) => m.version > current);
  const result: MigrationResult = { applied: [] };
  // Without sqlite-vec a database of ours opens at its schema, keyword-only, and is upgraded the
  // next time the extension loads. (A new or 2.1.0 file needs 0001, which always needs it.)
  const blocked = opts.vectorsLoaded === false && current !== '0000' ? pending.findIndex((m) => m.requiresVectors) : -1;
  if (blocked >= 0) {
    result.deferred = pending.slice(blocked).map((m) => m.version);
    pending = pending.slice(0, blocked);
  }
  if (pending.length === 0) return result;

  const isLegacy = current === '0000' && tableExists(db, 'semantic_memory');
  assertNotForeign(db);
  const hasData = (db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`).pluck().get() as number) > 0;
  if (hasData) {
    result.backupPath = opts.backupPath(isLegacy ? 'v2.1.0' : current);
    db.prepare(`VACUUM INTO ?`).run(result.backupPath);
  }

  for (const m of pending) {
    if (m.version === '0001' && isLegacy) {
      result.legacy = upgradeLegacy(db, m);
      result.applied.push(m.version);
      continue;
    }
    const applied = db.transaction(() => {
      if (appliedVersions(db).includes(m.version)) return false;
      db.exec(migrationSql(db, m));
      record(db, m);
      return true;
    });
    if (applied.immediate()) result.applied.push(m.version);
  }
  return result;
}
