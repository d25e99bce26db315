// Messages between the extension host and the search worker (worker_threads). Plain data only:
// they cross the thread boundary by structured clone.
import type { HybridSearchResult } from '../../core/search/hybridSearch';
import type { SearchFilter } from '../../core/search/types';

/** Which embedder the worker builds for queries: the same model the host's queue writes. */
export type EmbedderSpec = { provider: 'builtin' } | { provider: 'ollama'; url: string; model: string };

export interface WorkerConfig {
  dbPath: string;
  /** null: keyword search only. */
  embedder: EmbedderSpec | null;
}

export interface WorkerSearchOptions {
  limit: number;
  rrfK: number;
  /** Unset: the defaults for the index's embedding model (core/search/fusionDefaults.ts). */
  weights: { keyword?: number; vector?: number };
  filters: SearchFilter;
  prefixLast: boolean;
}

export type ToWorker =
  | { type: 'configure'; config: WorkerConfig }
  | { type: 'search'; id: number; query: string; options: WorkerSearchOptions }
  | { type: 'cancel'; id: number }
  /** Open the database, load the vector index and the embedder now, before the first query. */
  | { type: 'warm' };

export type FromWorker =
  | { type: 'result'; id: number; result: HybridSearchResult; titles: string[] }
  | { type: 'error'; id: number; message: string; aborted: boolean }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** The vector index finished loading: searches answered keyword-first meanwhile can be re-run. */
  | { type: 'indexReady' };
