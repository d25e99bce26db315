// Entry point of the extension (bundled to dist/extension.js). activate/deactivate only:
// everything is built and owned by the App (the composition root in app.ts).
import type * as vscode from 'vscode';
import { App } from './app';

/** Returns the App as the extension's exports: tests reach its services (app.activeTask, app.stores). */
export function activate(context: vscode.ExtensionContext): App {
  const app = new App(context);
  context.subscriptions.push(app);
  return app;
}

export function deactivate(): void {
  // Nothing: the App and everything it owns is disposed through context.subscriptions.
}
