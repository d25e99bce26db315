// The one host <-> webview protocol of the Search view. Both sides compile this file (the
// webview's tsconfig includes only it from src/): no vscode, no DOM, no logic. The host
// validates every WebviewToHost message before use (src/host/webview/validateMessage.ts);
// the limits below are the sizes it accepts, shared so the UI enforces the same ones.

/** Mirrors core's CONTENT_TYPES (a unit test keeps the two lists equal). */
export type ContentTypeName = 'code' | 'documentation' | 'context' | 'output' | 'error' | 'decision' | 'learning';

export const PROTOCOL_LIMITS = {
  /** Characters of a search query. */
  query: 1000,
  /** Characters of the file-prefix filter. */
  filePrefix: 260,
  /** Request ids are positive integers up to this. */
  requestId: 2 ** 31 - 1,
} as const;

/** Narrowing filters of a search; absent fields do not narrow. Ids are 32 hex characters. */
export interface SearchFilters {
  contentType?: ContentTypeName;
  planId?: string;
  taskId?: string;
  /** Workspace-relative path prefix, forward slashes. */
  filePrefix?: string;
}

// ------------------------------------------------------------------ webview -> host
export interface ReadyMessage {
  type: 'ready';
}
export interface SearchRequest {
  type: 'search';
  requestId: number;
  query: string;
  filters: SearchFilters;
}
/** Enter or click on a result: jump to its source (or open it when it has no anchor). */
export interface OpenRequest {
  type: 'open';
  memoryId: string;
}

export type WebviewToHost = ReadyMessage | SearchRequest | OpenRequest;

// ------------------------------------------------------------------ host -> webview
/** A plan or task to filter by. */
export interface ScopeOption {
  kind: 'plan' | 'task';
  id: string;
  label: string;
}

export interface ResultItem {
  id: string;
  contentType: ContentTypeName;
  /** Excerpt; matches wrapped in \u0002 ... \u0003 (escape first, then turn them into marks). */
  snippet: string;
  /** First meaningful line of the memory, for the title. */
  title: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  /** Set when the code no longer matches as saved, as last checked: e.g. 'moved', 'changed (82% alike)', 'lost'. */
  freshness?: string;
  createdAt: string;
  /** Fused RRF score (or the single channel's score). */
  score: number;
  keywordRank?: number;
  vectorRank?: number;
  distance?: number;
}

export interface InitMessage {
  type: 'init';
  contentTypes: ContentTypeName[];
  scopes: ScopeOption[];
  memoryCount: number;
  /** Prefill (Search Memories with a selection). */
  query?: string;
}

export interface ResultsMessage {
  type: 'results';
  requestId: number;
  items: ResultItem[];
  /** Why the answer is weaker than asked (e.g. keyword-only: the embedder is down). */
  degraded?: string;
  /** The search failed; nothing to show. */
  error?: string;
  ms: number;
  limit: number;
}

export interface SetQueryMessage {
  type: 'setQuery';
  query: string;
}
/** Plans/tasks or the memory count changed. */
export interface ScopesMessage {
  type: 'scopes';
  scopes: ScopeOption[];
  memoryCount: number;
}
/** Memories changed: re-run the current query. */
export interface InvalidateMessage {
  type: 'invalidate';
}

export type HostToWebview = InitMessage | ResultsMessage | SetQueryMessage | ScopesMessage | InvalidateMessage;
