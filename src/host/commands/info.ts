import * as vscode from 'vscode';
import type { App } from '../app';

export const READY_MESSAGE = 'DevStream is ready';

export function showInfo(_app: App): void {
  // Not awaited: the promise only settles when the notification is dismissed.
  void vscode.window.showInformationMessage(READY_MESSAGE);
}
