// Entry point of the extension (bundled to dist/extension.js). activate/deactivate only:
// everything is built and owned by the App (the composition root in app.ts).
import { bundleStartedAt } from './startupClock';
import type * as vscode from 'vscode';
import { App } from './app';

/** Returns the App as the extension's exports: tests reach its services (app.activeTask, app.stores). */
export function activate(context: vscode.ExtensionContext): App {
  const started = performance.now();
  const app = new App(context);
  context.subscriptions.push(app);
  // The startup benchmark reads this line (activation goal: 50 ms, nothing heavy before first use).
  const ms = (x: number) => x.toFixed(1);
  const done = performance.now();
  app.output.info(`activated in ${ms(done - started)} ms (code loaded in ${ms(started - bundleStartedAt)} ms)`);
  return app;
}

export function deactivate(): void {
  // Nothing: the App and everything it owns is disposed through context.subscriptions.
}
