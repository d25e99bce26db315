import fs from 'node:fs';
import path from 'node:path';

/** What the last sync saw of one bank file. */
export interface FileState {
  id: string;
  kind: 'memory' | 'plan';
  /** sha256 of the file's bytes as written or imported. */
  hash: string;
  /** The memory's updated_at in the database at that time (plans: absent). */
  updatedAt?: string;
  /** Size and mtime at that time: when both are unchanged the file is not read again. */
  size: number;
  mtimeMs: number;
}

/**
 * The git-ignored record of the last sync (`.devstream/bank-state.json`), the common ancestor of
 * a three-way comparison: a file whose hash differs from it was changed in the files (a pull, a
 * hand edit); a row whose updated_at differs was changed here; a path gone from disk was deleted.
 */
export interface BankState {
  version: 1;
  /** The database's CURRENT_TIMESTAMP at the last export: rows updated in that second are looked at again. */
  exportedAt: string;
  files: Record<string, FileState>;
}

export function emptyState(): BankState {
  return { version: 1, exportedAt: '', files: {} };
}

/** A missing or unreadable state file means "nothing synced yet": every file is new, nothing is deleted. */
export function readState(file: string): { state: BankState; problem?: string } {
  if (!fs.existsSync(file)) return { state: emptyState() };
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as BankState;
    if (s.version !== 1 || typeof s.files !== 'object' || s.files === null) throw new Error('unknown layout');
    return { state: s };
  } catch (e) {
    return { state: emptyState(), problem: `${file} is unreadable (${(e as Error).message}); comparing from scratch` };
  }
}

const key = (e: FileState) => `${e.kind}:${e.id}`;

/** Beside each state object: its id → path index, and the paths changed since it was last written whole. */
const extras = new WeakMap<BankState, { ids: Map<string, string>; dirty: Set<string> }>();

function extrasOf(state: BankState) {
  let x = extras.get(state);
  if (!x) {
    const ids = new Map<string, string>();
    for (const [p, f] of Object.entries(state.files)) ids.set(key(f), p);
    x = { ids, dirty: new Set() };
    extras.set(state, x);
  }
  return x;
}

/** `memory:<id>` / `plan:<id>` → the path holding it. Kept up to date by setEntry and dropEntry. */
export function byId(state: BankState): ReadonlyMap<string, string> {
  return extrasOf(state).ids;
}

export function setEntry(state: BankState, rel: string, entry: FileState): void {
  const x = extrasOf(state);
  const old = state.files[rel];
  if (old && x.ids.get(key(old)) === rel) x.ids.delete(key(old));
  state.files[rel] = entry;
  x.ids.set(key(entry), rel);
  x.dirty.add(rel);
}

export function dropEntry(state: BankState, rel: string): void {
  const x = extrasOf(state);
  const old = state.files[rel];
  if (!old) return;
  if (x.ids.get(key(old)) === rel) x.ids.delete(key(old));
  delete state.files[rel];
  x.dirty.add(rel);
}

/** Past this size the journal is folded into the state file. */
const MAX_JOURNAL_BYTES = 256 * 1024;

/**
 * The state file plus a journal of the entries changed since (`bank-state.json.log`, one JSON
 * line each): a save appends a line instead of rewriting the whole file, which at 10K memories
 * is megabytes. The last version is kept in memory; another process's write changes the files'
 * sizes or mtimes, and both are read again. A torn last journal line (a crash) is ignored: the
 * next sync compares that file from scratch.
 */
export class StateFile {
  private cached?: { state: BankState; stamp: string };
  readonly journal: string;

  constructor(readonly file: string) {
    this.journal = `${file}.log`;
  }

  read(): { state: BankState; problem?: string } {
    const stamp = this.stamp();
    if (this.cached && this.cached.stamp === stamp) return { state: this.cached.state };
    this.cached = undefined;
    const r = readState(this.file);
    if (fs.existsSync(this.journal)) {
      for (const line of fs.readFileSync(this.journal, 'utf8').split('\n')) {
        let j: { p: string; e: FileState | null; x: string };
        try {
          j = JSON.parse(line) as typeof j;
        } catch {
          continue;
        }
        if (j.e) r.state.files[j.p] = j.e;
        else delete r.state.files[j.p];
        r.state.exportedAt = j.x;
      }
    }
    return r;
  }

  /** The whole state, written to a temporary file and renamed; the journal is folded in. */
  write(state: BankState): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, this.file);
    fs.rmSync(this.journal, { force: true });
    extrasOf(state).dirty.clear();
    this.cached = { state, stamp: this.stamp() };
  }

  /** Only what changed since the last write, appended to the journal (or the whole state when it grew large). */
  flush(state: BankState): void {
    const size = statOf(this.journal)?.size ?? 0;
    if (!fs.existsSync(this.file) || size > MAX_JOURNAL_BYTES) return this.write(state);
    const { dirty } = extrasOf(state);
    const lines = [...dirty].map((p) => JSON.stringify({ p, e: state.files[p] ?? null, x: state.exportedAt }));
    if (lines.length === 0) lines.push(JSON.stringify({ p: '', e: null, x: state.exportedAt }));
    fs.appendFileSync(this.journal, lines.join('\n') + '\n');
    dirty.clear();
    this.cached = { state, stamp: this.stamp() };
  }

  /** After a failed sync: the state in memory may be half updated, the files are not. */
  forget(): void {
    this.cached = undefined;
  }

  private stamp(): string {
    const a = statOf(this.file);
    const b = statOf(this.journal);
    return `${a?.size}:${a?.mtimeMs}:${b?.size}:${b?.mtimeMs}`;
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
