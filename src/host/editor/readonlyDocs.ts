// Read-only virtual documents: a memory's full text and the database doctor's report. Content
// comes from the database when VS Code asks, so a reopened document is never stale.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Memory } from '../../core/memory/types';
import type { App } from '../app';
import { doctorMarkdown } from './doctorReport';

export const SCHEME = 'devstream';
export const DOCTOR_URI = vscode.Uri.from({ scheme: SCHEME, path: '/doctor/Database Doctor.md' });

export class ReadonlyDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor(private readonly app: App) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.path === DOCTOR_URI.path)
      return doctorMarkdown(this.app.stores.ds.diagnose(), this.app.embeddings.describe());
    const id = /^\/memory\/([0-9a-f]{32})\//.exec(uri.path)?.[1];
    const memory = id ? this.app.stores.memories.get(id) : undefined;
    return memory ? memory.content : 'This memory no longer exists.';
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

/** The URI of a memory's read-only document; the file name carries the extension for highlighting. */
export function memoryUri(m: Memory): vscode.Uri {
  const base = m.anchor
    ? path.posix.basename(m.anchor.file)
    : `${m.contentType}${m.contentFormat === 'markdown' ? '.md' : '.txt'}`;
  return vscode.Uri.from({ scheme: SCHEME, path: `/memory/${m.id}/${base}` });
}

/** Opens a memory's full text read-only, in its language. */
export async function showMemoryDocument(
  m: Memory,
  column: vscode.ViewColumn = vscode.ViewColumn.Active,
): Promise<vscode.TextEditor> {
  let doc = await vscode.workspace.openTextDocument(memoryUri(m));
  const language = m.anchor?.language ?? (m.contentFormat === 'markdown' ? 'markdown' : undefined);
  if (language && doc.languageId !== language) {
    doc = await vscode.languages.setTextDocumentLanguage(doc, language).then(
      (d) => d,
      () => doc,
    );
  }
  return vscode.window.showTextDocument(doc, { viewColumn: column, preview: true });
}
