import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { DevStreamError } from '../errors';
import { searchTerms, titleTerms } from '../memory/terms';
import { assertNotForeign, migrate, type MigrationResult } from './migrate';
import type { Store } from './store';

export interface OpenOptions {
  /** Open without writing anything (no migration, no WAL switch). */
  readonly?: boolean;
  /** Test hook: pretend sqlite-vec is missing. */
  withoutVectors?: boolean;
}

export interface OpenedStore extends Store {
  readonly migration: MigrationResult;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Opens (creating if needed) a DevStream database and brings it to the current schema.
 * WAL lets readers (the search view, a CLI) run beside one writer; NORMAL sync is durable
 * at each checkpoint and cannot corrupt the file; the busy timeout turns short lock waits
 * into waiting instead of errors.
 */
export function openStore(file: string, opts: OpenOptions = {}): OpenedStore {
  const isNew = !fs.existsSync(file) || fs.statSync(file).size === 0;
  if (!isNew) assertSqliteFile(file);
  else if (!opts.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
  // SQLite would silently fall back to read-only on a file it cannot write and fail only at the
  // first write: open it read-only on purpose, and say so.
  const cannotWrite = opts.readonly ? undefined : writeProblem(file, isNew);
  if (cannotWrite && isNew) throw new DevStreamError(`Cannot create ${file}: ${cannotWrite}`, 'unavailable');
  const readonly = opts.readonly === true || cannotWrite !== undefined;

  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly, timeout: 5000 });
    const store = configure(db, file, isNew, { ...opts, readonly });
    if (cannotWrite)
      (store.notices as string[]).push(`Opened ${file} read-only: ${cannotWrite} Searching works; saving does not.`);
    return store;
  } catch (e) {
    db?.close();
    // A WAL database needs its -shm beside it even to be read: in a folder this process cannot
    // write (read-only media, another user's folder) read a snapshot of the file instead.
    if (readonly && !isNew && /^SQLITE_(CANTOPEN|READONLY)/.test((e as { code?: string }).code ?? ''))
      return openSnapshot(file, opts);
    throw translateSqliteError(e, file);
  }
}

function openSnapshot(file: string, opts: OpenOptions): OpenedStore {
  const bytes = fs.readFileSync(file);
  bytes[18] = bytes[19] = 1; // WAL → rollback journal in the header: a snapshot has no -wal to read
  const db = new Database(bytes, { readonly: true });
  try {
    const store = configure(db, file, false, { ...opts, readonly: true });
    (store.notices as string[]).push(
      `Opened a read-only snapshot of ${file}: its folder cannot be written, so changes not yet checkpointed may be missing. Searching works; saving does not.`,
    );
    return store;
  } catch (e) {
    db.close();
    throw translateSqliteError(e, file);
  }
}

function configure(db: Database.Database, file: string, isNew: boolean, opts: OpenOptions): OpenedStore {
  const notices: string[] = [];
  if (isNew && !opts.readonly) db.pragma('page_size = 16384'); // before any table: 2-3x faster vec0 inserts
  if (!isNew) assertNotForeign(db); // before the first write (the WAL switch rewrites the header)
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('mmap_size = 1073741824'); // vec0 KNN scans chunks: mapping halves its time
  db.pragma('cache_size = -32000');
  // Statement journals and bulk-insert staging in RAM, not temp files: every batch of a bulk
  // insert journals the pages it changes (measured about 5% of an import with vectors).
  db.pragma('temp_store = MEMORY');
  db.prepare('SELECT count(*) FROM sqlite_master').get(); // fails here if the file is not a database
  registerFunctions(db);

  let vectorsEnabled = false;
  if (!opts.withoutVectors) {
    try {
      sqliteVec.load(db);
      vectorsEnabled = true;
    } catch (e) {
      notices.push(
        `Vector search is off: the sqlite-vec extension could not be loaded (${(e as Error).message}). Keyword search still works; memories are read-only until it loads.`,
      );
    }
  } else {
    notices.push(
      'Vector search is off: sqlite-vec was not loaded. Keyword search still works; memories are read-only.',
    );
  }

  let migration: MigrationResult = { applied: [] };
  if (!opts.readonly) {
    if (!vectorsEnabled && isNew) {
      throw new DevStreamError(
        'Cannot create a DevStream database without the sqlite-vec extension. Reinstall DevStream for your platform.',
        'unavailable',
      );
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    migration = migrate(db, { backupPath: (v) => `${file}.backup-${v}-${stamp}`, vectorsLoaded: vectorsEnabled });
    if (migration.deferred)
      notices.push(
        `The schema upgrade to ${migration.deferred.at(-1)} waits until the sqlite-vec extension loads (it rebuilds the vector index).`,
      );
    if (migration.backupPath) notices.push(`Backed up the database to ${migration.backupPath} before upgrading it.`);
    if (migration.legacy) {
      const r = migration.legacy;
      notices.push(
        `Upgraded a DevStream 2.1.0 database: ${r.memories} memories; keyword index ${r.ftsBefore} → ${r.ftsAfter} rows; ` +
          `vector index ${r.vecBefore} → ${r.vecAfter} rows; ${r.embeddingsConverted} JSON embeddings converted, ` +
          `${r.embeddingsDropped} invalid ones cleared for re-embedding.`,
      );
    }
  }

  let open = true;
  return {
    db,
    path: file,
    vectorsEnabled,
    notices,
    migration,
    tx: <T>(fn: () => T): T => {
      try {
        return db.transaction(fn).immediate();
      } catch (e) {
        throw translateSqliteError(e, file); // a full disk or read-only file says so, in words
      }
    },
    close: () => {
      if (open) db.close();
      open = false;
    },
  };
}

/** Why this process cannot write the file (access(2) reports EROFS/EPERM/EACCES even for root). */
function writeProblem(file: string, isNew: boolean): string | undefined {
  try {
    if (!isNew) fs.accessSync(file, fs.constants.W_OK);
    fs.accessSync(path.dirname(file), fs.constants.W_OK); // WAL needs -wal and -shm beside it
    return undefined;
  } catch (e) {
    return `it cannot be written (${(e as NodeJS.ErrnoException).code}): check that the file and its folder are writable (not read-only media, another user's file, or immutable).`;
  }
}

function assertSqliteFile(file: string): void {
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!header.subarray(0, 16).equals(SQLITE_HEADER)) {
    throw new DevStreamError(
      `${file} is not a SQLite database (it may be corrupt or another kind of file). ` +
        `It was left untouched: move it aside or run 'devstream doctor --repair' to move it to a backup and start a new database.`,
      'corrupt',
    );
  }
  // A file cut short (a crash while copying, a full disk) opens fine and fails later, deep in a
  // search: compare its size with what its header says. Only meaningful without a WAL to replay.
  const wal = `${file}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) return;
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = header.readUInt32BE(28);
  const countValid = header.readUInt32BE(92) === header.readUInt32BE(24);
  const size = fs.statSync(file).size;
  if (pageSize >= 512 && (size % pageSize !== 0 || (countValid && pages > 0 && size < pages * pageSize))) {
    throw new DevStreamError(
      `${file} is damaged (truncated: ${size} bytes, its header expects ${countValid ? pages * pageSize : 'whole pages of ' + pageSize}). It was left untouched; 'devstream doctor --repair' moves it to a backup and starts a new database.`,
      'corrupt',
    );
  }
}

/** Maps SQLite's error codes to messages that say what to do. */
export function translateSqliteError(e: unknown, file: string): Error {
  if (e instanceof DevStreamError) return e;
  // Extended codes (SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN_ISDIR, …) mean what their base does.
  const code = ((e as { code?: string }).code ?? '').replace(/^(SQLITE_[A-Z]+?)_[A-Z_]+$/, '$1');
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new DevStreamError(
      `${file} is damaged (${code}). It was left untouched; 'devstream doctor --repair' moves it to a backup and starts a new database.`,
      'corrupt',
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new DevStreamError(
      `${file} is locked by another program that kept it busy for more than 5 s. Close other DevStream windows or tools and try again.`,
      'locked',
    );
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new DevStreamError(
      `Cannot write ${file} (${code}): check that the folder exists and is writable.`,
      'unavailable',
    );
  }
  if (code === 'SQLITE_FULL') {
    return new DevStreamError(
      `The disk holding ${file} is full; nothing was written. Free some space and try again.`,
      'unavailable',
    );
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** SQL functions for upgrades and repairs: search_terms and title_terms computed in SQL statements. */
function registerFunctions(db: Database.Database): void {
  db.function('devstream_search_terms', { deterministic: true }, (content: unknown, keywords: unknown) =>
    searchTerms(String(content ?? ''), parseKeywords(keywords)),
  );
  db.function('devstream_title_terms', { deterministic: true }, (content: unknown) =>
    titleTerms(String(content ?? '')),
  );
}

function parseKeywords(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}
