import { memoriesTouchedBy, type Impact } from './anchors/impact';
import { reanchor, staleFiles, storeAnchors, type AnchorStatus, type ReanchorOptions } from './anchors/reanchor';
import { findDuplicate, keepAsHistory, updateFromCode } from './anchors/resolve';
import type { Bank, SyncReport } from './bank/bank';
import { ChangeFeed, type ChangeTopic, type DevStreamChange, type Subscription } from './changes';
import { diagnose, rebuildIndexes, type DoctorReport, type RepairReport } from './db/doctor';
import { openStore, type OpenedStore, type OpenOptions } from './db/open';
import type { ToolContext, ToolResult } from './agents/types';
import type { Embedder } from './embeddings/types';
import { EmbeddingQueue, type EmbeddingQueueOptions } from './embeddings/queue';
import { flagMissingAnchors, renameAnchors } from './hooks/anchors';
import {
  ensureHooks,
  listHooks,
  runHook,
  setHookActive,
  type HookDefinition,
  type HookOutcome,
  type HookRow,
} from './hooks/hooks';
import { InsightRepository } from './insights/insightRepository';
import { MemoryRepository } from './memory/memoryRepository';
import type { Memory, SourceAnchor } from './memory/types';
import { PlanRepository } from './plans/planRepository';
import type { MicroTask } from './plans/types';
import {
  closeWorkSession,
  openWorkSession,
  recordTaskMinutes,
  updateWorkSession,
  type WorkSessionPatch,
} from './sessions/workSessions';
import { readFirstRunProgress, type FirstRunProgress } from './stats/firstRun';
import { readStatistics, type Statistics } from './stats/statistics';
import { INSIGHT_METHODS, MEMORY_METHODS, PLAN_METHODS } from './useCases/kinds';
import { reporting } from './useCases/reporting';

/**
 * One workspace's DevStream: the use cases every front-end (VS Code, the CLI, the MCP server)
 * calls, over one open database. Rules live in the repositories and core functions it hands
 * out; this layer adds what a front-end would otherwise re-do by hand: each write reports what
 * it changed (`onDidChange`), and writes by other processes are noticed (`checkOutsideChanges`).
 * Front-ends never prepare SQL and never announce changes themselves.
 */
export class DevStream {
  readonly plans: PlanRepository;
  readonly memories: MemoryRepository;
  readonly insights: InsightRepository;
  private readonly feed = new ChangeFeed();
  private dataVersion: number;

  static open(dbPath: string, opts: OpenOptions = {}): DevStream {
    return new DevStream(openStore(dbPath, opts));
  }

  /** Wraps an already open store (the DevStream owns it from now on: `close` closes it). */
  constructor(readonly store: OpenedStore) {
    const mark = (...topics: ChangeTopic[]) => this.feed.mark(...topics);
    this.plans = reporting(new PlanRepository(store), PLAN_METHODS, mark);
    this.memories = reporting(new MemoryRepository(store), MEMORY_METHODS, mark);
    this.insights = reporting(new InsightRepository(store), INSIGHT_METHODS, mark);
    this.dataVersion = this.readDataVersion();
  }

  get path(): string {
    return this.store.path;
  }

  /** False once closed (a reset, or the window going away). */
  get isOpen(): boolean {
    return this.store.db.open;
  }

  get vectorsEnabled(): boolean {
    return this.store.vectorsEnabled;
  }

  /** Called once per burst of writes made through this object, and for each outside change noticed. */
  onDidChange(listener: (change: DevStreamChange) => void): Subscription {
    return this.feed.on(listener);
  }

  /**
   * True (and listeners told) when another connection committed since the last look. SQLite's
   * data_version moves only for other connections' commits, so this object's writes never count.
   */
  checkOutsideChanges(): boolean {
    if (!this.isOpen) return false;
    const v = this.readDataVersion();
    if (v === this.dataVersion) return false;
    this.dataVersion = v;
    this.feed.outside();
    return true;
  }

  // ── team bank ──────────────────────────────────────────────────────────────────────────

  /**
   * From now on, memories and plans written through this object reach the bank's files (only
   * what changed: rows are compared by updated_at with the bank's state file). A failure to
   * write a file never fails the write: it is told to `warn`.
   */
  attachBank(bank: Bank, warn: (text: string) => void = () => {}): Subscription {
    bank.track(this);
    return this.onDidChange((c) => {
      if (c.outside || !(c.topics.has('memories') || c.topics.has('plans')) || !this.isOpen) return;
      try {
        for (const n of bank.exportChanges(this).notices) warn(n);
      } catch (e) {
        warn(`The team bank was not updated: ${(e as Error).message}`);
      }
    });
  }

  /** The bank's files into the database and back; reports what the import changed. */
  syncBank(bank: Bank): SyncReport {
    const report = bank.sync(this);
    if (report.imported.length || report.deleted.length) this.feed.mark('memories', 'plans');
    return report;
  }

  // ── anchors ────────────────────────────────────────────────────────────────────────────

  /** Files renamed in the workspace: their memories follow. Returns how many moved. */
  renameAnchors(moves: readonly { from: string; to: string }[]): number {
    const moved = this.store.tx(() => moves.reduce((n, m) => n + renameAnchors(this.store, m.from, m.to), 0));
    if (moved > 0) this.feed.mark('memories', 'anchors');
    return moved;
  }

  /** Files deleted: their memories are kept and flagged as having no source. Returns how many. */
  flagMissingAnchors(files: readonly string[]): number {
    const flagged = this.store.tx(() => files.reduce((n, f) => n + flagMissingAnchors(this.store, f), 0));
    if (flagged > 0) this.feed.mark('memories', 'anchors');
    return flagged;
  }

  /** Anchored memories checked against their files (root: the workspace folder); with `write`, stored. */
  reanchor(root: string, opts: ReanchorOptions = {}): AnchorStatus[] {
    const statuses = reanchor(this.store, root, opts);
    if (opts.write && statuses.length > 0) this.feed.mark('memories', 'anchors');
    return statuses;
  }

  /** Anchored files modified since their memories were last checked (one stat each). */
  staleAnchorFiles(root: string): string[] {
    return staleFiles(this.store, root);
  }

  /** Writes anchors already worked out (the editor's live ranges on save): [anchor JSON, memory id]. */
  storeAnchors(updates: readonly (readonly [string, string])[]): void {
    storeAnchors(this.store, updates);
    if (updates.length > 0) this.feed.mark('memories', 'anchors');
  }

  /** A memory that already anchors this code (same file, overlapping lines, same text). */
  findDuplicate(anchor: Pick<SourceAnchor, 'file' | 'startLine' | 'endLine'>, content: string): Memory | undefined {
    return findDuplicate(this.store, anchor, content);
  }

  /** A changed memory takes the code as it is now (re-snapshot). */
  updateFromCode(root: string, id: string): Memory {
    const m = updateFromCode(this.store, root, id);
    this.feed.mark('memories', 'anchors');
    return m;
  }

  /** A changed memory is kept as a record of how the code was; it no longer claims to match. */
  keepAsHistory(id: string): Memory {
    const m = keepAsHistory(this.store, id);
    this.feed.mark('memories', 'anchors');
    return m;
  }

  /** The memories whose anchored lines the working tree's changes against `base` touch. */
  memoriesTouchedBy(root: string, base = 'HEAD'): Impact {
    return memoriesTouchedBy(this.store, root, base);
  }

  // ── agent tools ────────────────────────────────────────────────────────────────────────

  /**
   * Runs an agent tool on this database (VS Code's language-model tools). A tool that writes
   * (one with a confirmation) reports plans and memories; search and file recall only touch
   * access counts and the hand-off log, so they report nothing.
   */
  async runTool(name: string, input: unknown, ctx: ToolContext): Promise<ToolResult> {
    // Loaded on first use: tool schemas are not needed to activate the extension.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { findTool, runTool } = require('./agents/tools') as typeof import('./agents/tools');
    const result = await runTool(name, input, { ...ctx, store: this.store });
    if (!result.isError && findTool(name)?.confirmation) this.feed.mark('plans', 'memories');
    return result;
  }

  // ── automations (hooks) ────────────────────────────────────────────────────────────────

  ensureHooks(defs: readonly HookDefinition[]): void {
    ensureHooks(this.store, defs);
  }

  listHooks(): HookRow[] {
    return listHooks(this.store);
  }

  setHookActive(id: string, active: boolean): void {
    setHookActive(this.store, id, active);
    this.feed.mark('hooks');
  }

  /** Runs the hook's action unless it is switched off, recording the run in hook_executions. */
  async runHook(
    id: string,
    event: Record<string, unknown>,
    action: () => Promise<HookOutcome> | HookOutcome,
  ): Promise<HookOutcome> {
    const outcome = await runHook(this.store, id, event, action);
    this.feed.mark('hooks');
    return outcome;
  }

  // ── work sessions ──────────────────────────────────────────────────────────────────────

  readonly sessions = {
    open: (opts: { name: string; planId?: string }): string => this.session(() => openWorkSession(this.store, opts)),
    update: (id: string, patch?: WorkSessionPatch): void =>
      this.session(() => updateWorkSession(this.store, id, patch)),
    /** The session's lists and the task's minutes in one transaction. */
    taskCompleted: (id: string, task: MicroTask, patch: WorkSessionPatch): void =>
      this.session(() =>
        this.store.tx(() => {
          updateWorkSession(this.store, id, patch);
          recordTaskMinutes(this.store, id, task);
        }),
      ),
    close: (id: string): void => this.session(() => closeWorkSession(this.store, id)),
  };

  private session<T>(fn: () => T): T {
    const r = fn();
    this.feed.mark('sessions');
    return r;
  }

  // ── embeddings, maintenance, statistics ────────────────────────────────────────────────

  /** A background embedding queue on this database; each batch it stores reports `memories`. */
  embeddingQueue(embedder: Embedder, opts: EmbeddingQueueOptions = {}): EmbeddingQueue {
    const queue = new EmbeddingQueue(this.store, embedder, opts);
    let done = 0;
    queue.onProgress((p) => {
      if (p.done !== done) this.feed.mark('memories');
      done = p.done;
    });
    return queue;
  }

  /** SQLite's quick_check: false when the file is damaged (repairing in place would spread it). */
  isIntact(): boolean {
    return this.store.db.pragma('quick_check', { simple: true }) === 'ok';
  }

  diagnose(opts: { full?: boolean } = {}): DoctorReport {
    return diagnose(this.store, opts);
  }

  rebuildIndexes(): RepairReport {
    const report = rebuildIndexes(this.store);
    this.feed.mark('memories');
    return report;
  }

  statistics(): Statistics {
    return readStatistics(this.store);
  }

  /** What a new user has done so far (the walkthrough's steps). */
  firstRunProgress(): FirstRunProgress {
    return readFirstRunProgress(this.store);
  }

  close(): void {
    this.store.close();
  }

  private readDataVersion(): number {
    return this.store.db.pragma('data_version', { simple: true }) as number;
  }
}
