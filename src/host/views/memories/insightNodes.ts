// Learning insights in the Memories tree: one group, one row per insight.
import * as vscode from 'vscode';
import type { Insight } from '../../../core/insights/insightRepository';

const KIND: Record<Insight['type'], { label: string; icon: string }> = {
  pattern: { label: 'Pattern', icon: 'symbol-structure' },
  best_practice: { label: 'Best practice', icon: 'pass' },
  anti_pattern: { label: 'Anti-pattern', icon: 'warning' },
};

export class InsightGroupNode {
  readonly kind = 'insightGroup';
  constructor(readonly count: number) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Insights', vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'group:insights';
    item.description = String(this.count);
    item.iconPath = new vscode.ThemeIcon('lightbulb-sparkle');
    item.tooltip = 'Patterns, best practices and anti-patterns recorded with "DevStream: Record Insight…"';
    return item;
  }
}

export class InsightNode {
  readonly kind = 'insight';
  constructor(readonly insight: Insight) {}

  toTreeItem(): vscode.TreeItem {
    const i = this.insight;
    const item = new vscode.TreeItem(i.title, vscode.TreeItemCollapsibleState.None);
    item.id = `insight:${i.id}`;
    item.description = `${KIND[i.type].label}${i.isValidated ? ' · validated' : ''}`;
    item.iconPath = new vscode.ThemeIcon(KIND[i.type].icon);
    item.contextValue = 'insight';
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(KIND[i.type].label).appendMarkdown('**');
    if (i.confidence !== null) md.appendText(` · confidence ${Math.round(i.confidence * 100)}%`);
    md.appendMarkdown('\n\n').appendText(i.description);
    if (i.evidence.length)
      md.appendMarkdown('\n\n').appendText(
        `Evidence: ${i.evidence.length} memor${i.evidence.length === 1 ? 'y' : 'ies'}`,
      );
    item.tooltip = md;
    return item;
  }
}
