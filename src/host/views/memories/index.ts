import * as vscode from 'vscode';
import type { App } from '../../app';
import { MemoryDecorations } from '../../editor/memoryDecorations';
import { bankLine, onDidSyncBank } from '../../store/teamBank';
import { MemoriesTreeProvider } from './memoriesTree';

/** The Memories tree, the Search webview view and the editor's memory markers. */
export function registerMemoryViews(app: App): vscode.Disposable[] {
  const tree = new MemoriesTreeProvider(app);
  const view = vscode.window.createTreeView('devstream.memories', { treeDataProvider: tree, showCollapseAll: true });
  return [
    tree,
    view,
    onDidSyncBank((r) => (view.message = bankLine(r))),
    vscode.window.registerWebviewViewProvider('devstream.search', app.search.view),
    new MemoryDecorations(app),
  ];
}
