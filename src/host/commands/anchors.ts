// Memories whose code changed: Update from Code, Keep as History, and "what does this change touch".
import * as vscode from 'vscode';
import { describeFreshness } from '../../core/anchors/freshness';
import type { Impact } from '../../core/anchors/impact';
import { DevStreamError } from '../../core/errors';
import type { Memory } from '../../core/memory/types';
import type { App } from '../app';
import { jumpToSource } from '../editor/jumpToSource';
import { MemoryNode, TYPE_ICON } from '../views/memories/nodes';

function idOf(arg: unknown): string {
  if (arg instanceof MemoryNode) return arg.id;
  if (typeof arg === 'string') return arg;
  const id = arg && typeof arg === 'object' ? (arg as { id?: unknown }).id : undefined;
  if (typeof id === 'string') return id;
  throw new DevStreamError('Pick a memory in the Memories view first.');
}

function workspace(app: App): { store: NonNullable<ReturnType<App['stores']['tryOpen']>>; root: string } {
  const root = app.stores.location?.folder.fsPath;
  const store = app.stores.tryOpen();
  if (!root || !store) throw new DevStreamError('Open a workspace folder with a DevStream database first.');
  return { store, root };
}

export function updateMemoryFromCode(app: App, arg?: unknown): Memory {
  const { store, root } = workspace(app);
  const m = store.updateFromCode(root, idOf(arg));
  app.embeddings.notify(); // new content: the queue embeds it again
  return m;
}

export function keepMemoryAsHistory(app: App, arg?: unknown): Memory {
  const m = workspace(app).store.keepAsHistory(idOf(arg));
  return m;
}

/**
 * Lists the memories the working tree's changes (against HEAD, or a ref given by automation) touch; picking one opens
 * it.
 */
export async function showImpact(app: App, arg?: unknown): Promise<Impact> {
  const { store, root } = workspace(app);
  const base = typeof arg === 'string' ? arg : (arg as { base?: unknown } | undefined)?.base;
  const impact = store.memoriesTouchedBy(root, typeof base === 'string' ? base : 'HEAD');
  if (arg !== undefined) return impact; // automation: the answer, no UI
  if (impact.memories.length === 0) {
    void vscode.window.showInformationMessage(
      `DevStream: the changes against ${impact.base} touch no code with memories.`,
    );
    return impact;
  }
  const items = impact.memories.map((t) => ({
    label: `$(${TYPE_ICON[t.contentType as keyof typeof TYPE_ICON] ?? 'note'}) ${t.preview}`,
    description: `${t.file}:${t.startLine}`,
    detail: describeFreshness(t),
    id: t.id,
  }));
  const n = items.length;
  const picked = await vscode.window.showQuickPick(items, {
    title: `These changes touch code with ${n} ${n === 1 ? 'memory' : 'memories'}`,
    matchOnDescription: true,
  });
  const m = picked && app.stores.memories.get(picked.id);
  if (m) await jumpToSource(app, m);
  return impact;
}
