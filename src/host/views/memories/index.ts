import * as vscode from 'vscode';
import type { App } from '../../app';
import { AnchorWatcher } from '../../editor/anchorWatcher';
import { MemoryDecorations } from '../../editor/memoryDecorations';
import { bankLine, onDidSyncBank } from '../../store/teamBank';
import { MemoriesTreeProvider } from './memoriesTree';

/** The Memories tree, the Search webview view, the editor's memory markers and their re-anchoring. */
export function registerMemoryViews(app: App): vscode.Disposable[] {
  const tree = new MemoriesTreeProvider(app);
  const view = vscode.window.createTreeView('devstream.memories', { treeDataProvider: tree, showCollapseAll: true });
  return [
    tree,
    view,
    onDidSyncBank((r) => (view.message = bankLine(r))),
    vscode.window.registerWebviewViewProvider('devstream.search', app.search.view),
    new MemoryDecorations(app),
    new AnchorWatcher(app),
  ];
}
