import { describeFreshness, freshnessOf } from '../../core/anchors/freshness';
import type { SourceAnchor } from '../../core/memory/types';
// The Search view (a WebviewView): validates every message from the page, runs searches in
// the worker (through SearchService) and answers with the request id the page sent, so the
// page can drop stale replies.
import * as vscode from 'vscode';
import type { ContentType } from '../../core/memory/types';
import { CONTENT_TYPES } from '../../core/memory/types';
import type { SearchFilter } from '../../core/search/types';
import type { HostToWebview, ResultItem, ResultsMessage, ScopeOption, SearchFilters } from '../../shared/protocol';
import type { App } from '../app';
import { openMemoryOrSource } from '../editor/jumpToSource';
import { existingStore } from '../editor/paths';
import { SearchCancelled } from '../search/searchClient';
import type { SearchService } from '../search/searchService';
import { buildHtml, webviewOptions } from './html';
import { validateWebviewMessage } from './validateMessage';

const MAX_SCOPES = 300;
const LANE = 'search-view';

export type SearchSummary = Omit<ResultsMessage, 'type' | 'requestId'>;

export class SearchViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private pendingQuery: string | undefined;
  private readonly viewDisposables: vscode.Disposable[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly app: App,
    private readonly search: SearchService,
  ) {
    this.subscription = app.stores.onDidChange((kind) => {
      if (!this.view || !this.ready) return;
      void this.search.warm().catch(() => undefined); // the first save may have created the database
      void this.post({ type: 'scopes', ...this.scopes() }); // counts and plan names
      if (kind !== 'plans') this.invalidate();
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.ready = false;
    const extensionUri = this.app.context.extensionUri;
    view.webview.options = webviewOptions(extensionUri);
    view.webview.html = buildHtml(view.webview, extensionUri, {
      title: 'DevStream Search',
      script: 'dist/webview.js',
      styles: ['dist/webview.css'],
    });
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.disposeView();
      }),
    );
  }

  /** Prefills the query (Search Memories with a selection); sent once the page is ready. */
  setQuery(query: string): void {
    if (this.view && this.ready) void this.post({ type: 'setQuery', query });
    else this.pendingQuery = query;
  }

  /** Data or settings changed: the page re-runs its query. */
  invalidate(): void {
    void this.post({ type: 'invalidate' });
  }

  /** Handles one message from the page; exported for tests through the command layer. */
  async onMessage(raw: unknown): Promise<void> {
    const v = validateWebviewMessage(raw);
    if (!v.ok) {
      this.app.output.warn(`Search view: rejected a message from the webview (${v.reason}).`);
      return;
    }
    const m = v.message;
    if (m.type === 'ready') {
      this.ready = true;
      void this.search.warm().catch((e: Error) => this.app.output.warn(`Search worker: ${e.message}`));
      const query = this.pendingQuery;
      this.pendingQuery = undefined;
      await this.post({
        type: 'init',
        contentTypes: [...CONTENT_TYPES],
        ...this.scopes(),
        ...(query !== undefined ? { query } : {}),
      });
    } else if (m.type === 'search') {
      const summary = await this.run(m.query, m.filters, LANE);
      if (summary) await this.post({ type: 'results', requestId: m.requestId, ...summary });
    } else if (m.type === 'open') {
      const memory = this.app.stores.memories.get(m.memoryId);
      if (!memory) void vscode.window.showWarningMessage('DevStream: that memory no longer exists.');
      else
        await openMemoryOrSource(this.app, memory).catch((e: Error) =>
          vscode.window.showErrorMessage(`DevStream: ${e.message}`),
        );
    }
  }

  /** Runs a search as the view does; undefined when a newer one in the lane replaced it. */
  async run(query: string, filters: SearchFilters, lane?: string): Promise<SearchSummary | undefined> {
    const t0 = performance.now();
    try {
      const { result, titles, limit } = await this.search.search(query, toCoreFilter(filters), lane);
      const items: ResultItem[] = result.hits.map((h, i) => ({
        id: h.id,
        contentType: h.contentType,
        snippet: h.snippet,
        title: titles[i] ?? '',
        ...(h.anchor ? { file: h.anchor.file, startLine: h.anchor.startLine, endLine: h.anchor.endLine } : {}),
        ...freshnessLabel(h.anchor),
        createdAt: h.createdAt,
        score: h.score,
        ...(h.keywordRank !== undefined ? { keywordRank: h.keywordRank } : {}),
        ...(h.vectorRank !== undefined ? { vectorRank: h.vectorRank, distance: h.distance } : {}),
      }));
      return {
        items,
        ...(result.degraded ? { degraded: result.degraded } : {}),
        ms: Math.round(performance.now() - t0),
        limit,
      };
    } catch (e) {
      if (e instanceof SearchCancelled) return undefined;
      this.app.output.warn(`Search failed: ${(e as Error).message}`);
      return { items: [], error: (e as Error).message, ms: Math.round(performance.now() - t0), limit: 0 };
    }
  }

  private scopes(): { scopes: ScopeOption[]; memoryCount: number } {
    const store = existingStore(this.app);
    if (!store) return { scopes: [], memoryCount: 0 };
    const scopes: ScopeOption[] = [];
    try {
      for (const plan of this.app.stores.plans.listPlans()) {
        if (scopes.length >= MAX_SCOPES) break;
        scopes.push({ kind: 'plan', id: plan.id, label: plan.title });
        for (const task of this.app.stores.plans.listTasks({ planId: plan.id })) {
          if (scopes.length >= MAX_SCOPES) break;
          scopes.push({ kind: 'task', id: task.id, label: task.title });
        }
      }
      return { scopes, memoryCount: this.app.stores.memories.count({ includeArchived: false }) };
    } catch (e) {
      this.app.output.warn(`Search view: could not list plans: ${(e as Error).message}`);
      return { scopes, memoryCount: 0 };
    }
  }

  private async post(message: HostToWebview): Promise<void> {
    if (!this.view || !this.ready) return;
    await this.view.webview.postMessage(message);
  }

  private disposeView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
  }

  dispose(): void {
    this.disposeView();
    this.subscription.dispose();
  }
}

function toCoreFilter(f: SearchFilters): SearchFilter {
  return {
    ...(f.contentType ? { contentType: f.contentType as ContentType } : {}),
    ...(f.planId ? { planId: f.planId } : {}),
    ...(f.taskId ? { taskId: f.taskId } : {}),
    ...(f.filePrefix ? { filePrefix: f.filePrefix } : {}),
  };
}

/** What a result says when its code no longer matches the memory (nothing when fresh or never checked). */
function freshnessLabel(anchor: SourceAnchor | undefined): { freshness?: string } {
  const f = freshnessOf(anchor);
  if (!f || f.state === 'fresh') return {};
  return { freshness: anchor?.history ? `${describeFreshness(f)}, kept as history` : describeFreshness(f) };
}
