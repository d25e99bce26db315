import * as vscode from 'vscode';

/**
 * Stands in when the filter hides every plan, so the view says why it looks empty instead
 * of showing the "No plans yet" welcome.
 */
export class HiddenPlansNode {
  readonly kind = 'hidden';
  readonly parent = undefined;

  constructor(private readonly count: number) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      `${this.count} ${this.count === 1 ? 'plan' : 'plans'} hidden by the status filter`,
    );
    item.id = 'hidden-plans';
    item.contextValue = 'hiddenPlans';
    item.iconPath = new vscode.ThemeIcon('filter');
    item.description = 'change the filter…';
    item.command = { command: 'devstream.filterPlans', title: 'Filter Plans by Status…' };
    return item;
  }

  children(): never[] {
    return [];
  }
}
