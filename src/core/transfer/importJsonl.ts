import { applySecretPolicy } from '../memory/secretPolicy';
import type Database from 'better-sqlite3';
import type { Store } from '../db/store';
import { enlargeCacheForBulk, StagedInsert } from '../db/stagedInsert';
import { DevStreamError } from '../errors';
import { getVectorSpace, claimVectorSpace } from '../memory/vectorSpace';
import { describeRowError } from './rowErrors';
import { EXPORT_TABLES, FORMAT, type ExportHeader, type ExportTable } from './tables';

export interface ImportReport {
  inserted: Record<string, number>;
  /** Rows whose id was already there: importing twice adds nothing. */
  skipped: number;
  /** Embeddings from another model or dimension: dropped, to be re-embedded. */
  embeddingsDropped: number;
  /** Memories whose likely secrets were redacted on the way in (their vectors dropped, to be embedded again). */
  secretsRedacted: number;
  errors: { line: number; message: string }[];
}

export interface ImportOptions {
  /** The file is the user's own trusted export: store memories as written, without the secret policy. */
  trusted?: boolean;
}

// A batch is one transaction: an interrupted import keeps the batches before it. Large batches
// matter: each commit writes every page the batch touched, and new ids land all over the id
// index, so 2,000-row batches spent a third of an import committing.
// A batch ends after the line that reaches either limit (bytes: characters of data lines).
export const IMPORT_BATCH_ROWS = 10_000;
export const IMPORT_BATCH_BYTES = 32 * 1024 * 1024;

type Entry = { line: number; table: ExportTable; row: Record<string, unknown> };
/** A row ready to insert: the columns this schema has, in schema order; key names that shape. */
type Prepared = { line: number; table: ExportTable; key: string; names: string[]; values: unknown[] };

/**
 * Imports an export made by exportJsonl. Rows are inserted in batches (each one transaction),
 * existing ids are left alone, so an interrupted import can simply be run again. A bad line
 * is reported with its number and does not stop the rest.
 */
export async function importJsonl(
  store: Store,
  lines: AsyncIterable<string> | Iterable<string>,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  if (!store.vectorsEnabled)
    throw new DevStreamError(
      'Cannot import: the sqlite-vec extension could not be loaded, so memories are read-only.',
      'unavailable',
    );
  const report: ImportReport = { inserted: {}, skipped: 0, embeddingsDropped: 0, secretsRedacted: 0, errors: [] };
  const columns = new Map<string, string[]>();
  const statements = new Map<string, Database.Statement>();
  const space = getVectorSpace(store);
  const termsStmt = store.db.prepare(`SELECT devstream_search_terms(?, ?)`).pluck();
  const titleStmt = store.db.prepare(`SELECT devstream_title_terms(?)`).pluck();
  let header: ExportHeader | undefined;
  // The index's model: recorded by the first vector kept, when the index has none yet.
  let spaceModel = space.model;
  let claimRefused = false;
  let batch: Entry[] = [];
  let batchBytes = 0;

  // Memories are moved into the table a run at a time (StagedInsert: one FTS segment per run,
  // not per memory). Any other row ends the run first, so rows land in file order. Stages live
  // for the whole import and are made outside transactions: creating a TEMP table invalidates
  // every prepared statement of the connection, so one per batch cost about 10 ms.
  const stages = new Map<string, StagedInsert>();
  const flush = () => {
    if (batch.length === 0) return;
    const rows: Prepared[] = [];
    for (const entry of batch) {
      try {
        rows.push(prepare(entry));
      } catch (e) {
        report.errors.push({ line: entry.line, message: (e as Error).message });
      }
    }
    batch = [];
    batchBytes = 0;
    for (const r of rows) {
      if (r.table === 'semantic_memory' && !stages.has(r.key))
        stages.set(r.key, new StagedInsert(store.db, 'semantic_memory', r.names, 'ignore'));
    }
    store.tx(() => {
      let run: { stage: StagedInsert; rows: Prepared[] } | undefined;
      const endRun = () => {
        if (!run) return;
        const { stage, rows: staged } = run;
        run = undefined;
        try {
          const inserted = stage.flush();
          count('semantic_memory', inserted);
          report.skipped += staged.length - inserted;
        } catch (e) {
          if (!isRowError(e) || !store.db.inTransaction) throw e;
          for (const r of staged) insertOne(r); // one bad row: find it, keep the others
        }
      };
      for (const r of rows) {
        if (r.table !== 'semantic_memory') {
          endRun();
          insertOne(r);
          continue;
        }
        const stage = stages.get(r.key)!;
        if (run && run.stage !== stage) endRun();
        run ??= { stage, rows: [] };
        stage.add(r.values);
        run.rows.push(r);
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
      cols = store.db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table) as string[];
      columns.set(table, cols);
    }
    const names: string[] = [];
    const values: unknown[] = [];
    for (const c of cols) {
      if (!Object.hasOwn(row, c)) continue; // columns the file has and this schema does not are left out
      names.push(c);
      values.push(decode(row[c]));
    }
    let appended = false;
    const set = (name: string, value: unknown) => {
      const i = names.indexOf(name);
      if (i >= 0) values[i] = value;
      else if (value !== null) {
        names.push(name);
        values.push(value);
        appended = true;
      }
    };
    if (table === 'semantic_memory') {
      const at = (name: string) => values[names.indexOf(name)] ?? null;
      if (at('embedding') !== null) {
        const model = (at('embedding_model') ?? header!.vectorSpace.model) as string | null;
        const provider = (at('embedding_provider') ?? header!.vectorSpace.provider ?? 'unknown') as string;
        if (!keepsVector(at('embedding'), model, provider)) {
          // a kept row stays exactly as exported
          for (const c of ['embedding', 'embedding_model', 'embedding_dimension', 'embedding_provider']) set(c, null);
          report.embeddingsDropped++;
        } else if (at('embedding_model') === null) {
          set('embedding_model', model); // the header's: never a vector without its model
        }
      }
      if (at('search_terms') === null) set('search_terms', termsStmt.get(at('content'), at('keywords')));
      // Derived from the content by this version's rule: an older export has none, a newer one may differ.
      set('title_terms', titleStmt.get(at('content')));
    }
    if (appended) {
      // back to schema order, which the `:*` key below stands for
      const order = names.map((n, i) => [cols.indexOf(n), i] as const).sort((a, b) => a[0] - b[0]);
      return finish(
        line,
        table,
        cols,
        order.map(([, i]) => names[i]),
        order.map(([, i]) => values[i]),
      );
    }
    return finish(line, table, cols, names, values);
  };

  /** A vector is kept only in its own model's space: the index's, or the first one brought. */
  const keepsVector = (embedding: unknown, model: string | null, provider: string): boolean => {
    if (model === null || !Buffer.isBuffer(embedding) || embedding.length !== space.dimension * 4) return false;
    // An empty index takes the model the export's header records, else the first one brought.
    const claimable = header!.vectorSpace.model === null || header!.vectorSpace.model === model;
    if (spaceModel === null && !claimRefused && claimable) {
      try {
        store.tx(() => claimVectorSpace(store, model, provider, space.dimension));
        spaceModel = model;
      } catch {
        claimRefused = true; // the index holds unrecorded vectors (doctor --repair): bring none
      }
    }
    return model === spaceModel;
  };

  const insertOne = ({ line, table, key, names, values }: Prepared) => {
    let stmt = statements.get(key);
    if (!stmt) {
      stmt = store.db.prepare(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`,
      );
      statements.set(key, stmt);
    }
    try {
      if (stmt.run(values).changes === 0) report.skipped++;
      else count(table, 1);
    } catch (e) {
      if (!isRowError(e)) throw e; // a full disk or I/O error ends the import (its batch is undone)
      report.errors.push({ line, message: describeRowError(store.db, { table, names, values }, e) });
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
        if (!header)
          throw new DevStreamError(
            `Not a DevStream export: line ${lineNo} is not JSON (an export is JSON lines, made by 'devstream export').`,
          );
        report.errors.push({ line: lineNo, message: 'not valid JSON' });
        continue;
      }
      if (!header) {
        header = readHeader(parsed);
        continue;
      }
      const entry = parsed as { table?: unknown; row?: unknown };
      if (!EXPORT_TABLES.includes(entry.table as ExportTable) || typeof entry.row !== 'object' || entry.row === null) {
        report.errors.push({
          line: lineNo,
          message: `expected {"table": one of ${EXPORT_TABLES.join('|')}, "row": {…}}`,
        });
        continue;
      }
      const row = entry.row as Record<string, unknown>;
      if (entry.table === 'semantic_memory' && !opts.trusted) await screenSecrets(row, report);
      batch.push({ line: lineNo, table: entry.table as ExportTable, row });
      batchBytes += text.length;
      if (batch.length >= IMPORT_BATCH_ROWS || batchBytes >= IMPORT_BATCH_BYTES) flush();
    }
    flush();
    if (!header) throw new DevStreamError('The import file is empty.');
    return report;
  } finally {
    for (const stage of stages.values()) stage.close();
    restoreCache();
  }
}

function readHeader(value: unknown): ExportHeader {
  const h = value as Partial<ExportHeader>;
  if (h?.format !== FORMAT || typeof h.version !== 'number') {
    throw new DevStreamError(`Not a DevStream export: the first line must be its header ({"format": "${FORMAT}", …}).`);
  }
  if (h.version > 1)
    throw new DevStreamError(
      `This export uses format version ${h.version}; this DevStream reads version 1. Update DevStream.`,
    );
  return { ...h, vectorSpace: h.vectorSpace ?? { dimension: 0, model: null, provider: null } } as ExportHeader;
}

function decode(v: unknown): unknown {
  if (v && typeof v === 'object' && typeof (v as { $base64?: unknown }).$base64 === 'string')
    return Buffer.from((v as { $base64: string }).$base64, 'base64');
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

function finish(
  line: number,
  table: ExportTable,
  cols: readonly string[],
  names: string[],
  values: unknown[],
): Prepared {
  // Rows with every column (all of an export's) share one statement without joining names.
  const key = names.length === cols.length ? `${table}:*` : `${table}:${names.join(',')}`;
  return { line, table, key, names, values };
}

/** Errors that belong to one row (a CHECK, a missing parent, a value of the wrong type), not to the database. */
function isRowError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG')
  );
}

/**
 * The same policy as every other non-interactive writer: likely secrets in an imported memory are
 * redacted, and its vector (computed from the secret) is dropped so the queue embeds the redacted text.
 */
async function screenSecrets(row: Record<string, unknown>, report: ImportReport): Promise<void> {
  if (typeof row.content !== 'string') return;
  const policy = await applySecretPolicy(row.content);
  if (policy.redacted === 0) return;
  row.content = policy.content;
  for (const c of ['embedding', 'embedding_model', 'embedding_dimension', 'embedding_provider']) row[c] = null;
  row.search_terms = null;
  report.secretsRedacted++;
}
