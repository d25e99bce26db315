// The host side of search: feeds the worker client the database path, the embedder the
// queue uses and the search settings (read on every search, so changes apply at once).
import path from 'node:path';
import * as vscode from 'vscode';
import type { App } from '../app';
import { readConfig } from '../config';
import { existingStore } from '../editor/paths';
import { SearchViewProvider } from '../webview/searchViewProvider';
import type { SearchFilter } from '../../core/search/types';
import { SearchClient, type WorkerSearchResult } from './searchClient';

/** How long after activation the search worker's thread starts (idle until the Search view warms it). */
const PRESTART_AFTER_MS = 1000;

export class SearchService implements vscode.Disposable {
  readonly client: SearchClient;
  /** The Search webview view (registered with the Memories views). */
  readonly view: SearchViewProvider;
  private readonly disposables: vscode.Disposable[] = [];
  private warmed: string | undefined;

  constructor(private readonly app: App) {
    this.client = new SearchClient(
      path.join(app.context.extensionPath, 'dist', 'searchWorker.js'),
      (level, message) => app.output[level](message),
      () => this.view.invalidate(),
    );
    this.view = new SearchViewProvider(app, this);
    this.disposables.push(
      this.view,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('devstream.search')) this.view.invalidate();
      }),
      app.embeddings.onDidChange(() => this.view.invalidate()),
    );
    // Soon after activation, not during it: the thread is ready by the time the Search view opens.
    const prestart = setTimeout(() => this.client.prestart(), PRESTART_AFTER_MS);
    prestart.unref();
    this.disposables.push({ dispose: () => clearTimeout(prestart) });
  }

  /** Hybrid search with the current settings; a newer search in the same lane cancels this one. */
  async search(query: string, filters: SearchFilter, lane?: string): Promise<WorkerSearchResult & { limit: number }> {
    await this.configure(true);
    const cfg = readConfig(this.app.stores.location?.folder);
    const limit = Math.max(1, Math.min(200, Math.floor(cfg.resultCount)));
    const result = await this.client.search(
      query,
      {
        limit,
        rrfK: cfg.rrfK,
        weights: { keyword: cfg.keywordWeight, vector: cfg.vectorWeight },
        filters,
        prefixLast: true,
      },
      lane,
    );
    return { ...result, limit };
  }

  /** The Search view opened or data changed: get the worker ready once per database file. */
  async warm(): Promise<void> {
    const path = existingStore(this.app)?.path;
    if (!path || path === this.warmed || !(await this.configure(false))) return;
    this.warmed = path;
    this.app.output.info('search view: warming the search worker'); // the startup benchmark times from here
    this.client.warm();
  }

  /** Points the worker at the database and the queue's embedder; opens the store when asked to. */
  private async configure(open: boolean): Promise<boolean> {
    // the host migrates the file before the worker reads it
    const store = open ? this.app.stores.ds : existingStore(this.app);
    if (!store) return false;
    this.client.configure({ dbPath: store.path, embedder: await this.app.embeddings.spec() });
    return true;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.client.dispose();
  }
}
