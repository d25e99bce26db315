import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { moveAside } from '../../core/db/moveAside';
import { openStore, type OpenedStore } from '../../core/db/open';
import { DevStreamError } from '../../core/errors';
import { MemoryRepository } from '../../core/memory/memoryRepository';
import { PlanRepository } from '../../core/plans';
import { DATA_DIR, defaultDbPath, ensureDataDirIgnored } from '../../core/workspace';
import { readConfig } from '../config';

export type ChangeKind = 'plans' | 'memories' | 'all';

/**
 * Owns the workspace database: opens it on first use, says clearly what went wrong when it
 * cannot (with an action), and tells views when data changed, whether written by this
 * window or by another process (another window, the CLI, an MCP server).
 *
 * Multi-root workspaces: one database, in the first folder that already has `.devstream/`,
 * else the first folder (plans usually span folders; one memory store keeps search whole).
 */
export class StoreService implements vscode.Disposable {
  private opened?: OpenedStore;
  private plansRepo?: PlanRepository;
  private memoriesRepo?: MemoryRepository;
  private failed = false;
  private dataVersion = -1;
  private readonly changed = new vscode.EventEmitter<ChangeKind>();
  private readonly poll: NodeJS.Timeout;
  readonly onDidChange = this.changed.event;

  constructor(private readonly output: vscode.LogOutputChannel) {
    // Writes by other connections bump PRAGMA data_version; a cheap check every 2 s.
    this.poll = setInterval(() => this.checkExternalChanges(), 2000);
  }

  /** The folder anchors are relative to, and the database path; undefined without a folder. */
  get location(): { folder: vscode.Uri; dbPath: string } | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = folders.find((f) => f.uri.scheme === 'file' && fs.existsSync(path.join(f.uri.fsPath, DATA_DIR))) ?? folders.find((f) => f.uri.scheme === 'file');
    if (!folder) return undefined;
    const configured = readConfig(folder.uri).databasePath.trim();
    const dbPath = configured ? path.resolve(folder.uri.fsPath, configured) : defaultDbPath(folder.uri.fsPath);
    return { folder: folder.uri, dbPath };
  }

  get isOpen(): boolean {
    return this.opened !== undefined;
  }

  /** The open store, opening it if needed; undefined (after telling the user) when it cannot. */
  tryOpen(): OpenedStore | undefined {
    if (this.opened) return this.opened;
    if (this.failed) return undefined;
    const loc = this.location;
    if (!loc) return undefined;
    try {
      ensureDataDirIgnored(loc.dbPath);
      this.opened = openStore(loc.dbPath);
      this.dataVersion = this.readDataVersion();
      this.output.info(`Opened ${loc.dbPath} (vectors ${this.opened.vectorsEnabled ? 'on' : 'off'})`);
      for (const n of this.opened.notices) {
        this.output.info(n);
        void vscode.window.showInformationMessage(`DevStream: ${n}`);
      }
      return this.opened;
    } catch (e) {
      this.failed = true;
      void this.reportOpenError(e, loc.dbPath);
      return undefined;
    }
  }

  /** The open store or a clear error (for commands). */
  get store(): OpenedStore {
    const s = this.tryOpen();
    if (!s) throw new DevStreamError(this.location ? 'The DevStream database could not be opened (see the message shown, or the DevStream output).' : 'Open a folder to use DevStream: its database lives in the workspace.', 'unavailable');
    return s;
  }

  get plans(): PlanRepository {
    return (this.plansRepo ??= new PlanRepository(this.store));
  }

  get memories(): MemoryRepository {
    return (this.memoriesRepo ??= new MemoryRepository(this.store));
  }

  /** Call after writing: views refresh. */
  notifyChanged(kind: ChangeKind): void {
    if (this.opened) this.dataVersion = this.readDataVersion();
    this.changed.fire(kind);
  }

  /** Closes and forgets the store (settings changed, or after moving a damaged file aside). */
  reset(): void {
    this.opened?.close();
    this.opened = this.plansRepo = this.memoriesRepo = undefined;
    this.failed = false;
    this.changed.fire('all');
  }

  private readDataVersion(): number {
    return this.opened ? (this.opened.db.pragma('data_version', { simple: true }) as number) : -1;
  }

  private checkExternalChanges(): void {
    if (!this.opened) return;
    try {
      const v = this.readDataVersion();
      if (v !== this.dataVersion) {
        this.dataVersion = v;
        this.changed.fire('all');
      }
    } catch (e) {
      this.output.warn(`Checking for outside changes failed: ${(e as Error).message}`);
    }
  }

  private async reportOpenError(e: unknown, dbPath: string): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    this.output.error(`Cannot open ${dbPath}: ${message}`);
    const code = e instanceof DevStreamError ? e.code : undefined;
    const actions = code === 'corrupt' ? ['Move Aside and Start New', 'Show Log'] : code === 'locked' ? ['Retry', 'Show Log'] : ['Retry', 'Show Log'];
    const choice = await vscode.window.showErrorMessage(`DevStream: ${message}`, ...actions);
    if (choice === 'Retry') this.reset();
    else if (choice === 'Show Log') this.output.show();
    else if (choice === 'Move Aside and Start New') {
      const aside = moveAside(dbPath);
      void vscode.window.showInformationMessage(`DevStream: moved the damaged database to ${path.basename(aside)} (nothing was deleted) and started a new one.`);
      this.reset();
    }
  }

  dispose(): void {
    clearInterval(this.poll);
    this.changed.dispose();
    this.opened?.close();
  }
}
