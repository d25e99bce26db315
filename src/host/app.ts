// Composition root: the one place that builds the long-lived objects of the extension and
// owns them. Everything created here is a Disposable, disposed (in reverse order) with the App.
import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerViews } from './views';

export class App implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    this.disposables.push(...registerViews(this));
    this.disposables.push(...registerCommands(this));
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
