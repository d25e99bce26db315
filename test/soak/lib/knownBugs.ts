/**
 * Bugs in src/ that these tests found and that are not fixed yet. A check tied to one of
 * them is printed ("known bug Bn") but does not fail the soak or `npm test` (node:test reports
 * it as TODO). When src/ is fixed, its checks pass and the runner says so: delete the entry
 * and the `bug` argument of those checks, so they guard against a regression.
 *
 * docs/reliability.md has the same list with the evidence.
 */
export const KNOWN_BUGS = {
  B1: {
    title: 'write errors (disk full, read-only file) reach callers as raw SqliteError',
    where: 'src/core/db/open.ts (Store.tx), src/core/memory/memoryRepository.ts (archive/delete/setAnchor), src/cli/main.ts (catch)',
    fix: "Wrap Store.tx in translateSqliteError (open.ts: `tx: (fn) => { try { return db.transaction(fn).immediate(); } catch (e) { throw translateSqliteError(e, file); } }`), " +
      'do the same around the single-statement writes in MemoryRepository.archive/delete/setAnchor, and in src/cli/main.ts print `translateSqliteError(e, ctx.dbPath)` instead of the raw error. ' +
      "Then SQLITE_FULL reads 'The disk holding … is full; nothing was written' and SQLITE_READONLY 'Cannot write … check that the folder exists and is writable' (code 'unavailable').",
  },
  B2: {
    title: 'openStore silently opens a file it cannot write (immutable/permission) and only the first write fails',
    where: 'src/core/db/open.ts openStore',
    fix: "SQLite falls back to read-only without an error and better-sqlite3's db.readonly stays false. Before `new Database(...)` when !opts.readonly and the file exists, " +
      "`try { fs.accessSync(file, fs.constants.W_OK); fs.accessSync(path.dirname(file), fs.constants.W_OK) } catch (e) { throw new DevStreamError(`Cannot write ${file} (${e.code}): …`, 'unavailable') }` " +
      '(access(2) reports EPERM/EROFS/EACCES even for root), or open read-only and put a notice in store.notices so the UI says "read-only".',
  },
  B3: {
    title: 'a database file truncated in the middle of a page opens without any error',
    where: 'src/core/db/open.ts assertSqliteFile',
    fix: 'After the magic-header check, when no non-empty -wal file exists: read the page size (bytes 16-17, 1 means 65536) and the in-header page count (bytes 28-31, valid when bytes 92-95 equal bytes 24-27); ' +
      "if fileSize < pageSize × pageCount or fileSize % pageSize !== 0, throw the same DevStreamError('… is damaged (truncated: N of M bytes) …', 'corrupt'). O(1), no full integrity check at open.",
  },
  B4: {
    title: "doctor --repair on a damaged database that still opens fails with 'constraint failed'",
    where: 'src/cli/commands/maintenance.ts doctor',
    fix: "rebuildIndexes re-inserts FTS rows whose rowids the damaged FTS index still holds (SQLITE_CONSTRAINT_PRIMARYKEY), and plain `doctor` then says to run `doctor --repair` again. " +
      "In doctor --repair, run `PRAGMA quick_check` first; when it is not 'ok', treat the file like a 'corrupt' one: close it, move it (and -wal/-shm) aside, create a new database, " +
      'and salvage what is readable by importing exportJsonl(openStore(aside, { readonly: true })) row by row (report rows saved/lost). Never rebuild indexes in place on a file that fails quick_check.',
  },
  B5: {
    title: 'a database in a read-only folder or on read-only media cannot even be searched',
    where: 'src/core/db/open.ts openStore',
    fix: 'A WAL database needs its -shm file; in a folder the process cannot write SQLite fails with SQLITE_CANTOPEN (or SQLITE_READONLY on the first read), even for { readonly: true }. ' +
      "When a read-only open fails that way and the file is readable, fall back to `new Database(fs.readFileSync(file), { readonly: true })` (a snapshot) or a temp copy, with a notice ('read-only folder: showing a snapshot'); " +
      'the CLI should open read-only for commands that only read (search, list, show, export, doctor without --repair).',
  },
  B6: {
    title: 'memories the provider refused during a flaky spell are never embedded until the queue is stopped and started',
    where: 'src/core/embeddings/queue.ts (skipped set; start() clears it only after stop())',
    fix: "isolate() puts refused memories in `skipped`, and start() clears it only when stopRequested — a queue that goes idle and is notified again keeps skipping them for the life of the process, although 'invalid' here " +
      'mostly means a broken response (garbage JSON, wrong dimension) rather than a bad input. Make skipped a Map<id, retryAt> and let pending() retry an entry after maxBackoffMs (or clear skipped whenever run() starts from idle); ' +
      'either keeps the cost bounded (one request per refused memory per back-off period).',
  },
  B7: {
    title: "importing a file that is not JSON says 'The import file is empty.'",
    where: 'src/core/transfer/importJsonl.ts (the JSON.parse catch)',
    fix: "In the JSON.parse catch: `if (!header) throw new DevStreamError(\`Not a DevStream export: line ${lineNo} is not JSON (the first line must be the export header).\`)` — today the bad first line is only recorded in report.errors and the run ends with 'The import file is empty.'",
  },
  B8: {
    title: 'a SQLite database of another program is migrated in place (or fails with a raw SQLite error)',
    where: 'src/core/db/migrate.ts migrate',
    fix: "When current === '0000', not legacy, and sqlite_master has tables: throw DevStreamError(`${file} is a SQLite database of another program (tables: …); DevStream did not change it. Choose another --db path.`, 'invalid') " +
      "before the VACUUM INTO backup. Today a foreign database without name clashes gets DevStream's ~20 tables added to it, and one with a clashing table (e.g. 'agents') fails with 'table agents already exists'.",
  },
  B9: {
    title: "'--db' without a value is ignored: the command uses (and writes) .devstream/devstream.db in the current folder",
    where: 'src/cli/main.ts main (global option loop)',
    fix: "`else if (a === '--db') global.db = argv[++i];` takes undefined (trailing --db) or '' (--db=) and CliContext.resolveDb then falls back to the default path. " +
      "Reject it: `if (!global.db) { io.err(\"devstream: --db needs a file path (e.g. --db .devstream/devstream.db).\"); return 2; }` when --db/--db= was given without a value (and refuse a value starting with '--').",
  },
  B10: {
    title: 'advanced keyword search has no size limit: a 30 000-character query blocks the process for ~26 s',
    where: 'src/core/search/keywordSearch.ts keywordSearch (the opts.advanced branch)',
    fix: "The plain path cuts queries to 1 000 characters (ftsQuery.ts MAX_QUERY_CHARS), the advanced path hands the whole string to FTS5, whose parse/plan cost grows faster than linearly " +
      "(measured: 1 000 chars 160 ms, 4 000 chars 1 s, 30 000 chars 26 s, synchronous). In the advanced branch: " +
      "`if (match.length > 1000) throw new DevStreamError('Advanced queries are limited to 1 000 characters; shorten it or turn off advanced mode.')`.",
  },
  B11: {
    title: "'memory add --embedder <unknown>' saves the memory and exits 0 (the bad flag is only a warning)",
    where: 'src/cli/commands/memory.ts (memory add: embedNow runs after add)',
    fix: "Flag values are validated by cliEmbedder inside embedNow, after the memory is written, and embedNow turns every error into 'Saved without an embedding'. " +
      "Validate --embedder before writing: `const flag = str(v, 'embedder'); if (flag) oneOf(flag, ['auto', 'builtin', 'ollama'] as const, 'embedder');` at the top of run() (and the Ollama URL with the same check createEmbedder uses).",
  },
  B12: {
    title: "'memory add --file' saves a file that is not UTF-8 (Latin-1, CESU-8) with U+FFFD in place of its characters, silently",
    where: 'src/cli/commands/memory.ts readInput (raw.toString(\'utf8\'))',
    fix: "Buffer.toString('utf8') replaces invalid bytes with U+FFFD; validateContent only refuses text that is more than 10% replacement characters, so 'Café' is saved as 'Caf\uFFFD' with exit 0. " +
      "Decode strictly: `let fileText; try { fileText = new TextDecoder('utf-8', { fatal: true }).decode(raw); } catch { throw new DevStreamError(\`${file} is not UTF-8 text (is it Latin-1 or UTF-16?); convert it to UTF-8 first.\`); }` " +
      '(the same for stdin), or save it with a warning that says how many characters were replaced.',
  },
  B13: {
    title: 'saving or editing a memory with a long run of lowercase letters/digits (a hex blob) blocks for seconds to minutes: the identifier regex backtracks quadratically',
    where: 'src/core/memory/terms.ts (IDENTIFIER, searchTerms)',
    fix: "IDENTIFIER = /[A-Za-z][A-Za-z0-9]*(?:[A-Z][A-Za-z0-9]*)+/g retries every start position of a run with no capital letter to its end: O(n²). Measured: 40 KB 1.8 s, 200 KB ~56 s; " +
      "a 1 MB capture (the allowed maximum) extrapolates to 6-25 minutes, depending on the text, blocking the extension host synchronously, in MemoryRepository.add/update. Match words linearly and test them instead: " +
      "`const WORD = /[A-Za-z][A-Za-z0-9]*/g; const INNER_CAPITAL = /.[A-Z]/; for (const m of content.matchAll(WORD)) { if (terms.size >= MAX_TERMS) break; if (!INNER_CAPITAL.test(m[0])) continue; for (const part of splitIdentifier(m[0])) terms.add(part); }` " +
      '(same terms on the samples tried; 1 MB in 19 ms). Optionally skip words longer than ~200 characters: no identifier is that long.',
  },
} as const;

export type KnownBugId = keyof typeof KNOWN_BUGS;
