// Save Selection to Memory and Save Note. Both return quickly: the memory is stored without a
// vector (keyword search finds it at once) and the background queue embeds it.
import * as vscode from 'vscode';
import { applyCheck } from '../../core/anchors/freshness';
import { withScope } from '../store/teamBank';
import { makeAnchor } from '../../core/memory/anchor';
import { previewLine } from '../../core/memory/preview';
import type { ContentFormat, Memory, NewMemory } from '../../core/memory/types';
import { formatBytes, looksBinary, MAX_CONTENT_BYTES, truncateToBytes } from '../../core/memory/validate';
import { DevStreamError } from '../../core/errors';
import type { App } from '../app';
import { existingStore, workspaceRelative } from '../editor/paths';
import { headCommit } from './captureGit';
import { screenSecrets } from './captureSecrets';
import { askKeywords, automationInput, defaultContentType, keywordsOf, pickContentType } from './captureInput';

const FORMAT_BY_LANGUAGE: Record<string, ContentFormat> = {
  markdown: 'markdown',
  json: 'json',
  jsonc: 'json',
  yaml: 'yaml',
  plaintext: 'text',
  log: 'text',
};

export async function saveSelection(app: App, arg?: unknown): Promise<Memory | undefined> {
  const auto = automationInput(arg);
  const input = auto ?? {};
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new DevStreamError('Open a file and select the text to save as a memory.');
  const doc = editor.document;
  const sel = editor.selection;
  if (sel.isEmpty)
    throw new DevStreamError('Nothing is selected: select the lines to save first (or use "DevStream: Save Note").');
  let text = doc.getText(sel);
  if (text.trim().length === 0) throw new DevStreamError('The selection is only whitespace: select some text to save.');
  if (!text.isWellFormed() || looksBinary(text)) {
    throw new DevStreamError(
      'The selection looks like binary data (NUL or control characters); only text can be saved as a memory.',
    );
  }

  const startLine = sel.start.line + 1;
  // A selection that ends at the start of a line does not include that line.
  let endLine = sel.end.line + (sel.end.character === 0 && sel.end.line > sel.start.line ? 0 : 1);
  const metadata: Record<string, unknown> = {};
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONTENT_BYTES) {
    const ok = input.truncate ?? (await askTruncate(bytes));
    if (!ok) return undefined;
    text = truncateToBytes(text).text;
    endLine = startLine + text.split(/\r?\n/).length - 1;
    Object.assign(metadata, { truncated: true, originalBytes: bytes, savedBytes: Buffer.byteLength(text, 'utf8') });
  }

  // Automation that did not say what to do with secrets gets the safe choice; people are asked.
  const screened = await screenSecrets(text, input.secrets ?? (auto ? 'redact' : undefined), startLine);
  if (!screened) return undefined;
  text = screened.text;
  if (screened.redacted) metadata.redacted = screened.redacted;

  const same = await existingDuplicate(app, doc, startLine, endLine, text, auto !== undefined);
  if (same !== 'none') return same;

  const contentType =
    input.contentType ??
    (await pickContentType(defaultContentType(doc.languageId, text), 'Save Selection to Memory (1/2)'));
  if (!contentType) return undefined;
  const keywords = keywordsOf(input.keywords) ?? (await askKeywords('Save Selection to Memory (2/2)'));
  if (!keywords) return undefined;

  const file = workspaceRelative(app, doc.uri);
  const commit = file ? await headCommit(doc.uri) : undefined;
  const anchor = file
    ? makeAnchor(doc.getText(), startLine, endLine, { file, language: doc.languageId, ...(commit ? { commit } : {}) })
    : undefined;
  if (!file) metadata.sourceName = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString(true);

  const memory = store(app, {
    content: text,
    contentType,
    contentFormat: FORMAT_BY_LANGUAGE[doc.languageId] ?? 'code',
    keywords,
    ...(anchor ? { anchor } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  });
  const lines = endLine - startLine + 1;
  const extra =
    (metadata.truncated ? `, first ${formatBytes(MAX_CONTENT_BYTES)} of ${formatBytes(bytes)}` : '') +
    (screened.redacted
      ? `, ${screened.redacted.count} likely secret${screened.redacted.count === 1 ? '' : 's'} redacted`
      : '');
  confirm(
    app,
    memory,
    `Saved memory (${contentType}, ${lines} ${lines === 1 ? 'line' : 'lines'}${extra})${file ? '' : ' — not anchored: the file is outside the workspace folder'}`,
  );
  return memory;
}

export async function saveNote(app: App, arg?: unknown): Promise<Memory | undefined> {
  const auto = automationInput(arg);
  const input = auto ?? {};
  let content = input.content;
  if (content === undefined) {
    const typed = await vscode.window.showInputBox({
      title: 'Save Note (1/3)',
      prompt: 'The note: a decision, an error and its fix, a lesson. Type \\n for a line break.',
      placeHolder: 'e.g. Token refresh must happen before the retry, not after',
      ignoreFocusOut: true,
      validateInput: (v) =>
        Buffer.byteLength(v, 'utf8') > MAX_CONTENT_BYTES ? `At most ${formatBytes(MAX_CONTENT_BYTES)}.` : undefined,
    });
    if (typed === undefined) return undefined;
    content = typed.replace(/\\n/g, '\n');
  }
  if (content.trim().length === 0) throw new DevStreamError('The note is empty: type some text to save.');
  const screened = await screenSecrets(content, input.secrets ?? (auto ? 'redact' : undefined));
  if (!screened) return undefined;
  content = screened.text;
  const contentType =
    input.contentType ??
    (await pickContentType('learning', 'Save Note (2/3)', [
      'learning',
      'decision',
      'context',
      'error',
      'documentation',
      'code',
      'output',
    ]));
  if (!contentType) return undefined;
  const keywords = keywordsOf(input.keywords) ?? (await askKeywords('Save Note (3/3)'));
  if (!keywords) return undefined;
  const memory = store(app, {
    content,
    contentType,
    contentFormat: 'markdown',
    keywords,
    ...(screened.redacted ? { metadata: { redacted: screened.redacted } } : {}),
  });
  const lines = content.split('\n').length;
  const redacted = screened.redacted
    ? `, ${screened.redacted.count} likely secret${screened.redacted.count === 1 ? '' : 's'} redacted`
    : '';
  confirm(app, memory, `Saved note (${contentType}, ${lines} ${lines === 1 ? 'line' : 'lines'}${redacted})`);
  return memory;
}

/**
 * A memory that already holds these lines with this text: asks *Update Existing* (re-anchor it
 * here, fresh) or *Save Anyway*. Automation never duplicates silently: it updates the existing one.
 * 'none' when there is no duplicate or Save Anyway was chosen; undefined when cancelled.
 */
async function existingDuplicate(
  app: App,
  doc: vscode.TextDocument,
  startLine: number,
  endLine: number,
  text: string,
  auto: boolean,
): Promise<Memory | undefined | 'none'> {
  const file = workspaceRelative(app, doc.uri);
  const opened = file ? existingStore(app) : undefined;
  const same = opened && file ? opened.findDuplicate({ file, startLine, endLine }, text) : undefined;
  if (!same || !file) return 'none';
  const update = 'Update Existing';
  const choice = auto
    ? update
    : await vscode.window.showWarningMessage(
        `A memory already holds these lines (${same.contentType}: ${previewLine(same.content, 60)}).`,
        {
          modal: true,
          detail: 'Update Existing re-anchors it here and marks it fresh; Save Anyway makes a second memory.',
        },
        update,
        'Save Anyway',
      );
  if (choice === undefined) return undefined;
  if (choice !== update) return 'none';
  const commit = await headCommit(doc.uri);
  const base = makeAnchor(doc.getText(), startLine, endLine, {
    file,
    language: doc.languageId,
    ...(commit ? { commit } : {}),
  });
  const anchor = applyCheck({ ...base, savedLine: startLine }, { state: 'fresh', similarity: 1, startLine, endLine });
  const updated = app.stores.memories.update(same.id, { content: text, anchor });
  app.embeddings.notify();
  app.output.info(`Updated the existing memory ${same.id} instead of saving a duplicate`);
  return updated;
}

function store(app: App, m: NewMemory): Memory {
  const taskId = app.activeTask.task?.id; // linked to the task being worked on, when there is one
  const metadata = withScope(m.metadata); // shared or private, as devstream.bank.defaultScope says
  const memory = app.stores.memories.add({ ...m, metadata, source: 'vscode', ...(taskId ? { taskId } : {}) });
  app.embeddings.notify();
  return memory;
}

/** Not awaited: the toast stays until dismissed; Undo deletes what was just saved. */
function confirm(app: App, memory: Memory, message: string): void {
  app.output.info(`${message}: ${memory.id}`);
  void vscode.window.showInformationMessage(`DevStream: ${message}.`, 'Undo').then((choice) => {
    if (choice !== 'Undo') return;
    app.stores.memories.delete(memory.id);
  });
}

async function askTruncate(bytes: number): Promise<boolean> {
  const save = `Save First ${formatBytes(MAX_CONTENT_BYTES)}`;
  const choice = await vscode.window.showWarningMessage(
    `The selection is ${formatBytes(bytes)}; a memory holds at most ${formatBytes(MAX_CONTENT_BYTES)}.`,
    {
      modal: true,
      detail: `Save the first ${formatBytes(MAX_CONTENT_BYTES)} (cut at a line end; the memory records that it was cut), or cancel and select less.`,
    },
    save,
  );
  return choice === save;
}
