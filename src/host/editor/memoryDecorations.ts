// Lines that carry memories, in the editor: a gutter icon, a CodeLens ("2 memories") and a
// hover with the memory. Cheap: one indexed query per visible file, cached until memories
// change, updates debounced. All off with devstream.decorations.enabled. Unsaved edits move
// the lines live (LiveAnchors); a memory kept as history has no live code to mark.
import * as vscode from 'vscode';
import { describeFreshness, freshnessOf } from '../../core/anchors/freshness';
import { age } from '../../core/memory/preview';
import type { Memory } from '../../core/memory/types';
import type { App } from '../app';
import { readConfig } from '../config';
import { LiveAnchors } from './liveAnchors';
import { existingStore, workspaceRelative } from './paths';

const DEBOUNCE_MS = 150;
const HOVER_CHARS = 1500;

export class MemoryDecorations implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly decoration: vscode.TextEditorDecorationType;
  private readonly cache = new Map<string, Memory[]>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly live: LiveAnchors;
  readonly onDidChangeCodeLenses = this.lensesChanged.event;

  constructor(private readonly app: App) {
    const media = (f: string) => vscode.Uri.joinPath(app.context.extensionUri, 'media', f);
    this.decoration = vscode.window.createTextEditorDecorationType({
      light: { gutterIconPath: media('memory-light.svg') },
      dark: { gutterIconPath: media('memory-dark.svg') },
      gutterIconSize: '80%',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.infoForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    const selector: vscode.DocumentSelector = { scheme: 'file' };
    this.live = new LiveAnchors(app, (doc) => this.storedIn(doc));
    this.disposables.push(
      this.live,
      this.live.onDidMove(() => {
        this.lensesChanged.fire();
        this.schedule();
      }),
      this.decoration,
      this.lensesChanged,
      vscode.languages.registerCodeLensProvider(selector, this),
      vscode.languages.registerHoverProvider(selector, this),
      vscode.window.onDidChangeVisibleTextEditors(() => this.schedule()),
      app.stores.onDidChange((kind) => kind !== 'plans' && this.invalidate()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('devstream.decorations.enabled') || e.affectsConfiguration('devstream.databasePath'))
          this.invalidate();
      }),
    );
    this.schedule();
  }

  private get enabled(): boolean {
    return readConfig(this.app.stores.location?.folder).decorations;
  }

  private invalidate(): void {
    this.cache.clear();
    this.lensesChanged.fire();
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
  }

  private update(): void {
    const on = this.enabled;
    for (const editor of vscode.window.visibleTextEditors) {
      const ranges = on ? this.memoriesIn(editor.document).map((m) => lineRange(editor.document, m)) : [];
      editor.setDecorations(this.decoration, ranges);
    }
  }

  /** Memories anchored in this document, on the lines where their code is now (unsaved edits included). */
  memoriesIn(doc: vscode.TextDocument): Memory[] {
    return this.storedIn(doc)
      .map((m) => this.live.current(doc, m))
      .filter((m) => m.anchor!.startLine <= doc.lineCount);
  }

  /** As stored (cached per file until memories change). */
  private storedIn(doc: vscode.TextDocument): Memory[] {
    const rel = workspaceRelative(this.app, doc.uri);
    if (!rel) return [];
    const hit = this.cache.get(rel);
    if (hit) return hit;
    let found: Memory[] = [];
    try {
      if (existingStore(this.app))
        found = this.app.stores.memories.inFile(rel).filter((m) => m.anchor && !m.anchor.history);
    } catch (e) {
      this.app.output.warn(`Memories of ${rel}: ${(e as Error).message}`);
    }
    this.cache.set(rel, found);
    return found;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.enabled) return [];
    const byLine = new Map<number, Memory[]>();
    for (const m of this.memoriesIn(doc))
      byLine.set(m.anchor!.startLine, [...(byLine.get(m.anchor!.startLine) ?? []), m]);
    return [...byLine].map(
      ([line, ms]) =>
        new vscode.CodeLens(doc.lineAt(line - 1).range, {
          title: `$(bookmark) ${ms.length} ${ms.length === 1 ? 'memory' : 'memories'}`,
          tooltip: ms.map((m) => `${m.contentType}: ${m.content.split('\n', 1)[0].slice(0, 60)}`).join('\n'),
          command: 'devstream.openMemory',
          arguments: [{ ids: ms.map((m) => m.id) }],
        }),
    );
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!this.enabled) return undefined;
    const line = pos.line + 1;
    const here = this.memoriesIn(doc).filter((m) => m.anchor!.startLine <= line && line <= m.anchor!.endLine);
    if (here.length === 0) return undefined;
    const md = new vscode.MarkdownString(); // untrusted: no command links, no HTML
    for (const m of here.slice(0, 3)) {
      md.appendMarkdown('**DevStream memory** · ').appendText(`${m.contentType} · ${age(m.createdAt)}`);
      const f = freshnessOf(m.anchor);
      if (f && f.state !== 'fresh')
        md.appendMarkdown(' · ').appendText(
          f.state === 'changed'
            ? `${describeFreshness(f)}: the code differs from the saved snippet`
            : describeFreshness(f),
        );
      if (m.keywords.length) md.appendMarkdown(' · ').appendText(m.keywords.join(', '));
      const text = m.content.length > HOVER_CHARS ? m.content.slice(0, HOVER_CHARS) + '\n…' : m.content.trimEnd();
      md.appendCodeblock(text, m.anchor?.language ?? '');
    }
    if (here.length > 3) md.appendText(`… and ${here.length - 3} more`);
    return new vscode.Hover(md);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function lineRange(doc: vscode.TextDocument, m: Memory): vscode.Range {
  const line = Math.min(m.anchor!.startLine, doc.lineCount) - 1;
  return new vscode.Range(line, 0, line, 0);
}
