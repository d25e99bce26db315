import * as vscode from 'vscode';
import type { App } from '../../app';
import { EmptyTreeProvider } from '../emptyTreeProvider';

/** The Memories tree and the Search webview view. */
export function registerMemoryViews(_app: App): vscode.Disposable[] {
  return [vscode.window.createTreeView('devstream.memories', { treeDataProvider: new EmptyTreeProvider() })];
}
