import path from 'node:path';
import * as vscode from 'vscode';
import type { HookDefinition } from '../../core/hooks/hooks';
import { screenSecrets } from '../commands/captureSecrets';
import type { App } from '../app';

export const HOOKS = {
  filesRenamed: {
    id: 'HOOK-files-renamed',
    name: 'Move memory anchors with renamed files',
    eventType: 'files_renamed',
    actionType: 'update_anchors',
    description: 'When a file or folder with memories is renamed, its memories follow it.',
    order: 1,
  },
  filesDeleted: {
    id: 'HOOK-files-deleted',
    name: 'Flag memories of deleted files',
    eventType: 'files_deleted',
    actionType: 'flag_anchors',
    description: 'When a file with memories is deleted, its memories are kept and marked as having no source.',
    order: 2,
  },
  taskCompleted: {
    id: 'HOOK-task-completed-learning',
    name: 'Offer to save a learning when a task is completed',
    eventType: 'task_completed',
    actionType: 'offer_learning_memory',
    description: 'After completing a task in this window, offer to write down what was learned.',
    order: 3,
  },
  embedPending: {
    id: 'HOOK-embed-pending',
    name: 'Embed pending memories on a schedule',
    eventType: 'schedule',
    actionType: 'embed_pending',
    description: 'Every few minutes, memories saved while the embedder was unavailable get their vectors.',
    order: 4,
  },
} satisfies Record<string, HookDefinition>;

/**
 * The extension's automations. Each is a row in `hooks` (switch it off with "DevStream: Manage
 * Automations"), and each run is recorded in `hook_executions`.
 */
export class Automations implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private registered = false;
  private readonly offered = new Set<string>();
  private lastCompletedCheck = new Date().toISOString().replace('T', ' ').slice(0, 19);

  constructor(private readonly app: App) {
    this.disposables.push(
      vscode.workspace.onDidRenameFiles((e) => void this.onRenamed(e)),
      vscode.workspace.onDidDeleteFiles((e) => void this.onDeleted(e)),
      app.stores.onDidChange((kind) => {
        if (kind === 'plans') void this.onPlansChanged();
      }),
    );
  }

  ensureRegistered(): void {
    this.store();
  }

  /** The store with the hook rows in place, or undefined (no workspace / cannot open). */
  private store() {
    const store = this.app.stores.tryOpen();
    if (store && !this.registered) {
      store.ensureHooks(Object.values(HOOKS));
      this.registered = true;
    }
    return store;
  }

  private relative(uri: vscode.Uri): string | undefined {
    const root = this.app.stores.location?.folder.fsPath;
    if (!root || uri.scheme !== 'file') return undefined;
    const rel = path.relative(root, uri.fsPath);
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
  }

  private async onRenamed(e: vscode.FileRenameEvent): Promise<void> {
    const store = this.store();
    if (!store) return;
    const moves = e.files
      .map((f) => ({ from: this.relative(f.oldUri), to: this.relative(f.newUri) }))
      .filter((m): m is { from: string; to: string } => !!m.from && !!m.to);
    if (moves.length === 0) return;
    await store.runHook(HOOKS.filesRenamed.id, { moves }, () => ({
      status: 'success',
      result: { moved: store.renameAnchors(moves) },
    }));
  }

  private async onDeleted(e: vscode.FileDeleteEvent): Promise<void> {
    const store = this.store();
    if (!store) return;
    const files = e.files.map((f) => this.relative(f)).filter((f): f is string => !!f);
    if (files.length === 0) return;
    await store.runHook(HOOKS.filesDeleted.id, { files }, () => ({
      status: 'success',
      result: { flagged: store.flagMissingAnchors(files) },
    }));
  }

  /** Tasks completed in this window since the last look: offer to record what was learned. */
  private async onPlansChanged(): Promise<void> {
    const store = this.store();
    if (!store) return;
    const { tasks, checkedAt } = store.plans.completedSince(this.lastCompletedCheck);
    this.lastCompletedCheck = checkedAt;
    for (const task of tasks) {
      if (this.offered.has(task.id)) continue; // timestamps have 1 s granularity: never ask twice
      this.offered.add(task.id);
      await store.runHook(HOOKS.taskCompleted.id, { taskId: task.id }, async () => {
        const choice = await vscode.window.showInformationMessage(
          `Completed "${task.title}". Save what you learned as a memory?`,
          'Save Learning',
          'Not Now',
        );
        if (choice !== 'Save Learning') return { status: 'success', result: { saved: false } };
        const text = await vscode.window.showInputBox({
          title: `What did "${task.title}" teach you?`,
          prompt: 'Saved as a learning memory linked to the task.',
          ignoreFocusOut: true,
        });
        if (!text?.trim()) return { status: 'success', result: { saved: false } };
        const screened = await screenSecrets(text, undefined); // asks, as Save Note does, when it finds a likely secret
        if (!screened) return { status: 'success', result: { saved: false } };
        const m = store.memories.add({
          content: screened.text,
          contentType: 'learning',
          taskId: task.id,
          source: 'vscode:task-completed',
          ...(screened.redacted ? { metadata: { redacted: screened.redacted } } : {}),
        });
        return { status: 'success', result: { saved: true, memoryId: m.id } };
      });
    }
  }

  /** Wraps a scheduled embedding run so it is recorded (and skipped when switched off). */
  async scheduledEmbedding(run: () => Promise<Record<string, unknown>>): Promise<void> {
    const store = this.store();
    if (!store) return;
    await store.runHook(HOOKS.embedPending.id, { at: new Date().toISOString() }, async () => ({
      status: 'success',
      result: await run(),
    }));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
