// Live tracking: while a document is edited, its memories' line ranges move with the text
// (from the change events, no re-scan); on save the new ranges and states are written.
import * as vscode from 'vscode';
import { applyCheck, checkAnchor, savedLineOf } from '../../core/anchors/freshness';
import { shiftRanges, type LineRange, type TextEdit } from '../../core/anchors/shiftRange';
import type { Memory } from '../../core/memory/types';
import type { App } from '../app';
import { existingStore } from './paths';

type Tracked = LineRange & { id: string };

export class LiveAnchors implements vscode.Disposable {
  /** Unsaved ranges per document (uri string): only documents edited since their last save. */
  private readonly live = new Map<string, Map<string, Tracked>>();
  private readonly moved = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly disposables: vscode.Disposable[] = [this.moved];
  readonly onDidMove = this.moved.event;

  /** `stored` gives the memories of a document as stored (the decorations' cache). */
  constructor(
    private readonly app: App,
    private readonly stored: (doc: vscode.TextDocument) => Memory[],
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onSave(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.live.delete(d.uri.toString());
      }), // unsaved edits are gone
    );
  }

  /** The memory with its anchor on the lines where its code is now in the editor. */
  current(doc: vscode.TextDocument, m: Memory): Memory {
    const r = this.live.get(doc.uri.toString())?.get(m.id);
    if (!r || !m.anchor) return m;
    return {
      ...m,
      anchor: { ...m.anchor, startLine: r.start + 1, endLine: r.end + 1, savedLine: savedLineOf(m.anchor) },
    };
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const key = e.document.uri.toString();
    let ranges = this.live.get(key);
    if (!ranges) {
      const memories = this.stored(e.document);
      if (memories.length === 0) return;
      ranges = new Map(
        memories.map((m) => [m.id, { id: m.id, start: m.anchor!.startLine - 1, end: m.anchor!.endLine - 1 }]),
      );
      this.live.set(key, ranges);
    }
    const edits: TextEdit[] = e.contentChanges.map((c) => ({
      startLine: c.range.start.line,
      startChar: c.range.start.character,
      endLine: c.range.end.line,
      endChar: c.range.end.character,
      text: c.text,
    }));
    let changed = false;
    for (const r of shiftRanges([...ranges.values()], edits)) {
      if (ranges.get(r.id) !== r) {
        ranges.set(r.id, r);
        changed = true;
      }
    }
    if (changed) this.moved.fire(e.document);
  }

  /** Saved: each memory of the file is checked at its tracked lines, and the result stored. */
  private onSave(doc: vscode.TextDocument): void {
    const memories = this.stored(doc).map((m) => this.current(doc, m));
    this.live.delete(doc.uri.toString());
    if (memories.length === 0) return;
    try {
      const store = existingStore(this.app);
      if (!store) return;
      const text = doc.getText();
      const now = new Date().toISOString();
      const updates = memories.map(
        (m) => [JSON.stringify(applyCheck(m.anchor!, checkAnchor({ text }, m.anchor!, m.content), now)), m.id] as const,
      );
      store.storeAnchors(updates);
    } catch (e) {
      this.app.output.warn(`Memory anchors of ${doc.uri.fsPath} not updated: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
