import type Database from 'better-sqlite3';
import type { Store } from '../db/store';
import { enlargeCacheForBulk, StagedInsert } from '../db/stagedInsert';
import { DevStreamError } from '../errors';
import { getVectorSpace, claimVectorSpace } from '../memory/vectorSpace';
import { EXPORT_TABLES, FORMAT, type ExportHeader, type ExportTable } from './tables';

export interface ImportReport {
  inserted: Record<string, number>;
  /** Rows whose id was already there: importing twice adds nothing. */
  skipped: number;
  /** Embeddings from another model or dimension: dropped, to be re-embedded. */
  embeddingsDropped: number;
  errors: { line: number; message: string }[];
}

const BATCH = 2000;

type Entry = { line: number; table: ExportTable; row: Record<string, unknown> };
type Prepared = { line: number; table: ExportTable; names: string[]; values: Record<string, unknown> };

/**
 * Imports an export made by exportJsonl. Rows are inserted in batches (each one transaction),
 * existing ids are left alone, so an interrupted import can simply be run again. A bad line
 * is reported with its number and does not stop the rest.
 */
export async function importJsonl(store: Store, lines: AsyncIterable<string> | Iterable<string>): Promise<ImportReport> {
  if (!store.vectorsEnabled) throw new DevStreamError('Cannot import: the sqlite-vec extension could not be loaded, so memories are read-only.', 'unavailable');
  const report: ImportReport = { inserted: {}, skipped: 0, embeddingsDropped: 0, errors: [] };
  const columns = new Map<string, Set<string>>();
  const statements = new Map<string, Database.Statement>();
  const space = getVectorSpace(store);
  const termsStmt = store.db.prepare(`SELECT devstream_search_terms(?, ?)`).pluck();
  let header: ExportHeader | undefined;
  let keepEmbeddings = false;
  let batch: Entry[] = [];

  // Memories are moved into the table a run at a time (StagedInsert: one FTS segment per run,
  // not per memory). Any other row flushes the run first, so rows land in file order.
  const flush = () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    store.tx(() => {
      let run: { key: string; stage: StagedInsert; rows: Prepared[] } | undefined;
      const endRun = () => {
        if (!run) return;
        const { stage, rows: staged } = run;
        run = undefined;
        try {
          const inserted = stage.flush();
          count('semantic_memory', inserted);
          report.skipped += staged.length - inserted;
        } catch {
          for (const r of staged) insertOne(r); // one bad row: find it, keep the others
        } finally {
          stage.close();
        }
      };
      for (const entry of rows) {
        let prepared: Prepared;
        try {
          prepared = prepare(entry);
        } catch (e) {
          report.errors.push({ line: entry.line, message: (e as Error).message });
          continue;
        }
        if (prepared.table !== 'semantic_memory') {
          endRun();
          insertOne(prepared);
          continue;
        }
        const key = prepared.names.join(',');
        if (run && run.key !== key) endRun();
        run ??= { key, stage: new StagedInsert(store.db, 'semantic_memory', prepared.names, 'ignore'), rows: [] };
        run.stage.add(prepared.names.map((n) => prepared.values[n]));
        run.rows.push(prepared);
      }
      endRun();
    });
  };

  const count = (table: string, n: number) => {
    if (n > 0) report.inserted[table] = (report.inserted[table] ?? 0) + n;
  };

  const prepare = ({ line, table, row }: Entry): Prepared => {
    let cols = columns.get(table);
    if (!cols) {
      cols = new Set(store.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
      columns.set(table, cols);
    }
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (!cols.has(k)) continue; // a column this schema does not have
      values[k] = decode(v);
    }
    if (table === 'semantic_memory' && values.embedding != null && !keepEmbeddings) {
      values.embedding = values.embedding_model = values.embedding_dimension = values.embedding_provider = null;
      report.embeddingsDropped++;
    }
    if (table === 'semantic_memory' && values.search_terms == null) {
      values.search_terms = termsStmt.get(values.content, values.keywords);
    }
    return { line, table, names: Object.keys(values), values };
  };

  const insertOne = ({ line, table, names, values }: Prepared) => {
    const key = `${table}:${names.join(',')}`;
    let stmt = statements.get(key);
    if (!stmt) {
      stmt = store.db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => '@' + n).join(', ')}) ON CONFLICT DO NOTHING`);
      statements.set(key, stmt);
    }
    try {
      if (stmt.run(values).changes === 0) report.skipped++;
      else count(table, 1);
    } catch (e) {
      report.errors.push({ line, message: (e as Error).message });
    }
  };

  const restoreCache = enlargeCacheForBulk(store.db);
  try {
    let lineNo = 0;
    for await (const raw of lines) {
      lineNo++;
      const text = raw.trim();
      if (!text) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        if (!header) throw new DevStreamError(`Not a DevStream export: line ${lineNo} is not JSON (an export is JSON lines, made by 'devstream export').`);
        report.errors.push({ line: lineNo, message: 'not valid JSON' });
        continue;
      }
      if (!header) {
        header = readHeader(parsed);
        keepEmbeddings = header.vectorSpace.dimension === space.dimension && header.vectorSpace.model !== null &&
          (space.model === null || space.model === header.vectorSpace.model);
        if (keepEmbeddings && space.model === null) store.tx(() => claimVectorSpace(store, header!.vectorSpace.model!, header!.vectorSpace.provider ?? 'unknown', space.dimension));
        continue;
      }
      const entry = parsed as { table?: unknown; row?: unknown };
      if (!EXPORT_TABLES.includes(entry.table as ExportTable) || typeof entry.row !== 'object' || entry.row === null) {
        report.errors.push({ line: lineNo, message: `expected {"table": one of ${EXPORT_TABLES.join('|')}, "row": {…}}` });
        continue;
      }
      batch.push({ line: lineNo, table: entry.table as ExportTable, row: entry.row as Record<string, unknown> });
      if (batch.length >= BATCH) flush();
    }
    flush();
    if (!header) throw new DevStreamError('The import file is empty.');
    return report;
  } finally {
    restoreCache();
  }
}

function readHeader(value: unknown): ExportHeader {
  const h = value as Partial<ExportHeader>;
  if (h?.format !== FORMAT || typeof h.version !== 'number') {
    throw new DevStreamError(`Not a DevStream export: the first line must be its header ({"format": "${FORMAT}", …}).`);
  }
  if (h.version > 1) throw new DevStreamError(`This export uses format version ${h.version}; this DevStream reads version 1. Update DevStream.`);
  return { ...h, vectorSpace: h.vectorSpace ?? { dimension: 0, model: null, provider: null } } as ExportHeader;
}

function decode(v: unknown): unknown {
  if (v && typeof v === 'object' && typeof (v as { $base64?: unknown }).$base64 === 'string') return Buffer.from((v as { $base64: string }).$base64, 'base64');
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}
