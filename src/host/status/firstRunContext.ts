import fs from 'node:fs';
import * as vscode from 'vscode';
import { FIRST_RUN_CONTEXT, type FirstRunProgress } from '../../core/stats/firstRun';
import type { StoreService } from '../store/storeService';

/**
 * Keeps the first-run context keys true to the database: read again on every change, from
 * this window or another process (an agent connecting through MCP writes its row there).
 */
export class FirstRunContext implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private last?: string;
  private readonly first: NodeJS.Immediate;

  constructor(
    private readonly stores: StoreService,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscription = stores.onDidChange(() => this.refresh());
    // Right after activation, not inside it: reading the keys opens the database (10-20 ms),
    // which activate() leaves to first use.
    this.first = setImmediate(() => this.refresh());
  }

  /** Sets the keys from the database; opens an existing one (the views may be hidden), never creates one. */
  refresh(): void {
    const loc = this.stores.location;
    if (!this.stores.isOpen && !(loc && fs.existsSync(loc.dbPath))) return;
    const store = this.stores.tryOpen();
    if (!store) return;
    try {
      const progress = store.firstRunProgress();
      const key = JSON.stringify(progress);
      if (key === this.last) return;
      this.last = key;
      for (const [name, contextKey] of Object.entries(FIRST_RUN_CONTEXT)) {
        void vscode.commands.executeCommand('setContext', contextKey, progress[name as keyof FirstRunProgress]);
      }
    } catch (e) {
      this.output.warn(`Reading the first-run progress failed: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    clearImmediate(this.first);
    this.subscription.dispose();
  }
}
