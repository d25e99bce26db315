import type Database from 'better-sqlite3';

/** An open DevStream database: the connection plus what it can do. */
export interface Store {
  readonly db: Database.Database;
  readonly path: string;
  /** False when sqlite-vec could not be loaded: keyword search only, memories read-only. */
  readonly vectorsEnabled: boolean;
  /** Things the user should be told about (degraded mode, repairs made, backups taken). */
  readonly notices: readonly string[];
  /** Runs fn in one IMMEDIATE transaction (takes the write lock up front: no upgrade deadlocks). */
  tx<T>(fn: () => T): T;
  close(): void;
}
