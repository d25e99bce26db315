// Entry point of the extension (bundled to dist/extension.js). activate/deactivate only:
// everything is built and owned by the App (the composition root in app.ts).
import type * as vscode from 'vscode';
import { App } from './app';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(new App(context));
}

export function deactivate(): void {
  // Nothing: the App and everything it owns is disposed through context.subscriptions.
}
