import * as vscode from 'vscode';
import type { App } from '../../app';
import { PlansDragAndDrop } from './dragAndDrop';
import { PlansTreeProvider } from './provider';

/** The Plans tree (plan → phase → task → sub-task) with drag and drop and a status filter. */
export function registerPlanViews(app: App): vscode.Disposable[] {
  const provider = new PlansTreeProvider(app);
  const view = vscode.window.createTreeView('devstream.plans', {
    treeDataProvider: provider,
    dragAndDropController: new PlansDragAndDrop(app),
    showCollapseAll: true,
  });
  const described = provider.onDidDescribeFilter((text) => {
    view.description = text;
  });
  return [described, view, provider];
}
