import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { moveAside } from '../../core/db/moveAside';
import type { DevStreamChange, Subscription } from '../../core/changes';
import type { OpenedStore } from '../../core/db/open';
import { DevStream } from '../../core/devstream';
import { DevStreamError } from '../../core/errors';
import type { InsightRepository } from '../../core/insights/insightRepository';
import type { MemoryRepository } from '../../core/memory/memoryRepository';
import type { PlanRepository } from '../../core/plans';
import { DATA_DIR, defaultDbPath, ensureDataDirIgnored } from '../../core/workspace';
import { readConfig } from '../config';
import { attachTeamBank } from './teamBank';

export type ChangeKind = 'plans' | 'memories' | 'all';

/**
 * Owns the workspace's DevStream (src/core/devstream.ts): opens it on first use, says clearly
 * what went wrong when it cannot (with an action), and turns its change reports into one event
 * for the views, whether the write was made in this window or by another process (another
 * window, the CLI, an MCP server: noticed by a cheap data_version check every 2 s).
 *
 * Multi-root workspaces: one database, in the first folder that already has `.devstream/`,
 * else the first folder (plans usually span folders; one memory store keeps search whole).
 */
export class StoreService implements vscode.Disposable {
  private opened?: DevStream;
  private subscription?: Subscription;
  private bankLink?: vscode.Disposable;
  private failed = false;
  private readonly changed = new vscode.EventEmitter<ChangeKind>();
  private readonly poll: NodeJS.Timeout;
  readonly onDidChange = this.changed.event;

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.poll = setInterval(() => this.checkExternalChanges(), 2000);
  }

  /** The folder anchors are relative to, and the database path; undefined without a folder. */
  get location(): { folder: vscode.Uri; dbPath: string } | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder =
      folders.find((f) => f.uri.scheme === 'file' && fs.existsSync(path.join(f.uri.fsPath, DATA_DIR))) ??
      folders.find((f) => f.uri.scheme === 'file');
    if (!folder) return undefined;
    const configured = readConfig(folder.uri).databasePath.trim();
    const dbPath = configured ? path.resolve(folder.uri.fsPath, configured) : defaultDbPath(folder.uri.fsPath);
    return { folder: folder.uri, dbPath };
  }

  get isOpen(): boolean {
    return this.opened !== undefined;
  }

  /** The workspace's DevStream, opening it if needed; undefined (after telling the user) when it cannot. */
  tryOpen(): DevStream | undefined {
    if (this.opened) return this.opened;
    if (this.failed) return undefined;
    const loc = this.location;
    if (!loc) return undefined;
    try {
      ensureDataDirIgnored(loc.dbPath);
      const ds = DevStream.open(loc.dbPath);
      this.opened = ds;
      this.subscription = ds.onDidChange((c) => this.forward(c));
      this.bankLink = attachTeamBank(ds, this.output);
      this.output.info(`Opened ${loc.dbPath} (vectors ${ds.vectorsEnabled ? 'on' : 'off'})`);
      for (const n of ds.store.notices) {
        this.output.info(n);
        void vscode.window.showInformationMessage(`DevStream: ${n}`);
      }
      return ds;
    } catch (e) {
      this.failed = true;
      void this.reportOpenError(e, loc.dbPath);
      return undefined;
    }
  }

  /** The workspace's DevStream or a clear error (for commands). */
  get ds(): DevStream {
    const ds = this.tryOpen();
    if (!ds)
      throw new DevStreamError(
        this.location
          ? 'The DevStream database could not be opened (see the message shown, or the DevStream output).'
          : 'Open a folder to use DevStream: its database lives in the workspace.',
        'unavailable',
      );
    return ds;
  }

  /** The open store, for core functions that take one (search, embeddings); never for SQL here. */
  get store(): OpenedStore {
    return this.ds.store;
  }

  get plans(): PlanRepository {
    return this.ds.plans;
  }

  get memories(): MemoryRepository {
    return this.ds.memories;
  }

  get insights(): InsightRepository {
    return this.ds.insights;
  }

  /**
   * Views re-read without any data change: a view filter changed, or the user asked to
   * refresh. Data changes need no call: the DevStream reports its own writes.
   */
  refreshViews(kind: ChangeKind = 'all'): void {
    this.changed.fire(kind);
  }

  /** Closes and forgets the store (settings changed, or after moving a damaged file aside). */
  reset(): void {
    this.subscription?.dispose();
    this.bankLink?.dispose();
    this.opened?.close();
    this.opened = this.subscription = undefined;
    this.failed = false;
    this.changed.fire('all');
  }

  /** Plans and memories are the two things views show; an outside write may have touched either. */
  private forward(change: DevStreamChange): void {
    if (change.outside) return this.changed.fire('all');
    const plans = change.topics.has('plans');
    const memories = ['memories', 'anchors', 'insights'].some((t) => change.topics.has(t as never));
    if (plans) this.changed.fire('plans');
    if (memories) this.changed.fire('memories');
  }

  private checkExternalChanges(): void {
    try {
      this.opened?.checkOutsideChanges();
    } catch (e) {
      this.output.warn(`Checking for outside changes failed: ${(e as Error).message}`);
    }
  }

  private async reportOpenError(e: unknown, dbPath: string): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    this.output.error(`Cannot open ${dbPath}: ${message}`);
    const code = e instanceof DevStreamError ? e.code : undefined;
    const actions =
      code === 'corrupt'
        ? ['Move Aside and Start New', 'Show Log']
        : code === 'locked'
          ? ['Retry', 'Show Log']
          : ['Retry', 'Show Log'];
    const choice = await vscode.window.showErrorMessage(`DevStream: ${message}`, ...actions);
    if (choice === 'Retry') this.reset();
    else if (choice === 'Show Log') this.output.show();
    else if (choice === 'Move Aside and Start New') {
      const aside = moveAside(dbPath);
      void vscode.window.showInformationMessage(
        `DevStream: moved the damaged database to ${path.basename(aside)} (nothing was deleted) and started a new one.`,
      );
      this.reset();
    }
  }

  dispose(): void {
    clearInterval(this.poll);
    this.subscription?.dispose();
    this.bankLink?.dispose();
    this.changed.dispose();
    this.opened?.close();
  }
}
