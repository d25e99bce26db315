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

/**
 * The state file with the last version read or written kept in memory: a process that saves
 * many memories does not re-read and re-parse it each time. Another process's write changes its
 * size or mtime, and is read again.
 */
export class StateFile {
  private cached?: { state: BankState; size: number; mtimeMs: number };

  constructor(readonly file: string) {}

  read(): { state: BankState; problem?: string } {
    const st = statOf(this.file);
    if (this.cached && st && st.size === this.cached.size && st.mtimeMs === this.cached.mtimeMs) {
      return { state: this.cached.state };
    }
    this.cached = undefined;
    return readState(this.file);
  }

  /** Written to a temporary file and renamed: a crash mid-write never leaves half a state file. */
  write(state: BankState): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, this.file);
    const st = fs.statSync(this.file);
    this.cached = { state, size: st.size, mtimeMs: st.mtimeMs };
  }

  /** After a failed sync: the state in memory may be half updated, the file is not. */
  forget(): void {
    this.cached = undefined;
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

export function byId(state: BankState): Map<string, string> {
  const m = new Map<string, string>();
  for (const [p, f] of Object.entries(state.files)) m.set(`${f.kind}:${f.id}`, p);
  return m;
}
