import * as vscode from 'vscode';
import type { App } from '../../app';
import { EmptyTreeProvider } from '../emptyTreeProvider';

/** The Plans tree (plan → phase → task → sub-task). */
export function registerPlanViews(_app: App): vscode.Disposable[] {
  return [vscode.window.createTreeView('devstream.plans', { treeDataProvider: new EmptyTreeProvider() })];
}
