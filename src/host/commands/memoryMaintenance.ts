import * as vscode from 'vscode';
import type { RepairReport } from '../../core/db/doctor';
import type { QueueProgress } from '../../core/embeddings/queue';
import type { App } from '../app';
import { DOCTOR_URI } from '../editor/readonlyDocs';

/** Re-index Embeddings: cancellable, resumable; automation may pass { full: true }. */
export function reindexEmbeddings(app: App, arg?: unknown): Promise<QueueProgress | undefined> {
  return app.embeddings.reindex({ full: (arg as { full?: unknown } | undefined)?.full === true });
}

/**
 * Open Database Doctor: the report in a read-only markdown document, and a notification whose
 * Repair rebuilds the keyword and vector indexes. Automation: { repair: true } repairs at once.
 */
export async function openDoctor(app: App, arg?: unknown): Promise<RepairReport | undefined> {
  const ds = app.stores.ds;
  const doc = await vscode.workspace.openTextDocument(DOCTOR_URI);
  await vscode.languages.setTextDocumentLanguage(doc, 'markdown').then(undefined, () => undefined);
  await vscode.window.showTextDocument(doc, { preview: true });
  if ((arg as { repair?: unknown } | undefined)?.repair === true) return repair(app);
  const report = ds.diagnose();
  const message = report.healthy
    ? 'DevStream: the database is healthy.'
    : 'DevStream: the database doctor found problems (see the report).';
  const show = report.healthy ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(message, 'Repair').then((choice) => {
    if (choice === 'Repair') {
      try {
        repair(app);
      } catch (e) {
        void vscode.window.showErrorMessage(`DevStream: repair failed: ${(e as Error).message}`);
      }
    }
  });
  return undefined;
}

function repair(app: App): RepairReport {
  const r = app.stores.ds.rebuildIndexes();
  app.output.info(
    `Repair: keyword index ${r.ftsRebuilt} rows, vector index ${r.vecRebuilt} rows, ${r.embeddingsCleared} embeddings cleared.`,
  );
  app.embeddings.notify(); // cleared embeddings are embedded again
  app.docs.refresh(DOCTOR_URI);
  void vscode.window.showInformationMessage(
    `DevStream: indexes rebuilt (${r.ftsRebuilt} keyword rows, ${r.vecRebuilt} vector rows${r.embeddingsCleared ? `; ${r.embeddingsCleared} bad embeddings cleared for re-embedding` : ''}).`,
  );
  return r;
}
