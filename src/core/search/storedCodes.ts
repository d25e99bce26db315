import { tableExists } from '../db/migrate';
import type { Store } from '../db/store';
import { ROTATION_ID } from './randomRotation';
import type { IndexCodes, VectorIndex } from './vectorIndex';

/** The stored codes' metadata (migration 0006), read without the blobs. */
export interface StoredCodesInfo {
  format: string;
  model: string;
  dimension: number;
  seq: number;
  count: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export const codeFormat = (bits: number) => `${ROTATION_ID}/${bits}`;

const hasTable = (store: Store) => tableExists(store.db, 'vector_index_codes');

/** What stored codes (and a loaded index) are checked against: the changelog's ends and the vector space. */
export interface ChangelogHead {
  maxSeq: number | null;
  minSeq: number | null;
  dim: string | null;
  model: string | null;
}

export const CHANGELOG_HEAD = `SELECT (SELECT max(seq) FROM vec_changelog) AS maxSeq,
  (SELECT min(seq) FROM vec_changelog) AS minSeq,
  (SELECT value FROM devstream_meta WHERE key = 'vector_dimension') AS dim,
  (SELECT value FROM devstream_meta WHERE key = 'embedding_model') AS model`;

/** What is stored, if anything (a database before migration 0006 has nothing). */
export function storedCodesInfo(store: Store): StoredCodesInfo | undefined {
  if (!hasTable(store)) return undefined;
  return store.db.prepare(`SELECT format, model, dimension, seq, count FROM vector_index_codes WHERE id = 1`).get() as
    StoredCodesInfo | undefined;
}

/**
 * The stored codes, or undefined when none are stored or they are not in the shape `info` says
 * (a torn or hand-edited row is ignored, never trusted). Float64 rowids are read as the bytes
 * were written: every platform VS Code runs on is little-endian, and a big-endian one reads nothing.
 */
export function readStoredCodes(store: Store, info: StoredCodesInfo, bits: number): IndexCodes | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  const row = store.db
    .prepare(`SELECT rowids, types, codes FROM vector_index_codes WHERE id = 1 AND seq = ?`)
    .get(info.seq) as { rowids: Buffer; types: Buffer; codes: Buffer } | undefined;
  const n = info.count;
  if (!row || !isBlob(row.rowids, n * 8) || !isBlob(row.types, n) || !isBlob(row.codes, (n * bits) / 8))
    return undefined;
  const rowids = new Float64Array(n);
  new Uint8Array(rowids.buffer).set(row.rowids); // copy: the Buffer need not be 8-byte aligned
  return { bits, rowids, types: row.types, codes: row.codes };
}

const isBlob = (v: unknown, bytes: number) => Buffer.isBuffer(v) && v.byteLength === bytes;

/**
 * Stores the index's codes as of changelog `seq`, replacing what was there. The caller holds
 * the write lock and has brought the index up to `seq` inside it, so codes and seq agree.
 */
export function writeStoredCodes(store: Store, index: VectorIndex, model: string, seq: number): void {
  if (!LITTLE_ENDIAN || !hasTable(store)) return;
  const c = index.codes();
  store.db
    .prepare(
      `INSERT OR REPLACE INTO vector_index_codes
      (id, format, model, dimension, seq, count, written_at, rowids, types, codes)
      VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      codeFormat(c.bits),
      model,
      index.dimension,
      seq,
      c.rowids.length,
      new Date().toISOString(),
      Buffer.from(c.rowids.buffer, c.rowids.byteOffset, c.rowids.byteLength),
      Buffer.from(c.types.buffer, c.types.byteOffset, c.types.byteLength),
      Buffer.from(c.codes.buffer, c.codes.byteOffset, c.codes.byteLength),
    );
}

/** Forgets the stored codes (the vector space is being replaced). */
export function clearStoredCodes(store: Store): void {
  if (hasTable(store)) store.db.prepare(`DELETE FROM vector_index_codes`).run();
}

/** What `devstream doctor` says about the stored codes. */
export interface StoredCodesStatus {
  memories: number;
  /** Changelog entries newer than the codes: what a new process replays before using them. */
  behind: number;
  /** Of the index's current model and dimension (else a new process ignores them). */
  current: boolean;
}

export function storedCodesStatus(store: Store): StoredCodesStatus | undefined {
  const info = storedCodesInfo(store);
  if (!info) return undefined;
  const head = store.db.prepare(CHANGELOG_HEAD).get() as ChangelogHead;
  return {
    memories: info.count,
    behind: Math.max(0, (head.maxSeq ?? 0) - info.seq),
    current: info.model === head.model && info.dimension === Number(head.dim),
  };
}
