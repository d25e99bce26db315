// Re-anchoring after changes made outside the editor: a file changed on disk (a formatter,
// git pull), a branch switch (.git/HEAD), and at start-up the files changed since last seen.
// Bounded: only files that hold memories are read, open documents with unsaved edits are left
// to live tracking, and start-up costs one stat per anchored file.
import * as vscode from 'vscode';
import type { App } from '../app';
import { existingStore, workspaceRelative } from './paths';

const DEBOUNCE_MS = 400;
/** Above this many files a check shows progress in the status bar. */
const PROGRESS_FILES = 20;

export class AnchorWatcher implements vscode.Disposable {
  private readonly pending = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly app: App) {
    const folder = app.stores.location?.folder;
    if (!folder) return;
    const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
    const head = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.git/HEAD'));
    const queue = (uri: vscode.Uri) => this.queue(uri);
    this.disposables.push(
      files,
      head,
      files.onDidChange(queue),
      files.onDidCreate(queue),
      files.onDidDelete(queue),
      head.onDidChange(() => this.checkStale()),
      head.onDidCreate(() => this.checkStale()),
    );
    this.timer = setTimeout(() => this.checkStale(), DEBOUNCE_MS); // start-up, after activation settles
  }

  private queue(uri: vscode.Uri): void {
    const rel = workspaceRelative(this.app, uri);
    if (!rel || rel.startsWith('.devstream/') || rel.startsWith('.git/')) return;
    this.pending.add(rel);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  /** Files with unsaved edits in an editor: their lines are tracked live and checked on save. */
  private dirtyFiles(): Set<string> {
    return new Set(
      vscode.workspace.textDocuments
        .filter((d) => d.isDirty)
        .map((d) => workspaceRelative(this.app, d.uri))
        .filter((f): f is string => !!f),
    );
  }

  private flush(): void {
    const dirty = this.dirtyFiles();
    const files = [...this.pending].filter((f) => !dirty.has(f));
    this.pending.clear();
    if (files.length) void this.check(files, false);
  }

  /** Start-up and branch switch: every anchored file modified since its memories were checked. */
  private checkStale(): void {
    try {
      const store = existingStore(this.app);
      const root = this.app.stores.location?.folder.fsPath;
      if (!store || !root) return;
      const dirty = this.dirtyFiles();
      const files = store.staleAnchorFiles(root).filter((f) => !dirty.has(f));
      if (files.length) void this.check(files, true);
    } catch (e) {
      this.app.output.warn(`Checking memory anchors: ${(e as Error).message}`);
    }
  }

  /** git: use git diff from each memory's commit (a process per commit; not for every file event). */
  private async check(files: string[], git: boolean): Promise<void> {
    const run = () => {
      const store = existingStore(this.app);
      const root = this.app.stores.location?.folder.fsPath;
      if (!store || !root) return;
      store.reanchor(root, { files, write: true, git }); // reports its own change
    };
    try {
      if (files.length < PROGRESS_FILES) run();
      else
        await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Window,
            title: `DevStream: checking memories in ${files.length} changed files`,
          },
          async () => run(),
        );
    } catch (e) {
      this.app.output.warn(`Checking memory anchors: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
