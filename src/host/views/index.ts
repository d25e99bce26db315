// Registers the tree views of the DevStream activity-bar container (package.json
// contributes.views.devstream). One provider per view; replace the placeholders with real ones.
import * as vscode from 'vscode';
import type { App } from '../app';
import { EmptyTreeProvider } from './emptyTreeProvider';

export const ViewId = {
  plans: 'devstream.plans',
  memories: 'devstream.memories',
} as const;

export function registerViews(_app: App): vscode.Disposable[] {
  return [
    vscode.window.createTreeView(ViewId.plans, { treeDataProvider: new EmptyTreeProvider() }),
    vscode.window.createTreeView(ViewId.memories, { treeDataProvider: new EmptyTreeProvider() }),
  ];
}
