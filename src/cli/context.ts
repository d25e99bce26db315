import fs from 'node:fs';
import path from 'node:path';
import type { OpenedStore } from '../core/db/open';
import { Bank, type SyncReport } from '../core/bank/bank';
import { DevStream } from '../core/devstream';
import { DevStreamError } from '../core/errors';
import { defaultDbPath, ensureDataDirIgnored } from '../core/workspace';

export interface ContextOptions {
  dbPath: string;
  json: boolean;
  verbose: boolean;
  /** The command may create the database (init, import, adding things). */
  creates: boolean;
  /** Highlights in colour (a terminal, NO_COLOR unset). */
  color: boolean;
  out: (text: string) => void;
  warn: (text: string) => void;
}

/** What every command gets: the global options and a lazily opened store. */
export class CliContext {
  private opened?: DevStream;
  /** Set by a command that finished but must report failure (exit 1). */
  exitCode = 0;
  /** What the team bank's sync at open did, when the workspace has a bank. */
  bankSyncReport?: SyncReport;
  /** Set before the first use of `ds` to open without the bank's sync (bank status reports it instead). */
  skipBankSync = false;

  constructor(private readonly opts: ContextOptions) {}

  static resolveDb(db: string | undefined, cwd = process.cwd()): string {
    return db ? path.resolve(cwd, db) : defaultDbPath(cwd);
  }

  get dbPath(): string {
    return this.opts.dbPath;
  }
  get json(): boolean {
    return this.opts.json;
  }
  get verbose(): boolean {
    return this.opts.verbose;
  }
  get color(): boolean {
    return this.opts.color;
  }
  get out(): (text: string) => void {
    return this.opts.out;
  }
  get warn(): (text: string) => void {
    return this.opts.warn;
  }

  /** The folder paths in source anchors are relative to: the one holding `.devstream/`. */
  get workspaceRoot(): string {
    const dir = path.dirname(this.dbPath);
    return path.basename(dir) === '.devstream' ? path.dirname(dir) : process.cwd();
  }

  /** The store, for core functions that take one (search, embeddings, import/export). */
  get store(): OpenedStore {
    return this.ds.store;
  }

  /** The use-case layer over the database. A mistyped --db must not leave folders and an empty database behind. */
  get ds(): DevStream {
    if (!this.opened) {
      const exists = fs.existsSync(this.dbPath);
      if (!exists && !this.opts.creates) {
        throw new DevStreamError(`no DevStream database at ${this.dbPath} (run devstream init)`, 'not_found');
      }
      ensureDataDirIgnored(this.dbPath);
      this.opened = DevStream.open(this.dbPath);
      for (const n of this.opened.store.notices) this.warn(n);
      this.syncBank(this.opened);
    }
    return this.opened;
  }

  /**
   * For long-running commands whose writes do not go through the use-case layer (the MCP
   * server): checks every `ms` and writes what changed to the bank. Returns the stop function.
   */
  followBankWrites(ms = 2000): () => void {
    const bank = Bank.forDatabase(this.dbPath);
    if (!bank) return () => {};
    const timer = setInterval(() => {
      try {
        if (this.opened?.isOpen) for (const n of bank.exportIfWritten(this.opened)?.notices ?? []) this.warn(n);
      } catch (e) {
        this.warn(`Team bank not updated: ${(e as Error).message}`);
      }
    }, ms);
    timer.unref();
    return () => {
      clearInterval(timer);
      if (this.opened?.isOpen) bank.exportIfWritten(this.opened); // the last writes before the end
    };
  }

  /** Every start brings in what git changed in the bank; later writes reach its files. */
  private syncBank(ds: DevStream): void {
    const bank = Bank.forDatabase(this.dbPath);
    if (!bank) return;
    ds.attachBank(bank, this.warn);
    if (this.skipBankSync) return;
    try {
      const r = ds.syncBank(bank);
      this.bankSyncReport = r;
      for (const n of r.notices) this.warn(n);
      for (const p of r.skipped) this.warn(`Team bank: skipped ${p.file}: ${p.message}`);
      for (const f of r.conflicted) this.warn(`Team bank: not imported ${f}: resolve its git conflict markers first`);
    } catch (e) {
      this.warn(`Team bank not synced: ${(e as Error).message}`);
    }
  }

  /** Prints data as JSON with --json, else as the human text the command formats. */
  emit(data: unknown, human: () => string): void {
    this.out(this.json ? JSON.stringify(data, null, 2) : human());
  }

  close(): void {
    this.opened?.close();
    this.opened = undefined;
  }
}
