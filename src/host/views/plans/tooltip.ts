import * as vscode from 'vscode';
import type { Progress } from '../../../core/plans';
import { formatDbTime, formatMinutes } from '../../status/time';

/**
 * Builds a node's Markdown tooltip. User text goes through appendText (escaped), so a title
 * with `*` or `[` shows as typed; labels and codicons are ours.
 */
export class Tooltip {
  readonly md = new vscode.MarkdownString('', true);

  heading(icon: string, text: string): this {
    this.md.appendMarkdown(`$(${icon}) **`).appendText(text).appendMarkdown('**\n\n');
    return this;
  }

  line(label: string, text: string | null | undefined): this {
    if (text) this.md.appendMarkdown(`**${label}:** `).appendText(text).appendMarkdown('  \n');
    return this;
  }

  paragraph(text: string | null | undefined): this {
    if (text?.trim()) this.md.appendMarkdown('\n').appendText(text.trim()).appendMarkdown('\n\n');
    return this;
  }

  list(label: string, items: readonly string[]): this {
    if (items.length === 0) return this;
    this.md.appendMarkdown(`\n**${label}:**\n`);
    for (const i of items) this.md.appendMarkdown('- ').appendText(i).appendMarkdown('\n');
    this.md.appendMarkdown('\n');
    return this;
  }

  code(label: string, text: string | null | undefined): this {
    if (text?.trim()) this.md.appendMarkdown(`\n**${label}:**\n`).appendCodeblock(text.trim(), 'text');
    return this;
  }

  progress(p: Progress): this {
    if (p.total === 0) return this.line('Progress', 'no tasks yet');
    const parts = [`${p.completed + p.skipped}/${p.total} tasks done (${p.percentDone}%)`, `${p.minutesLeft} min left`];
    if (p.active) parts.push(`${p.active} active`);
    if (p.failed) parts.push(`${p.failed} failed`);
    if (p.actualMinutes > 0) parts.push(`${formatMinutes(p.actualMinutes)} spent`);
    return this.line('Progress', parts.join(' · '));
  }

  times(created: string, started: string | null, completed: string | null): this {
    const parts = [`created ${formatDbTime(created)}`];
    if (started) parts.push(`started ${formatDbTime(started)}`);
    if (completed) parts.push(`completed ${formatDbTime(completed)}`);
    this.md.appendMarkdown('\n').appendText(parts.join(' · '));
    return this;
  }

  id(id: string): vscode.MarkdownString {
    this.md.appendMarkdown(`  \n\`${id}\``);
    return this.md;
  }
}
