import * as vscode from 'vscode';
import type { App } from '../app';

// Placeholder until plans are wired to the core store.
export function createPlan(_app: App): void {
  void vscode.window.showInformationMessage('DevStream: Create Plan is not implemented yet');
}
