import type * as vscode from 'vscode';

/** A tree with no items: the view shows its welcome content (package.json viewsWelcome). */
export class EmptyTreeProvider implements vscode.TreeDataProvider<vscode.TreeItem> {
  getTreeItem(element: vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  getChildren(): vscode.TreeItem[] {
    return [];
  }
}
