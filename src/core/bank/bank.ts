import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DevStream } from '../devstream';
import { applySecretPolicy } from '../memory/secretPolicy';
import { describeFindings, detectSecrets } from '../memory/secrets';
import type { Memory } from '../memory/types';
import { DATA_DIR } from '../workspace';
import { scanBank, sha256, type ScannedFile } from './bankFiles';
import { byId, dropEntry, setEntry, StateFile, type BankState, type FileState } from './bankState';
import { withBankLock } from './bankLock';
import { isTracked, takeDirtyRows, trackDirtyRows } from './dirtyRows';
import { ensureBankCommittable } from './gitignore';
import { importMemories } from './importMemories';
import { importPlan } from './importPlan';
import { memoryFilePath, parseMemoryFile, renderMemoryFile, toRecord, type MemoryRecord } from './memoryFile';
import { parsePlanFile, planFilePath, renderPlanFile, type PlanDoc } from './planFile';
import { SCOPE_KEY } from './scope';

export const BANK_DIR = 'bank';
export const STATE_FILE = 'bank-state.json';

export interface BankProblem {
  /** Relative to the workspace folder, e.g. `.devstream/bank/decision/x-1a2b3c4d.md`. */
  file: string;
  message: string;
}

export interface SyncReport {
  /** Files whose content reached the database (new or changed in the files). */
  imported: string[];
  /** Files gone from the bank whose memory or plan was deleted from the database. */
  deleted: string[];
  /** Files written from the database (new or changed here). */
  exported: string[];
  /** Files removed because their memory or plan was deleted here or made private. */
  removed: string[];
  /** Files with git conflict markers: nothing imported from them until resolved. */
  conflicted: string[];
  skipped: BankProblem[];
  notices: string[];
}

export interface BankStatus {
  new: string[];
  changed: string[];
  deleted: string[];
  conflicted: string[];
  skipped: BankProblem[];
  /** Shared memories and plans changed in the database and not yet written to files. */
  unexported: number;
  files: number;
}

export interface BankOptions {
  /** The author written into new files; default `git config user.name <user.email>`. */
  author?: string | null;
}

/**
 * The team memory bank: `.devstream/bank/` in a workspace, one Markdown file per shared memory
 * and per plan, committed with git. The database is its index: `sync` brings file changes (a
 * pull, a merge, a hand edit) into the database and database changes into the files, using the
 * git-ignored state file as the common ancestor of the comparison.
 */
export class Bank {
  readonly dir: string;
  readonly statePath: string;
  private authorName?: string | null;
  private readonly stateFile: StateFile;
  private seenChanges = -1;

  constructor(
    readonly root: string,
    opts: BankOptions = {},
  ) {
    this.dir = path.join(root, DATA_DIR, BANK_DIR);
    this.statePath = path.join(root, DATA_DIR, STATE_FILE);
    this.stateFile = new StateFile(this.statePath);
    if (opts.author !== undefined) this.authorName = opts.author;
  }

  /** The bank of the workspace a database belongs to, when that workspace has one. */
  static forDatabase(dbPath: string, opts: BankOptions = {}): Bank | undefined {
    const dir = path.dirname(dbPath);
    if (path.basename(dir) !== DATA_DIR) return undefined;
    const bank = new Bank(path.dirname(dir), opts);
    return bank.exists() ? bank : undefined;
  }

  exists(): boolean {
    return fs.existsSync(this.dir);
  }

  /** Creates the folder and makes it committable; a sync then writes every shared memory and plan. */
  create(): void {
    fs.mkdirSync(path.join(this.dir, 'plans'), { recursive: true });
    ensureBankCommittable(path.join(this.root, DATA_DIR));
  }

  /** `create`, then the first sync through the use-case layer (so views hear of what it imported). */
  init(ds: DevStream): SyncReport {
    this.create();
    return ds.syncBank(this);
  }

  /** Files into the database first (what a pull brought), then the database into the files. */
  sync(ds: DevStream): SyncReport {
    const report: SyncReport = {
      imported: [],
      deleted: [],
      exported: [],
      removed: [],
      conflicted: [],
      skipped: [],
      notices: [],
    };
    if (!this.exists()) throw new Error(`No bank at ${this.dir} (run devstream bank init).`);
    return this.guarded(() => {
      const { state, problem } = this.stateFile.read();
      if (problem) report.notices.push(problem);
      const imported = this.importFiles(ds, state, report);
      this.stateFile.write(state);
      this.exportInto(ds, state, report, imported);
      this.stateFile.write(state);
      return report;
    });
  }

  /**
   * The database into the files only (after a write through the use-case layer); `all`: every row, not just those
   * written.
   */
  exportChanges(ds: DevStream, all = false): SyncReport {
    const report: SyncReport = {
      imported: [],
      deleted: [],
      exported: [],
      removed: [],
      conflicted: [],
      skipped: [],
      notices: [],
    };
    return this.guarded(() => {
      const { state } = this.stateFile.read();
      this.exportInto(ds, state, report, new Set(), !all);
      this.stateFile.flush(state);
      return report;
    });
  }

  /**
   * For writers that bypass the use-case layer's change reports (the MCP server writes through
   * the store): exports when this connection changed any row since the last call. SQLite's
   * total_changes() makes the no-write case one cheap query.
   */
  /** From now on, exports after a write look only at the memories this connection wrote. */
  track(ds: DevStream): void {
    trackDirtyRows(ds.store.db);
  }

  exportIfWritten(ds: DevStream): SyncReport | undefined {
    const changes = ds.store.db.prepare(`SELECT total_changes()`).pluck().get() as number;
    if (changes === this.seenChanges) return undefined;
    const tracked = isTracked(ds.store.db);
    this.track(ds);
    // Untracked until now: writes before this call were not recorded, so compare every row once.
    const report = this.exportChanges(ds, !tracked);
    // The export's own writes (none to the database) leave the count as it is.
    this.seenChanges = ds.store.db.prepare(`SELECT total_changes()`).pluck().get() as number;
    return report;
  }

  /** What a sync would do, without doing it. */
  status(ds: DevStream): BankStatus {
    const { state } = this.stateFile.read();
    const scan = scanBank(this.dir, this.root, state.files);
    const s: BankStatus = {
      new: [],
      changed: [],
      deleted: [],
      conflicted: [],
      skipped: [],
      unexported: 0,
      files: scan.length,
    };
    const onDisk = new Set(scan.map((f) => f.rel));
    for (const f of scan) {
      if (f.conflicted) s.conflicted.push(this.shown(f.rel));
      else if (f.problem) s.skipped.push({ file: this.shown(f.rel), message: f.problem });
      else if (!state.files[f.rel]) s.new.push(this.shown(f.rel));
      else if (state.files[f.rel].hash !== f.hash) s.changed.push(this.shown(f.rel));
    }
    for (const rel of Object.keys(state.files)) if (!onDisk.has(rel)) s.deleted.push(this.shown(rel));
    const ids = byId(state);
    for (const row of this.memoryRows(ds)) {
      if (!this.isShared(row.scope)) continue;
      const entry = state.files[ids.get(`memory:${row.id}`) ?? ''];
      if (!entry || entry.updatedAt !== row.updated_at) s.unexported++;
    }
    return s;
  }

  /** Secret findings in bank files, with every rule (for a pre-commit hook: any finding fails the commit). */
  async check(): Promise<BankProblem[]> {
    const found: BankProblem[] = [];
    for (const f of scanBank(this.dir, this.root, {})) {
      if (f.text === undefined) continue;
      const policy = await applySecretPolicy(f.text);
      if (policy.found > 0)
        found.push({
          file: this.shown(f.rel),
          message: (policy.message ?? 'likely secret').replace(/^Redacted /, 'holds '),
        });
    }
    return found;
  }

  private guarded<T>(fn: () => T): T {
    try {
      return withBankLock(`${this.statePath}.lock`, fn);
    } catch (e) {
      this.stateFile.forget();
      throw e;
    }
  }

  /** `.devstream/bank/decision/x.md`: how messages name a bank file. */
  shown(rel: string): string {
    return `${DATA_DIR}/${BANK_DIR}/${rel}`;
  }

  // ── files → database ───────────────────────────────────────────────────────────────────

  /** Returns the ids of the memories imported. */
  private importFiles(ds: DevStream, state: BankState, report: SyncReport): Set<string> {
    const scan = scanBank(this.dir, this.root, state.files);
    if (scan.length === 0 && Object.keys(state.files).length > 0 && !fs.existsSync(path.join(this.dir, 'plans'))) {
      // A checkout without the bank (or a deleted folder) is not the deletion of every memory.
      report.notices.push(`${this.shown('')} is empty and has no plans/ folder: nothing deleted from the database`);
      return new Set();
    }
    const changed: { f: ScannedFile; plan?: PlanDoc; memory?: MemoryRecord }[] = [];
    const owners = new Map<string, string[]>(); // kind:id → files holding it
    const own = (key: string, rel: string) => owners.set(key, [...(owners.get(key) ?? []), rel]);
    for (const f of scan) {
      const prev = state.files[f.rel];
      if (f.conflicted) {
        report.conflicted.push(this.shown(f.rel));
        continue;
      }
      if (f.problem) {
        report.skipped.push({ file: this.shown(f.rel), message: f.problem });
        continue;
      }
      if (prev && prev.hash === f.hash) {
        own(`${prev.kind}:${prev.id}`, f.rel);
        setEntry(state, f.rel, { ...prev, size: f.size, mtimeMs: f.mtimeMs });
        continue;
      }
      try {
        const item = f.kind === 'plan' ? { f, plan: parsePlanFile(f.text!) } : { f, memory: parseMemoryFile(f.text!) };
        own(`${f.kind}:${item.plan?.plan.id ?? item.memory!.id}`, f.rel);
        changed.push(item);
      } catch (e) {
        report.skipped.push({ file: this.shown(f.rel), message: `${(e as Error).message}` });
      }
    }
    const duplicate = (key: string, rel: string) => {
      const files = owners.get(key) ?? [];
      if (files.length < 2) return false;
      report.skipped.push({
        file: this.shown(rel),
        message: `its id is also in ${files
          .filter((x) => x !== rel)
          .map((x) => this.shown(x))
          .join(', ')}`,
      });
      return true;
    };
    const plans = changed.filter((c) => c.plan && !duplicate(`plan:${c.plan.plan.id}`, c.f.rel));
    const memories = changed.filter((c) => c.memory && !duplicate(`memory:${c.memory.id}`, c.f.rel));
    this.noticeBothChanged(ds, state, memories, report);
    for (const { f, plan } of plans) {
      try {
        importPlan(ds.store, plan!);
        this.remember(state, f, { id: plan!.plan.id, kind: 'plan' });
        report.imported.push(this.shown(f.rel));
      } catch (e) {
        report.skipped.push({ file: this.shown(f.rel), message: (e as Error).message });
      }
    }
    this.importMemoryFiles(
      ds,
      state,
      memories.map((c) => ({ f: c.f, r: c.memory! })),
      report,
    );
    this.deleteVanished(ds, state, new Set(scan.map((f) => f.rel)), owners, report);
    return new Set(memories.map((c) => c.memory!.id));
  }

  /**
   * A row changed here without reaching its file (a write by a process without the bank) while
   * the file changed too: the file wins, as a pull wins over unsaved work, and the user is told
   * what the database held.
   */
  private noticeBothChanged(
    ds: DevStream,
    state: BankState,
    items: { f: ScannedFile; memory?: MemoryRecord }[],
    report: SyncReport,
  ): void {
    for (const { f, memory } of items) {
      const prev = state.files[f.rel];
      const here = prev && ds.memories.get(memory!.id);
      if (here && prev.updatedAt !== undefined && here.updatedAt !== prev.updatedAt) {
        const was = here.content.length > 60 ? `${here.content.slice(0, 60)}…` : here.content;
        report.notices.push(
          `${this.shown(f.rel)} changed in the file and here; the file's version was imported ` +
            `(this database had: "${was}")`,
        );
      }
    }
  }

  /** All in one transaction; when that fails, one by one, so the message names the file at fault. */
  private importMemoryFiles(
    ds: DevStream,
    state: BankState,
    items: { f: ScannedFile; r: MemoryRecord }[],
    report: SyncReport,
  ): void {
    const notice = (t: string) => report.notices.push(t);
    const done = (batch: typeof items) => {
      const updated = this.updatedAtOf(
        ds,
        batch.map((x) => x.r.id),
      );
      for (const { f, r } of batch) {
        this.remember(state, f, { id: r.id, kind: 'memory', updatedAt: updated.get(r.id) });
        report.imported.push(this.shown(f.rel));
      }
    };
    try {
      importMemories(
        ds.store,
        ds.memories,
        items.map((x) => x.r),
        notice,
      );
      done(items);
    } catch {
      for (const item of items) {
        try {
          importMemories(ds.store, ds.memories, [item.r], notice);
          done([item]);
        } catch (e) {
          report.skipped.push({ file: this.shown(item.f.rel), message: (e as Error).message });
        }
      }
    }
  }

  private deleteVanished(
    ds: DevStream,
    state: BankState,
    onDisk: Set<string>,
    owners: Map<string, string[]>,
    report: SyncReport,
  ): void {
    for (const [rel, entry] of Object.entries(state.files)) {
      if (onDisk.has(rel)) continue;
      dropEntry(state, rel);
      if (owners.has(`${entry.kind}:${entry.id}`)) continue; // renamed: another file holds it now
      if (entry.kind === 'memory') ds.memories.delete(entry.id);
      else if (ds.plans.listPlans().some((p) => p.id === entry.id)) ds.plans.deletePlan(entry.id);
      report.deleted.push(this.shown(rel));
    }
  }

  private remember(state: BankState, f: ScannedFile, e: Pick<FileState, 'id' | 'kind' | 'updatedAt'>): void {
    setEntry(state, f.rel, { ...e, hash: f.hash, size: f.size, mtimeMs: f.mtimeMs });
  }

  // ── database → files ───────────────────────────────────────────────────────────────────

  /** `imported`: memories this sync just read from their files, which need no rendering back. */
  /**
   * `recent` (after a write here): only the memories this connection wrote since the last export
   * (see dirtyRows.ts); otherwise every row is compared with the state, which also catches writes
   * made by other processes without the bank.
   */
  private exportInto(
    ds: DevStream,
    state: BankState,
    report: SyncReport,
    imported = new Set<string>(),
    recent = false,
  ): void {
    if (!this.exists()) return;
    const db = ds.store.db;
    const now = db.prepare(`SELECT CURRENT_TIMESTAMP`).pluck().get() as string;
    const ids = byId(state);
    if (recent && isTracked(db)) {
      for (const id of takeDirtyRows(db)) {
        const m = ds.memories.get(id);
        const rel = ids.get(`memory:${id}`);
        if (m && this.isShared(m.metadata[SCOPE_KEY])) this.exportMemory(state, m, rel, report);
        else if (rel) this.removeFile(state, rel, report); // deleted, or made private
      }
    } else {
      if (isTracked(db)) takeDirtyRows(db); // this full pass covers them
      this.exportAllMemories(ds, state, ids, imported, report);
    }
    const planIds = new Set<string>();
    for (const plan of ds.plans.listPlans()) {
      planIds.add(plan.id);
      const rel = ids.get(`plan:${plan.id}`);
      if (plan.metadata?.[SCOPE_KEY] === 'private') {
        if (rel) this.removeFile(state, rel, report);
        continue;
      }
      const phases = ds.plans.listPhases(plan.id);
      const tasks = ds.plans.listTasks({ planId: plan.id });
      const doc: PlanDoc = {
        plan,
        phases: phases.map((phase) => ({ phase, tasks: tasks.filter((t) => t.phaseId === phase.id) })),
      };
      this.writeFile(state, rel ?? planFilePath(plan), renderPlanFile(doc), { id: plan.id, kind: 'plan' }, rel, report);
    }
    for (const [key, rel] of [...ids]) {
      if (key.startsWith('plan:') && !planIds.has(key.slice(5))) this.removeFile(state, rel, report);
    }
    state.exportedAt = now;
  }

  private exportAllMemories(
    ds: DevStream,
    state: BankState,
    ids: ReadonlyMap<string, string>,
    imported: Set<string>,
    report: SyncReport,
  ): void {
    const memoryIds = new Set<string>();
    for (const row of this.memoryRows(ds)) {
      memoryIds.add(row.id);
      const rel = ids.get(`memory:${row.id}`);
      const entry = rel ? state.files[rel] : undefined;
      if (!this.isShared(row.scope)) {
        if (rel) this.removeFile(state, rel, report);
        continue;
      }
      // Same updated_at as last time, and older than the last export's second: unchanged.
      if (entry && entry.updatedAt === row.updated_at && (row.updated_at < state.exportedAt || imported.has(row.id))) {
        continue;
      }
      const m = ds.memories.get(row.id);
      if (m) this.exportMemory(state, m, rel, report);
    }
    for (const [key, rel] of [...ids]) {
      if (key.startsWith('memory:') && !memoryIds.has(key.slice(7))) this.removeFile(state, rel, report);
    }
  }

  private exportMemory(state: BankState, m: Memory, rel: string | undefined, report: SyncReport): void {
    const target = rel && rel.startsWith(`${m.contentType}/`) ? rel : memoryFilePath(m);
    const text = renderMemoryFile(toRecord(m, this.author()));
    this.writeFile(state, target, text, { id: m.id, kind: 'memory', updatedAt: m.updatedAt }, rel, report);
  }

  /**
   * Writes only when the bytes differ, and never over a file changed on disk since the last
   * sync (a pull or a hand edit not yet imported, a conflicted merge): that is the user's.
   */
  private writeFile(
    state: BankState,
    rel: string,
    text: string,
    e: Pick<FileState, 'id' | 'kind' | 'updatedAt'>,
    previous: string | undefined,
    report: SyncReport,
  ): void {
    const hash = sha256(text);
    const abs = path.join(this.dir, rel);
    const known = state.files[rel];
    if (known?.hash === hash) {
      // What this bank last wrote or imported: nothing to write. A change on disk since then is
      // the next sync's to import, not this export's to undo.
      if (known.updatedAt !== e.updatedAt) setEntry(state, rel, { ...known, ...e });
      return;
    }
    const onDisk = fs.existsSync(abs) ? sha256(fs.readFileSync(abs)) : undefined;
    if (onDisk === hash) {
      if (known) setEntry(state, rel, { ...known, ...e });
      else this.stamp(state, rel, hash, e);
      return;
    }
    if (onDisk !== undefined && onDisk !== known?.hash) {
      report.notices.push(
        `${this.shown(rel)} changed on disk since the last sync: not overwritten (run devstream bank sync)`,
      );
      return;
    }
    // Every stored text already passed the full (asynchronous) secret policy when it was saved; this
    // synchronous second look, DevStream's own rules, runs on the save path itself. `bank check` runs all rules.
    const findings = detectSecrets(text);
    if (findings.length > 0) {
      const what = describeFindings(findings);
      report.notices.push(`${e.kind} ${e.id} is not written to the bank: it holds ${what}`);
      return;
    }
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const tmp = `${abs}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, abs);
    this.stamp(state, rel, hash, e);
    report.exported.push(this.shown(rel));
    if (previous && previous !== rel) this.removeFile(state, previous, report);
  }

  private stamp(state: BankState, rel: string, hash: string, e: Pick<FileState, 'id' | 'kind' | 'updatedAt'>): void {
    const st = fs.statSync(path.join(this.dir, rel));
    setEntry(state, rel, { ...e, hash, size: st.size, mtimeMs: st.mtimeMs });
  }

  /** Removes a file this bank wrote; one edited since is left for the user (it is re-imported on the next sync). */
  private removeFile(state: BankState, rel: string, report: SyncReport): void {
    const abs = path.join(this.dir, rel);
    const known = state.files[rel];
    dropEntry(state, rel);
    if (!fs.existsSync(abs)) return;
    if (known && sha256(fs.readFileSync(abs)) !== known.hash) {
      report.notices.push(`${this.shown(rel)} changed on disk since the last sync: kept`);
      return;
    }
    fs.unlinkSync(abs);
    report.removed.push(this.shown(rel));
  }

  /** Rows updated at or after `since` ('' for all). */
  private memoryRows(ds: DevStream): { id: string; updated_at: string; scope: string | null }[] {
    return ds.store.db
      .prepare(`SELECT id, updated_at, json_extract(metadata, '$.${SCOPE_KEY}') AS scope FROM semantic_memory`)
      .all() as { id: string; updated_at: string; scope: string | null }[];
  }

  private updatedAtOf(ds: DevStream, ids: string[]): Map<string, string> {
    const stmt = ds.store.db.prepare(`SELECT updated_at FROM semantic_memory WHERE id = ?`).pluck();
    return new Map(ids.map((id) => [id, stmt.get(id) as string]));
  }

  /**
   * A memory is shared only when its scope says so. Front-ends record the scope when a memory is
   * saved (`--scope`, the `devstream.bank.defaultScope` setting), so every front-end agrees on it;
   * memories from before the bank stay private until shared one by one.
   */
  private isShared(scope: unknown): boolean {
    return scope === 'shared';
  }

  private author(): string | null {
    if (this.authorName === undefined) this.authorName = gitAuthor(this.root);
    return this.authorName;
  }
}

/** `Name <email>` from git config, or null outside a repository / without a configured name. */
export function gitAuthor(cwd: string): string | null {
  const get = (key: string) => {
    try {
      return execFileSync('git', ['config', key], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return '';
    }
  };
  const name = get('user.name');
  const email = get('user.email');
  if (!name && !email) return null;
  return email ? `${name || email} <${email}>` : name;
}
