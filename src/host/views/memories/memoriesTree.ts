import * as vscode from 'vscode';
import { countByContentType } from '../../../core/memory/memoryStats';
import { CONTENT_TYPES } from '../../../core/memory/types';
import type { App } from '../../app';
import { existingStore } from '../../editor/paths';
import { GroupNode, MemoryNode, MoreNode, type MemoryTreeNode } from './nodes';

/** Rows per group; older ones are a search away. */
const GROUP_LIMIT = 200;

/** Memories grouped by content type, newest first; refreshed whenever memories change. */
export class MemoriesTreeProvider implements vscode.TreeDataProvider<MemoryTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MemoryTreeNode | undefined>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly app: App) {
    this.subscription = app.stores.onDidChange((kind) => kind !== 'plans' && this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: MemoryTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: MemoryTreeNode): MemoryTreeNode[] {
    // No database yet (it is created by the first save) or none can open: the welcome view shows.
    if (!node) {
      const store = existingStore(this.app);
      if (!store) return [];
      const counts = countByContentType(store);
      return CONTENT_TYPES.filter((t) => counts[t] > 0).map((t) => new GroupNode(t, counts[t]));
    }
    if (node instanceof GroupNode) {
      const rows = this.app.stores.memories.list({ contentType: node.contentType, limit: GROUP_LIMIT });
      const out: MemoryTreeNode[] = rows.map((m) => new MemoryNode(m));
      if (node.count > rows.length) out.push(new MoreNode(node.contentType, rows.length, node.count));
      return out;
    }
    return [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
