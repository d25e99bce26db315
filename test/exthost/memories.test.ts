// Memories in the real extension host: capture from a selection (anchor, language, commit,
// fingerprint), jump to a moved snippet, search through the worker with the settings, editor
// CodeLens/hover, message validation, maintenance commands.
/// <reference types="mocha" />
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RepairReport } from '../../src/core/db/doctor';
import type { QueueProgress } from '../../src/core/embeddings/queue';
import type { Memory } from '../../src/core/memory/types';
import type { App } from '../../src/host/app';
import type { JumpOutcome } from '../../src/host/editor/jumpToSource';
import { AUTH_TS } from '../fixtures/authTs';
import { validateWebviewMessage } from '../../src/host/webview/validateMessage';
import type { SearchSummary } from '../../src/host/webview/searchViewProvider';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

suite('Memories in the extension host', function () {
  this.timeout(60_000);
  let app: App;
  let root: string;
  let authUri: vscode.Uri;
  let saved: Memory;

  const setting = (key: string, value: unknown) =>
    vscode.workspace.getConfiguration('devstream').update(key, value, vscode.ConfigurationTarget.Global);
  const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
    return vscode.Uri.file(path.join(root, rel));
  };
  async function select(uri: vscode.Uri, selection: vscode.Selection): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(uri, { preview: false });
    editor.selection = selection;
    return editor;
  }

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<App>('devstream.devstream');
    assert.ok(ext);
    app = await ext.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    authUri = write('src/auth.ts', AUTH_TS);
  });

  suiteTeardown(async () => {
    await setting('search.resultCount', undefined);
    await setting('decorations.enabled', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Save Selection stores the anchor: relative path, lines, language, fingerprint', async () => {
    await select(authUri, new vscode.Selection(2, 0, 5, 0)); // lines 3-5, ending at the start of line 6
    const m = await run<Memory>('devstream.saveSelection', { contentType: 'code', keywords: ['auth', 'token'] });
    assert.ok(m, 'the command returns the saved memory');
    const stored = app.stores.memories.get(m.id);
    assert.ok(stored?.anchor);
    // commit: this test workspace may sit inside a git work tree (checked in the next test)
    const { fingerprint, commit: _commit, context: _context, ...anchor } = stored.anchor;
    assert.deepEqual(anchor, { file: 'src/auth.ts', startLine: 3, endLine: 5, language: 'typescript' });
    assert.match(fingerprint ?? '', /^[0-9a-f]{16}:[0-9a-f]{16}$/);
    assert.equal(stored.content, AUTH_TS.split('\n').slice(2, 5).join('\n') + '\n');
    assert.deepEqual(stored.keywords, ['auth', 'token']);
    assert.equal(stored.contentType, 'code');
    assert.equal(stored.source, 'vscode');
    saved = stored;
  });

  test('the anchor records the git commit when the folder is a repository', async function () {
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' })
          .toString()
          .trim();
      git('init', '-q');
      write('lib/util.py', 'def add(a, b):\n    return a + b\n');
      git('add', 'lib/util.py');
      git('commit', '-qm', 'init');
      const head = git('rev-parse', 'HEAD');
      await select(vscode.Uri.file(path.join(root, 'lib/util.py')), new vscode.Selection(0, 0, 1, 16));
      const m = await run<Memory>('devstream.saveSelection', { contentType: 'code', keywords: [] });
      assert.equal(m.anchor?.commit, head);
      assert.equal(m.anchor?.language, 'python');
      assert.equal(m.anchor?.endLine, 2);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') this.skip(); // no git on this machine
      throw e;
    }
  });

  test('empty, blank and binary selections are refused with nothing stored', async () => {
    const before = app.stores.memories.count();
    await select(authUri, new vscode.Selection(3, 4, 3, 4));
    assert.equal(await run('devstream.saveSelection', { contentType: 'code', keywords: [] }), undefined);
    await select(authUri, new vscode.Selection(0, 36, 2, 0)); // a line end and an empty line
    assert.equal(await run('devstream.saveSelection', { contentType: 'code', keywords: [] }), undefined);
    const binary = await vscode.workspace.openTextDocument({
      content: 'ok\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10',
    });
    const editor = await vscode.window.showTextDocument(binary);
    editor.selection = new vscode.Selection(0, 0, 0, 14);
    assert.equal(await run('devstream.saveSelection', { contentType: 'code', keywords: [] }), undefined);
    assert.equal(app.stores.memories.count(), before);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('likely secrets are redacted (automation default) and the snippet is still found', async () => {
    const uri = write(
      'src/config.ts',
      'export const config = {\n  githubToken: "ghp_R8kq2ZpX7vLm4TnW9cYb3HsJ6dFa1GeQ0uNi",\n};\n',
    );
    await select(uri, new vscode.Selection(0, 0, 3, 0));
    const m = await run<Memory>('devstream.saveSelection', { contentType: 'context', keywords: [] });
    assert.equal(m.content, 'export const config = {\n  githubToken: "[REDACTED:github-token]",\n};\n');
    assert.deepEqual(m.metadata.redacted, { count: 1, kinds: ['github-token'] });
    assert.deepEqual(await run('devstream.jumpToSource', m.id), { status: 'same', startLine: 1, endLine: 3 });
    const kept = await run<Memory>('devstream.saveSelection', {
      contentType: 'context',
      keywords: [],
      secrets: 'keep',
    });
    assert.match(kept.content, /ghp_R8kq2ZpX7vLm/);
    for (const id of [m.id, kept.id]) app.stores.memories.delete(id);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a selection over 1 MB is saved cut to 1 MB only when asked to', async () => {
    const line = 'log line with some words to fill the file up quickly 0123456789\n';
    const uri = write('logs/big.log', line.repeat(Math.ceil((1.3 * 1024 * 1024) / line.length)));
    const doc = await vscode.workspace.openTextDocument(uri);
    const all = new vscode.Selection(0, 0, doc.lineCount - 1, 0);
    await select(uri, all);
    assert.equal(
      await run('devstream.saveSelection', { contentType: 'output', keywords: [], truncate: false }),
      undefined,
    );
    const m = await run<Memory>('devstream.saveSelection', { contentType: 'output', keywords: [], truncate: true });
    assert.ok(Buffer.byteLength(m.content) <= 1024 * 1024);
    assert.equal(m.metadata.truncated, true);
    assert.ok((m.metadata.originalBytes as number) > 1024 * 1024);
    assert.equal(m.anchor?.endLine, m.anchor!.startLine + m.content.split('\n').length - 1);
    app.stores.memories.delete(m.id); // keep later searches small
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Go to Source follows lines inserted above and updates the anchor', async () => {
    const doc = await vscode.workspace.openTextDocument(authUri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(authUri, new vscode.Position(0, 0), '// one\n// two\n// three\n// four\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const outcome = await run<JumpOutcome>('devstream.jumpToSource', { id: saved.id });
    assert.deepEqual(outcome, { status: 'moved', startLine: 7, endLine: 9 });
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), doc.uri.toString());
    assert.ok(
      editor.selection.isEqual(new vscode.Selection(new vscode.Position(8, 1), new vscode.Position(6, 0))),
      `selection ${JSON.stringify(editor.selection)}`,
    );
    assert.equal(editor.selection.active.line, 6, 'the cursor is on the first line of the snippet');
    const moved = app.stores.memories.get(saved.id)!.anchor!;
    assert.deepEqual([moved.startLine, moved.endLine, moved.file], [7, 9, 'src/auth.ts']);
    // Unchanged now: a second jump stays put.
    assert.deepEqual(await run('devstream.jumpToSource', saved.id), { status: 'same', startLine: 7, endLine: 9 });
  });

  test('a missing file or a vanished snippet opens the stored text instead', async () => {
    const uri = write('tmp/gone.ts', 'const a = 1;\nconst keep = 2;\n');
    await select(uri, new vscode.Selection(1, 0, 1, 15));
    const m = await run<Memory>('devstream.saveSelection', { contentType: 'code', keywords: [] });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // Through VS Code's file service, so the open document reloads without waiting for a file
    // watcher (which can lag for many seconds on a loaded machine).
    await vscode.workspace.fs.writeFile(uri, Buffer.from('const a = 1;\nconst other = 3;\n'));
    await until(
      'the document to reload',
      async () => (await vscode.workspace.openTextDocument(uri)).getText().includes('other') || undefined,
      30_000,
    );
    assert.deepEqual(await run('devstream.jumpToSource', m.id), { status: 'lost' });
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'devstream');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), 'const keep = 2;');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(uri.fsPath);
    assert.deepEqual(await run('devstream.jumpToSource', m.id), { status: 'missing' });
    assert.equal(vscode.window.activeTextEditor?.document.getText(), 'const keep = 2;');
    assert.equal(await run('devstream.deleteMemory', m.id, { confirm: true }), true);
  });

  test('CodeLens and hover mark anchored lines; off with devstream.decorations.enabled', async () => {
    const lenses = async () =>
      ((await run<vscode.CodeLens[]>('vscode.executeCodeLensProvider', authUri)) ?? []).filter((l) =>
        /memor/.test(l.command?.title ?? ''),
      );
    const found = await until('the memory CodeLens', async () => {
      const l = await lenses();
      return l.length > 0 ? l : undefined;
    });
    assert.equal(found[0].command?.title, '$(bookmark) 1 memory');
    assert.equal(found[0].range.start.line, 6);
    const hovers = await run<vscode.Hover[]>('vscode.executeHoverProvider', authUri, new vscode.Position(7, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /DevStream memory/);
    assert.match(text, /auth,(?:&nbsp;| )token/); // appendText escapes the spaces
    await setting('decorations.enabled', false);
    await until('no memory CodeLens', async () => ((await lenses()).length === 0 ? true : undefined));
    const off = await run<vscode.Hover[]>('vscode.executeHoverProvider', authUri, new vscode.Position(7, 3));
    assert.ok(!off.some((h) => h.contents.some((c) => /DevStream memory/.test(typeof c === 'string' ? c : c.value))));
    await setting('decorations.enabled', undefined);
  });

  test('search runs in the worker and honours devstream.search.resultCount', async () => {
    for (let i = 0; i < 5; i++) {
      await run('devstream.saveNote', {
        content: `Zebra crossing rule number ${i}: look both ways`,
        contentType: 'learning',
        keywords: 'zebra',
      });
    }
    const all = await run<SearchSummary>('devstream.searchMemories', { query: 'zebra' });
    const zebras = all.items.filter((i) => i.keywordRank !== undefined);
    assert.equal(zebras.length, 5, 'the vector channel may add neighbours; the keyword channel finds exactly the five');
    assert.equal(all.limit, 20);
    assert.ok(zebras.every((i) => i.snippet.includes('\u0002') && i.title.startsWith('Zebra crossing')));
    await setting('search.resultCount', 2);
    const two = await run<SearchSummary>('devstream.searchMemories', { query: 'zebra' });
    assert.deepEqual([two.items.length, two.limit], [2, 2]);
    const filtered = await run<SearchSummary>('devstream.searchMemories', {
      query: 'session token',
      filters: { filePrefix: 'src/' },
    });
    assert.ok(filtered.items.length >= 1 && filtered.items.every((i) => i.file?.startsWith('src/')));
    assert.equal(filtered.items[0].id, saved.id);
    assert.deepEqual([filtered.items[0].startLine, filtered.items[0].endLine], [7, 9]);
    await setting('search.resultCount', undefined);
  });

  test('the search view rejects malformed messages and logs them', async () => {
    assert.equal(
      validateWebviewMessage({ type: 'search', requestId: 1, query: 'x'.repeat(1001), filters: {} }).ok,
      false,
    );
    assert.equal(validateWebviewMessage({ type: 'open', memoryId: saved.id }).ok, true);
    const warnings: string[] = [];
    const original = app.output.warn;
    app.output.warn = (m: string | Error) => {
      warnings.push(String(m));
    };
    try {
      await app.search.view.onMessage({ type: 'runCommand', command: 'workbench.action.quit' });
      await app.search.view.onMessage({ type: 'open', memoryId: '../../etc/passwd' });
      await app.search.view.onMessage({ type: 'search', requestId: 'x', query: 'a', filters: {} });
    } finally {
      app.output.warn = original;
    }
    assert.equal(warnings.length, 3);
    assert.ok(
      warnings.every((w) => /rejected a message from the webview/.test(w)),
      warnings.join('\n'),
    );
  });

  test('share a memory with the team and keep it private again, from the tree', async () => {
    const note = await run<Memory>('devstream.saveNote', {
      content: 'Releases are cut from main on Tuesdays',
      contentType: 'decision',
      keywords: [],
    });
    const shared = await run<Memory>('devstream.shareMemory', note.id);
    assert.equal(shared.metadata.scope, 'shared');
    assert.equal(app.stores.memories.require(note.id).metadata.scope, 'shared');
    const kept = await run<Memory>('devstream.keepMemoryPrivate', { id: note.id });
    assert.equal(kept.metadata.scope, 'private');
    assert.equal(kept.content, note.content, 'only the scope changed');
    app.stores.memories.delete(note.id);
  });

  test('edit, archive and delete a memory', async () => {
    const note = await run<Memory>('devstream.saveNote', {
      content: 'Use UTC in logs',
      contentType: 'decision',
      keywords: [],
    });
    const edited = await run<Memory>('devstream.editMemory', note.id, {
      contentType: 'learning',
      keywords: 'logs, time',
    });
    assert.deepEqual([edited.contentType, edited.keywords], ['learning', ['logs', 'time']]);
    await run('devstream.archiveMemory', { id: note.id });
    assert.equal(app.stores.memories.get(note.id)?.isArchived, true);
    assert.equal(await run('devstream.deleteMemory', { ids: [note.id] }, { confirm: true }), true);
    assert.equal(app.stores.memories.get(note.id), undefined);
  });

  test('Open Memory shows the full text read-only in its language', async () => {
    await run('devstream.openMemory', { id: saved.id });
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.scheme, 'devstream');
    assert.equal(doc.languageId, 'typescript');
    assert.equal(doc.getText(), saved.content);
  });

  test('Re-index Embeddings embeds every memory; the doctor reports and repairs', async () => {
    const progress = await run<QueueProgress>('devstream.reindexEmbeddings', { full: true });
    assert.equal(progress.state, 'idle', JSON.stringify(progress));
    assert.equal(app.stores.memories.pendingEmbedding(1).length, 0);
    const repaired = await run<RepairReport>('devstream.openDoctor', { repair: true });
    assert.equal(repaired.ftsRebuilt, app.stores.memories.count());
    assert.equal(repaired.vecRebuilt, app.stores.memories.count());
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.languageId, 'markdown');
    assert.match(doc.getText(), /# DevStream Database Doctor[\s\S]*Healthy/);
    // Vectors now exist: a query finds the note by meaning too (the vector channel ran).
    const r = await run<SearchSummary>('devstream.searchMemories', { query: 'zebra crossing' });
    assert.equal(r.degraded, undefined, 'no degradation with the built-in embedder');
    assert.ok(r.items.some((i) => i.vectorRank !== undefined));
  });
});
