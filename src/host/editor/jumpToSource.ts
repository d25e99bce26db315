// Jump from a memory to the code it came from, following the snippet when the file changed.
import * as vscode from 'vscode';
import { applyCheck, checkAnchor, savedLineOf } from '../../core/anchors/freshness';
import { makeAnchor } from '../../core/memory/anchor';
import { relocateSnippet } from '../../core/memory/relocateText';
import type { Memory, SourceAnchor } from '../../core/memory/types';
import type { App } from '../app';
import { showMemoryDocument } from './readonlyDocs';

/** Beyond this many lines from where it was, with other lines around it: tell the user. */
const FAR_LINES = 50;

export type JumpOutcome =
  | { status: 'same' | 'moved'; startLine: number; endLine: number }
  | { status: 'far'; startLine: number; endLine: number; from: number }
  | { status: 'lost' | 'missing' | 'note' };

export async function jumpToSource(app: App, memory: Memory): Promise<JumpOutcome> {
  const anchor = memory.anchor;
  const folder = app.stores.location?.folder;
  if (!anchor || !folder) {
    await showMemoryDocument(memory);
    return { status: 'note' };
  }
  const uri = vscode.Uri.joinPath(folder, ...anchor.file.split('/'));
  let doc: vscode.TextDocument;
  try {
    await vscode.workspace.fs.stat(uri); // an open document can outlive its deleted file
    doc = await vscode.workspace.openTextDocument(uri);
  } catch {
    void vscode.window.showWarningMessage(`DevStream: ${anchor.file} no longer exists; showing the stored snippet.`);
    await showMemoryDocument(memory);
    return { status: 'missing' };
  }
  const text = doc.getText();
  const found = relocateSnippet(text, anchor, memory.content);
  if (!found) {
    const editor = await vscode.window.showTextDocument(doc, { preview: true });
    select(editor, Math.min(anchor.startLine, doc.lineCount), Math.min(anchor.endLine, doc.lineCount));
    await showMemoryDocument(memory, vscode.ViewColumn.Beside);
    void vscode.window.showWarningMessage(
      `DevStream: the saved snippet is no longer in ${anchor.file} (it was at line ${anchor.startLine}); the stored text is open beside it.`,
    );
    return { status: 'lost' };
  }
  if (found.how === 'moved') {
    // Silently keep the anchor in step with the file (it is the same text, elsewhere).
    const base: SourceAnchor = {
      ...makeAnchor(text, found.startLine, found.endLine, {
        file: anchor.file,
        language: anchor.language ?? doc.languageId,
      }),
      ...(anchor.commit ? { commit: anchor.commit } : {}),
    };
    const moved = applyCheck({ ...base, savedLine: savedLineOf(anchor) }, checkAnchor({ text }, base, memory.content));
    app.stores.memories.setAnchor(memory.id, moved);
  }
  const editor = await vscode.window.showTextDocument(doc, { preview: true });
  select(editor, found.startLine, found.endLine);
  const far =
    found.how === 'moved' && !found.sameSurroundings && Math.abs(found.startLine - anchor.startLine) > FAR_LINES;
  if (far) {
    await showMemoryDocument(memory, vscode.ViewColumn.Beside);
    void vscode.window.showInformationMessage(
      `DevStream: the snippet moved from line ${anchor.startLine} to ${found.startLine} and its surroundings changed; check that it is the right place (the stored text is open beside it).`,
    );
    return { status: 'far', startLine: found.startLine, endLine: found.endLine, from: anchor.startLine };
  }
  return { status: found.how, startLine: found.startLine, endLine: found.endLine };
}

/** Selects whole lines start..end (1-based) with the cursor on the first, and reveals them. */
function select(editor: vscode.TextEditor, startLine: number, endLine: number): void {
  const doc = editor.document;
  const start = new vscode.Position(Math.max(0, startLine - 1), 0);
  const end = doc.lineAt(Math.max(0, Math.min(endLine, doc.lineCount) - 1)).range.end;
  editor.selection = new vscode.Selection(end, start); // anchor at the end: the cursor sits on the first line
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Enter/click in search, click in the tree: the source when there is one, else the text. */
export async function openMemoryOrSource(app: App, memory: Memory): Promise<JumpOutcome> {
  app.stores.memories.recordAccess([memory.id]);
  return jumpToSource(app, memory);
}
