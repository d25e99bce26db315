// Memories tree nodes: one class per kind; the provider only delegates to them.
import * as vscode from 'vscode';
import { describeFreshness, freshnessOf } from '../../../core/anchors/freshness';
import { age, previewLine } from '../../../core/memory/preview';
import type { ContentType, FreshnessState, Memory } from '../../../core/memory/types';

export const TYPE_LABEL: Record<ContentType, string> = {
  code: 'Code',
  documentation: 'Documentation',
  context: 'Context',
  output: 'Output',
  error: 'Errors',
  decision: 'Decisions',
  learning: 'Learnings',
};

/** Codicon per content type (tree rows, quick picks, search results use the same names). */
export const TYPE_ICON: Record<ContentType, string> = {
  code: 'code',
  documentation: 'book',
  context: 'info',
  output: 'output',
  error: 'error',
  decision: 'law',
  learning: 'lightbulb',
};

export function typeIcon(t: ContentType): vscode.ThemeIcon {
  return t === 'error'
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
    : new vscode.ThemeIcon(TYPE_ICON[t]);
}

/** States that need the user's eye get their own icon (theme colours); fresh and moved keep the type's. */
const STATE_ICON: Partial<Record<FreshnessState, [string, string]>> = {
  changed: ['diff-modified', 'list.warningForeground'],
  lost: ['question', 'list.warningForeground'],
  'file-missing': ['circle-slash', 'list.errorForeground'],
};

export class GroupNode {
  readonly kind = 'group';
  constructor(
    readonly contentType: ContentType,
    readonly count: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(TYPE_LABEL[this.contentType], vscode.TreeItemCollapsibleState.Expanded);
    item.id = `group:${this.contentType}`;
    item.description = String(this.count);
    item.iconPath = typeIcon(this.contentType);
    item.contextValue = 'memoryGroup';
    item.tooltip = `${this.count} ${this.contentType} ${this.count === 1 ? 'memory' : 'memories'}`;
    return item;
  }
}

export class MemoryNode {
  readonly kind = 'memory';
  constructor(readonly memory: Memory) {}

  get id(): string {
    return this.memory.id;
  }

  toTreeItem(): vscode.TreeItem {
    const m = this.memory;
    const item = new vscode.TreeItem(previewLine(m.content), vscode.TreeItemCollapsibleState.None);
    item.id = m.id;
    const a = m.anchor;
    const f = freshnessOf(a);
    const state = a?.history ? 'kept as history' : f && f.state !== 'fresh' ? describeFreshness(f) : '';
    item.description = a ? `${a.file.split('/').pop()}:${a.startLine}${state ? ` · ${state}` : ''}` : age(m.createdAt);
    const icon = f && !a?.history ? STATE_ICON[f.state] : undefined;
    item.iconPath = icon ? new vscode.ThemeIcon(icon[0], new vscode.ThemeColor(icon[1])) : typeIcon(m.contentType);
    // memory.anchored.changed offers Update from Code and Keep as History (package.json menus)
    item.contextValue = a ? `memory.anchored${f && !a.history ? `.${f.state}` : ''}` : 'memory.note';
    item.tooltip = tooltip(m);
    item.command = a
      ? { command: 'devstream.jumpToSource', title: 'Go to Source', arguments: [this] }
      : { command: 'devstream.openMemory', title: 'Open Memory', arguments: [this] };
    return item;
  }
}

/** Untrusted text (content, keywords, paths) goes through appendText/appendCodeblock: escaped. */
function tooltip(m: Memory): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true); // icons on before any text: appendText then escapes $(…) too
  md.appendMarkdown('**')
    .appendText(m.contentType[0].toUpperCase() + m.contentType.slice(1))
    .appendMarkdown('** · ')
    .appendText(age(m.createdAt));
  if (m.anchor) {
    md.appendMarkdown('\n\n$(file-code) ').appendText(`${m.anchor.file}:${m.anchor.startLine}-${m.anchor.endLine}`);
    if (m.anchor.commit) md.appendText(` @ ${m.anchor.commit.slice(0, 8)}`);
    const f = freshnessOf(m.anchor);
    if (f)
      md.appendMarkdown('\n\n$(pulse) ').appendText(
        `${m.anchor.history ? 'kept as history; was ' : ''}${describeFreshness(f)}${f.reason ? `: ${f.reason}` : ''}`,
      );
  }
  if (m.keywords.length) md.appendMarkdown('\n\n$(tag) ').appendText(m.keywords.join(', '));
  if (m.metadata.truncated) md.appendMarkdown('\n\n').appendText('(first 1 MB of a larger selection)');
  const text = m.content.length > 600 ? m.content.slice(0, 600) + '\n…' : m.content.trimEnd();
  md.appendCodeblock(text, m.anchor?.language ?? '');
  return md;
}

export class MoreNode {
  readonly kind = 'more';
  constructor(
    readonly contentType: ContentType,
    readonly shown: number,
    readonly total: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      `${this.total - this.shown} older — use Search to find them`,
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `more:${this.contentType}`;
    item.iconPath = new vscode.ThemeIcon('search');
    item.command = { command: 'devstream.searchMemories', title: 'Search Memories' };
    return item;
  }
}

export type MemoryTreeNode = GroupNode | MemoryNode | MoreNode;
