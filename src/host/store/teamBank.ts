import * as vscode from 'vscode';
import { Bank, type SyncReport } from '../../core/bank/bank';
import { SCOPE_KEY, isScope, type Scope } from '../../core/bank/scope';
import type { DevStream } from '../../core/devstream';

/** The scope recorded on memories saved in this window (`devstream.bank.defaultScope`, default private). */
export function defaultScope(): Scope {
  const s = vscode.workspace.getConfiguration('devstream').get<string>('bank.defaultScope', 'private');
  return isScope(s) ? s : 'private';
}

/** A new memory's metadata with the scope it is saved under (one it already names is kept). */
export function withScope(metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  return { [SCOPE_KEY]: defaultScope(), ...metadata };
}

const synced = new vscode.EventEmitter<SyncReport>();
/** Fired after each sync in this window (the Memories view shows a line about it). */
export const onDidSyncBank = synced.event;

/** Syncs and tells listeners; the report is returned for the caller's own messages. */
export function syncAndTell(ds: DevStream, bank: Bank, init = false): SyncReport {
  const report = init ? bank.init(ds) : ds.syncBank(bank);
  synced.fire(report);
  return report;
}

/** The Memories view's line: what the last sync did, and anything that needs the user. */
export function bankLine(r: SyncReport): string {
  const time = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const parts = [`Team bank synced ${time}`];
  if (r.imported.length) parts.push(`${r.imported.length} imported`);
  if (r.deleted.length) parts.push(`${r.deleted.length} deleted`);
  if (r.conflicted.length) parts.push(`${r.conflicted.length} conflicted: ${r.conflicted.join(', ')}`);
  if (r.skipped.length) parts.push(`${r.skipped.length} skipped (see the DevStream output)`);
  return parts.join(' · ');
}

/** Problems of a sync, for the output channel and one toast. */
export function describeSync(r: SyncReport): string[] {
  return [
    ...r.notices,
    ...r.skipped.map((p) => `Skipped ${p.file}: ${p.message}`),
    ...r.conflicted.map((f) => `Not imported ${f}: resolve its git conflict markers, then save it`),
  ];
}

/**
 * When the workspace has a bank: writes made in this window reach its files, and the files are
 * synced once now (what a pull brought while the window was closed). Disposed with the store.
 */
export function attachTeamBank(ds: DevStream, output: vscode.LogOutputChannel): vscode.Disposable {
  const bank = Bank.forDatabase(ds.path);
  if (!bank) return { dispose: () => {} };
  const link = ds.attachBank(bank, (w) => output.warn(`Team bank: ${w}`));
  try {
    for (const line of describeSync(syncAndTell(ds, bank))) output.warn(`Team bank: ${line}`);
  } catch (e) {
    output.error(`Team bank not synced: ${(e as Error).message}`);
  }
  return { dispose: () => link.dispose() };
}

/**
 * Re-imports bank files changed on disk (a pull, a merge, a checkout, a hand edit), debounced:
 * a pull touching a hundred files is one sync. Writes of the bank's own export also fire the
 * watcher; that sync finds nothing new.
 */
export class TeamBankWatcher implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/.devstream/bank/**');
  private timer?: NodeJS.Timeout;

  constructor(private readonly sync: () => void) {
    const later = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.sync(), 500);
    };
    this.watcher.onDidChange(later);
    this.watcher.onDidCreate(later);
    this.watcher.onDidDelete(later);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher.dispose();
  }
}
