import * as vscode from 'vscode';
import { Bank } from '../../core/bank/bank';
import type { App } from '../app';
import { describeSync, syncAndTell } from '../store/teamBank';

/** "Share Memory with the Team": creates the bank when needed (committable), then syncs it. */
export function shareWithTeam(app: App): void {
  const ds = app.stores.ds;
  const root = app.stores.location?.folder.fsPath;
  if (!root) throw new Error('Open a folder first: the bank lives in the workspace.');
  const bank = new Bank(root);
  const created = !bank.exists();
  const report = syncAndTell(ds, bank, created);
  const problems = describeSync(report);
  for (const p of problems) app.output.warn(`Team bank: ${p}`);
  const what = `${report.exported.length} file(s) written, ${report.imported.length} imported`;
  void vscode.window.showInformationMessage(
    `DevStream: ${created ? 'team bank created in .devstream/bank (commit it)' : 'team bank synced'}: ${what}` +
      (problems.length ? `; ${problems.length} problem(s), see the DevStream output.` : '.') +
      ' Memories are shared when saved with the devstream.bank.defaultScope setting at "shared".',
  );
}

/** The watcher's sync: quiet unless something needs the user. */
export function syncTeamBank(app: App): void {
  if (!app.stores.isOpen) return;
  const ds = app.stores.ds;
  const bank = Bank.forDatabase(ds.path);
  if (!bank) return;
  for (const p of describeSync(syncAndTell(ds, bank))) app.output.warn(`Team bank: ${p}`);
}

export const teamBankCommands = {
  'devstream.shareWithTeam': shareWithTeam,
};
