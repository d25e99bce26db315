import path from 'node:path';
import { openStore, type OpenedStore } from '../core/db/open';
import { defaultDbPath, ensureDataDirIgnored } from '../core/workspace';

/** What every command gets: the parsed options and a lazily opened store. */
export class CliContext {
  private opened?: OpenedStore;

  constructor(
    readonly dbPath: string,
    readonly json: boolean,
    readonly out: (text: string) => void,
    readonly warn: (text: string) => void,
  ) {}

  static resolveDb(db: string | undefined, cwd = process.cwd()): string {
    return db ? path.resolve(cwd, db) : defaultDbPath(cwd);
  }

  /** The folder paths in source anchors are relative to: the one holding `.devstream/`. */
  get workspaceRoot(): string {
    const dir = path.dirname(this.dbPath);
    return path.basename(dir) === '.devstream' ? path.dirname(dir) : process.cwd();
  }

  get store(): OpenedStore {
    if (!this.opened) {
      ensureDataDirIgnored(this.dbPath);
      this.opened = openStore(this.dbPath);
      for (const n of this.opened.notices) this.warn(n);
    }
    return this.opened;
  }

  /** Prints data as JSON with --json, else as the human text the command formats. */
  emit(data: unknown, human: () => string): void {
    this.out(this.json ? JSON.stringify(data, null, 2) : human());
  }

  close(): void {
    this.opened?.close();
  }
}
