// Actions on one memory (tree context menu, CodeLens, search results). Each takes a tree node,
// { id } / { ids }, or an id string; handlers return what they did, for automation and tests.
import { setMemoryScope, type Scope } from '../../core/bank/scope';
import * as vscode from 'vscode';
import { DevStreamError } from '../../core/errors';
import { previewLine } from '../../core/memory/preview';
import type { Memory } from '../../core/memory/types';
import type { App } from '../app';
import { jumpToSource as jump, type JumpOutcome } from '../editor/jumpToSource';
import { showMemoryDocument } from '../editor/readonlyDocs';
import { MemoryNode, TYPE_ICON } from '../views/memories/nodes';
import { askKeywords, automationInput, keywordsOf, pickContentType } from './captureInput';

/** The memory ids an argument names: a tree node, { id }, { ids } or a string. */
function idsOf(arg: unknown): string[] {
  if (arg instanceof MemoryNode) return [arg.id];
  if (typeof arg === 'string') return [arg];
  if (arg && typeof arg === 'object') {
    const o = arg as { id?: unknown; ids?: unknown };
    if (typeof o.id === 'string') return [o.id];
    if (Array.isArray(o.ids)) return o.ids.filter((x): x is string => typeof x === 'string');
  }
  return [];
}

async function resolve(app: App, arg: unknown): Promise<Memory | undefined> {
  const ids = idsOf(arg);
  if (ids.length === 0) throw new DevStreamError('Pick a memory in the Memories view first.');
  const memories = ids.map((id) => app.stores.memories.get(id)).filter((m): m is Memory => m !== undefined);
  if (memories.length === 0) throw new DevStreamError('That memory no longer exists.', 'not_found');
  if (memories.length === 1) return memories[0];
  const picked = await vscode.window.showQuickPick(
    memories.map((m) => ({
      label: `$(${TYPE_ICON[m.contentType]}) ${previewLine(m.content)}`,
      description: m.keywords.join(', '),
      m,
    })),
    { title: 'Memories on this line' },
  );
  return picked?.m;
}

export async function openMemory(app: App, arg?: unknown): Promise<string | undefined> {
  const m = await resolve(app, arg);
  if (!m) return undefined;
  app.stores.memories.recordAccess([m.id]);
  await showMemoryDocument(m);
  return m.id;
}

export async function jumpToSource(app: App, arg?: unknown): Promise<JumpOutcome | undefined> {
  const m = await resolve(app, arg);
  if (!m) return undefined;
  app.stores.memories.recordAccess([m.id]);
  return jump(app, m);
}

export async function editMemory(app: App, arg?: unknown, answers?: unknown): Promise<Memory | undefined> {
  const m = await resolve(app, arg);
  if (!m) return undefined;
  const input = automationInput(answers) ?? {};
  const contentType = input.contentType ?? (await pickContentType(m.contentType, 'Edit Memory (1/2): type'));
  if (!contentType) return undefined;
  const keywords = keywordsOf(input.keywords) ?? (await askKeywords('Edit Memory (2/2): keywords', m.keywords));
  if (!keywords) return undefined;
  const updated = app.stores.memories.update(m.id, { contentType, keywords });
  return updated;
}

/** Tree context menu: the memory goes to the team bank (a file committed with git) or stays on this machine. */
export function shareMemory(app: App, arg?: unknown): Memory {
  return setScopeOf(app, arg, 'shared');
}

export function keepMemoryPrivate(app: App, arg?: unknown): Memory {
  return setScopeOf(app, arg, 'private');
}

function setScopeOf(app: App, arg: unknown, scope: Scope): Memory {
  const [id] = idsOf(arg);
  if (!id) throw new DevStreamError('Pick a memory in the Memories view first.');
  const m = setMemoryScope(app.stores.memories, id, scope);
  const where =
    scope === 'shared'
      ? 'shared with the team (written to .devstream/bank when the workspace has a bank)'
      : 'private to this machine';
  void vscode.window.setStatusBarMessage(`$(check) DevStream: memory ${where}`, 5000);
  return m;
}

export function archiveMemory(app: App, arg?: unknown): string | undefined {
  const [id] = idsOf(arg);
  if (!id) throw new DevStreamError('Pick a memory in the Memories view first.');
  app.stores.memories.archive(id);
  void vscode.window
    .showInformationMessage('DevStream: memory archived (hidden from the tree and from search).', 'Undo')
    .then((c) => {
      if (c !== 'Undo') return;
      app.stores.memories.archive(id, false);
    });
  return id;
}

/** Asks for confirmation (modal) unless automation passes { confirm: true }. */
export async function deleteMemory(app: App, arg?: unknown, options?: unknown): Promise<boolean> {
  const m = await resolve(app, arg);
  if (!m) return false;
  const confirmed =
    (options as { confirm?: unknown } | undefined)?.confirm === true ||
    (await vscode.window.showWarningMessage(
      `Delete the memory "${previewLine(m.content, 60)}"?`,
      { modal: true, detail: 'It is removed from the database and from search. Archive it instead to only hide it.' },
      'Delete',
    )) === 'Delete';
  if (!confirmed) return false;
  app.stores.memories.delete(m.id);
  return true;
}
