// Embeddings in the background: builds the embedder the settings and the index call for, runs
// core's EmbeddingQueue after saves and on a schedule, and speaks up only when the user can act
// (Ollama down or missing its model, or an index of another model). Silent when all is fine.
import * as vscode from 'vscode';
import type { OpenedStore } from '../../core/db/open';
import { embedderForStore } from '../../core/embeddings/forStore';
import { OllamaEmbedder } from '../../core/embeddings/ollama';
import { EmbeddingQueue, type QueueProgress } from '../../core/embeddings/queue';
import { getVectorSpace } from '../../core/memory/vectorSpace';
import type { Embedder } from '../../core/embeddings/types';
import type { App } from '../app';
import { readConfig } from '../config';
import type { EmbedderSpec } from '../search/workerProtocol';
import { YieldingEmbedder } from './yieldingEmbedder';

/** Catches memories written by other processes that did not embed them (CLI, plain SQL). */
const SCHEDULE_MS = 60_000;

interface Current {
  store: OpenedStore;
  embedder: Embedder;
  queue: EmbeddingQueue;
  reason: string;
  /** The index holds another model's vectors (re-index to switch). */
  mismatch?: string;
}

export class EmbeddingService implements vscode.Disposable {
  private current: Current | undefined;
  private building: Promise<Current | undefined> | undefined;
  private readonly warned = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly timer: NodeJS.Timeout;
  private lastLoggedError: string | undefined;
  /** Bumped by every drop: a build that started before it must not install its result. */
  private generation = 0;
  /** The embedder whose vectors the worker's queries must match changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly app: App) {
    this.timer = setInterval(() => void this.scheduled(), SCHEDULE_MS);
    this.timer.unref();
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          ['devstream.embedder', 'devstream.ollama.url', 'devstream.ollama.model'].some((s) =>
            e.affectsConfiguration(s),
          )
        ) {
          void this.rebuild(true);
        }
      }),
      app.stores.onDidChange((kind) => {
        if (this.current && (!app.stores.isOpen || app.stores.store !== this.current.store))
          this.drop(); // reset: new file
        else if (kind !== 'plans') this.notify();
      }),
    );
  }

  /** What the search worker should embed queries with; null: keyword search only. */
  async spec(): Promise<EmbedderSpec | null> {
    const c = await this.ensure();
    if (!c) return null;
    return c.embedder instanceof OllamaEmbedder
      ? { provider: 'ollama', url: c.embedder.host, model: c.embedder.model }
      : { provider: 'builtin' };
  }

  /** New or changed memories are waiting: embed them soon (never blocks the caller). */
  notify(): void {
    if (!this.app.stores.isOpen) return;
    void this.ensure().then((c) => c && !c.mismatch && c.queue.notify());
  }

  /**
   * The schedule: memories saved while the embedder was unavailable (or by another process)
   * get their vectors. A hook row ("Embed pending memories on a schedule") can switch it off,
   * and each run that had work is recorded in hook_executions.
   */
  private async scheduled(): Promise<void> {
    if (!this.app.stores.isOpen) return;
    const pending = this.app.stores.memories.pendingEmbedding(1000).length;
    if (pending === 0) return;
    await this.app.automations.scheduledEmbedding(async () => {
      const c = await this.ensure();
      if (!c || c.mismatch) throw new Error(c?.mismatch ?? 'no embedder available');
      c.queue.notify();
      return { pending };
    });
  }

  /** The queue's state, for the doctor report. */
  describe(): { model?: string; reason?: string; progress?: QueueProgress; mismatch?: string } {
    const c = this.current;
    return c ? { model: c.embedder.model, reason: c.reason, progress: c.queue.progress, mismatch: c.mismatch } : {};
  }

  /**
   * Re-index with a cancellable progress notification. Resumable: a cancelled run leaves the
   * rest pending, and running it again continues (the index already holds the new model).
   * `full` re-embeds everything even when nothing is pending and the model is unchanged.
   */
  async reindex(opts: { full?: boolean } = {}): Promise<QueueProgress | undefined> {
    const c = await this.ensure();
    if (!c)
      throw new Error(
        this.app.stores.store.vectorsEnabled
          ? 'No embedder is available (see the DevStream output).'
          : 'Vector search is off (sqlite-vec is not loaded): there is nothing to index.',
      );
    const pending = this.app.stores.memories.pendingEmbedding(1).length > 0;
    const reset = opts.full || c.mismatch !== undefined || !pending;
    const title = reset
      ? `DevStream: re-indexing memories with ${c.embedder.model}`
      : `DevStream: embedding pending memories with ${c.embedder.model}`;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        const sub = c.queue.onProgress((p) => {
          const pct = p.total > 0 ? (p.done / p.total) * 100 : 0;
          const wait = p.state === 'waiting' && p.lastError ? ` — waiting: ${p.lastError}` : '';
          progress.report({ message: `${p.done} of ${p.total}${wait}`, increment: Math.max(0, pct - reported) });
          reported = Math.max(reported, pct);
        });
        const cancel = token.onCancellationRequested(() => void c.queue.stop());
        try {
          const result = reset ? await c.queue.reindex() : await c.queue.drain();
          // An unfinished re-index leaves the old model's vectors in charge: still a mismatch.
          if (getVectorSpace(c.store).model === c.embedder.model) c.mismatch = undefined;
          this.changed.fire();
          this.app.output.info(
            `Re-index ${result.state}: ${result.done} of ${result.total} embedded with ${c.embedder.model}${result.lastError ? ` (${result.lastError})` : ''}`,
          );
          if (result.state === 'stopped') {
            void vscode.window.showInformationMessage(
              `DevStream: re-indexing paused after ${result.done} of ${result.total} memories. Run "Re-index Embeddings" again to continue; search uses the previous vectors meanwhile.`,
            );
          } else if (result.state === 'blocked') {
            void vscode.window.showWarningMessage(
              `DevStream: re-indexing stopped: ${result.lastError ?? 'the index holds another model'}`,
            );
          } else {
            void vscode.window.setStatusBarMessage(
              `$(check) DevStream: ${result.done} memories embedded with ${c.embedder.model}`,
              5000,
            );
          }
          return result;
        } finally {
          sub.dispose();
          cancel.dispose();
        }
      },
    );
  }

  private ensure(): Promise<Current | undefined> {
    const store = this.app.stores.isOpen ? this.app.stores.tryOpen()?.store : undefined;
    if (!store || !store.vectorsEnabled) return Promise.resolve(undefined);
    if (this.current?.store === store) return Promise.resolve(this.current);
    return (this.building ??= this.track(this.build(store, false)));
  }

  /** Remembers a build in flight (so concurrent callers share it) until it settles. */
  private track(p: Promise<Current | undefined>): Promise<Current | undefined> {
    const tracked = p.finally(() => {
      if (this.building === tracked) this.building = undefined;
    });
    return tracked;
  }

  private async rebuild(userChanged: boolean): Promise<void> {
    this.drop();
    const store = this.app.stores.isOpen ? this.app.stores.tryOpen()?.store : undefined;
    if (!store || !store.vectorsEnabled) return;
    const c = await (this.building = this.track(this.build(store, userChanged)));
    // The user switched models in the settings ("changing it re-indexes every memory").
    if (c?.mismatch && userChanged)
      await this.reindex().catch((e: Error) => this.app.output.error(`Re-index failed: ${e.message}`));
  }

  private async build(store: OpenedStore, userChanged: boolean): Promise<Current | undefined> {
    const gen = this.generation;
    const cfg = readConfig(this.app.stores.location?.folder);
    const urls = { ollamaUrl: cfg.ollamaUrl, ollamaModel: cfg.ollamaModel };
    let choice: Awaited<ReturnType<typeof embedderForStore>>;
    try {
      if (cfg.embedder !== 'auto') choice = await embedderForStore(store, { provider: cfg.embedder, ...urls });
      else {
        // 'auto' keeps the index's model; only a newly configured Ollama model that answers
        // switches it (a briefly stopped server must never trigger a re-index to another model).
        const probed = userChanged ? await embedderForStore(store, { provider: 'auto', ...urls }) : undefined;
        choice = probed?.embedder.id === 'ollama' && probed.mismatch ? probed : await embedderForStore(store, urls);
      }
    } catch (e) {
      this.warnOnce('config', `DevStream: the embedder settings are not usable: ${(e as Error).message}`, [
        'Open Settings',
      ]);
      return undefined;
    }
    // reset or settings changed while probing
    if (gen !== this.generation || this.app.stores.tryOpen()?.store !== store) return undefined;
    // Local embedding runs on this thread: small batches, each on its own macrotask.
    const local = !(choice.embedder instanceof OllamaEmbedder);
    const embedder = local ? new YieldingEmbedder(choice.embedder) : choice.embedder;
    const queue = this.app.stores.ds.embeddingQueue(embedder, { batchSize: local ? 4 : 16 }); // reports what it stores
    const c: Current = { store, embedder, queue, reason: choice.reason, mismatch: choice.mismatch };
    this.current = c;
    this.app.output.info(`Embedder: ${choice.embedder.model}. ${choice.reason}${choice.hint ? ` ${choice.hint}` : ''}`);
    queue.onProgress((p) => this.onProgress(c, p));
    this.changed.fire();
    if (choice.mismatch) {
      this.app.output.warn(choice.mismatch);
      if (!userChanged)
        this.warnOnce(`mismatch:${choice.embedder.model}`, `DevStream: ${choice.mismatch}`, ['Re-index Embeddings']);
    } else {
      queue.start();
      if (choice.embedder instanceof OllamaEmbedder) void this.checkOllama(choice.embedder);
    }
    return c;
  }

  private async checkOllama(ollama: OllamaEmbedder): Promise<void> {
    const probe = await ollama.probe();
    if (!probe.ok) this.warnOllama(ollama, probe.reason, probe.hint);
  }

  private onProgress(c: Current, p: QueueProgress): void {
    if (p.state === 'waiting' && p.lastError && p.lastError !== this.lastLoggedError) {
      this.lastLoggedError = p.lastError;
      this.app.output.warn(`Embedding queue waiting ${Math.round((p.retryInMs ?? 0) / 1000)} s: ${p.lastError}`);
      if (c.embedder instanceof OllamaEmbedder) this.warnOllama(c.embedder, p.lastError);
    } else if (p.state === 'idle' && p.done > 0) {
      this.lastLoggedError = undefined;
      this.app.output.info(
        `Embedded ${p.done} memories with ${c.embedder.model}${p.failed ? ` (${p.failed} refused by the provider)` : ''}.`,
      );
    } else if (p.state === 'blocked' && p.lastError) {
      this.app.output.warn(`Embedding queue blocked: ${p.lastError}`);
    }
  }

  private warnOllama(ollama: OllamaEmbedder, reason: string, hint?: string): void {
    const pull = /not pulled|not found/i.test(reason) ? `Run \`ollama pull ${ollama.model}\`.` : hint;
    this.warnOnce(
      `ollama:${ollama.host}:${ollama.model}`,
      `DevStream: ${reason}${pull ? ` ${pull}` : ''} Memories are still saved and found by keywords; they get vectors when Ollama answers.`,
      ['Retry', 'Use Built-in Embedder', 'Show Log'],
    );
  }

  /** One warning per subject per session, with actions that fix it. */
  private warnOnce(key: string, message: string, actions: string[]): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    void vscode.window.showWarningMessage(message, ...actions).then(async (choice) => {
      if (choice === 'Retry') this.current?.queue.retryNow();
      else if (choice === 'Use Built-in Embedder')
        await vscode.workspace
          .getConfiguration('devstream')
          .update('embedder', 'builtin', vscode.ConfigurationTarget.Global);
      else if (choice === 'Show Log') this.app.output.show();
      else if (choice === 'Open Settings')
        await vscode.commands.executeCommand('workbench.action.openSettings', 'devstream.');
      else if (choice === 'Re-index Embeddings') await vscode.commands.executeCommand('devstream.reindexEmbeddings');
    });
  }

  private drop(): void {
    this.generation++;
    this.building = undefined;
    this.current?.queue.dispose();
    this.current = undefined;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.drop();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
