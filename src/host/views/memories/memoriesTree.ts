import * as vscode from 'vscode';
import { CONTENT_TYPES } from '../../../core/memory/types';
import type { App } from '../../app';
import { existingStore } from '../../editor/paths';
import { InsightGroupNode, InsightNode } from './insightNodes';
import { GroupNode, MemoryNode, MoreNode, type MemoryTreeNode } from './nodes';

/** A row of the Memories tree: memory groups and rows, and the insights group and rows. */
type Node = MemoryTreeNode | InsightGroupNode | InsightNode;

/** Rows per group; older ones are a search away. */
const GROUP_LIMIT = 200;

/** Memories grouped by content type, newest first; refreshed whenever memories change. */
export class MemoriesTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly app: App) {
    this.subscription = app.stores.onDidChange((kind) => kind !== 'plans' && this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: Node): Node[] {
    // No database yet (it is created by the first save) or none can open: the welcome view shows.
    if (!node) {
      const store = existingStore(this.app);
      if (!store) return [];
      const counts = store.memories.countByType();
      const groups: Node[] = CONTENT_TYPES.filter((t) => counts[t] > 0).map((t) => new GroupNode(t, counts[t]));
      const insights = store.insights.list();
      if (insights.length > 0) groups.push(new InsightGroupNode(insights.length));
      return groups;
    }
    if (node instanceof InsightGroupNode) {
      const store = existingStore(this.app);
      return store ? store.insights.list().map((i) => new InsightNode(i)) : [];
    }
    if (node instanceof GroupNode) {
      const rows = this.app.stores.memories.list({ contentType: node.contentType, limit: GROUP_LIMIT });
      const out: Node[] = rows.map((m) => new MemoryNode(m));
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
