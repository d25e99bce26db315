// (Named to run after extension.test: it activates the extension, whose lazy activation that file checks.)
// Anchors that follow the code, in the real extension host: lines inserted above a memory move
// its CodeLens and hover live (before any save); a save stores the new lines and the state;
// an edit inside the snippet makes it `changed`; a change on disk is noticed by the watcher;
// Update from Code, duplicate detection and Show Memories Touched by My Changes.
/// <reference types="mocha" />
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Impact } from '../../src/core/anchors/impact';
import type { Memory } from '../../src/core/memory/types';
import type { App } from '../../src/host/app';
import { MemoryNode } from '../../src/host/views/memories/nodes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
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

const CODE = [
  '// tracked.ts',
  '',
  'export function retryQueue(job: Job) {',
  '  const delay = backoff(job.tries);',
  '  return schedule(job, delay);',
  '}',
  '',
  'export const LIMIT = 10;',
  '',
].join('\n');

suite('Anchors follow the code (extension host)', function () {
  this.timeout(90_000);
  let app: App;
  let root: string;
  let uri: vscode.Uri;
  let memory: Memory;
  const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
  const stored = () => app.stores.memories.require(memory.id);
  const lensLines = async () =>
    ((await run<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [])
      .filter(
        (l) => l.command?.command === 'devstream.openMemory' && JSON.stringify(l.command.arguments).includes(memory.id),
      )
      .map((l) => l.range.start.line);

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<App>('devstream.devstream');
    assert.ok(ext);
    app = await ext.activate();
    // code-server saves after a delay by default: the unsaved state is what this suite looks at
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/tracked.ts'), CODE);
    uri = vscode.Uri.file(path.join(root, 'src/tracked.ts'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
  });

  test('lines inserted above move the CodeLens and hover live; the save stores them as moved', async () => {
    const editor = await vscode.window.showTextDocument(uri, { preview: false });
    editor.selection = new vscode.Selection(2, 0, 6, 0); // lines 3-6
    memory = (await run<Memory>('devstream.saveSelection', { contentType: 'decision', keywords: ['retry'] }))!;
    assert.deepEqual([memory.anchor?.startLine, memory.anchor?.endLine], [3, 6]);
    await until('the CodeLens on line 3', async () => (await lensLines()).join() === '2');

    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// one\n// two\n')));
    assert.ok(editor.document.isDirty);
    await until('the CodeLens to move to line 5', async () => (await lensLines()).join() === '4');
    const hover = await run<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(6, 2));
    const texts = hover.flatMap((h) =>
      h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')),
    );
    assert.ok(
      texts.some((t) => t.includes('DevStream memory')),
      `the hover is on the moved lines: ${texts.join(' | ')}`,
    );
    assert.equal(stored().anchor!.startLine, 3, 'nothing is written before the save');

    assert.ok(await editor.document.save());
    const a = await until('the moved lines to be stored', () => stored().anchor!.startLine === 5 && stored().anchor);
    assert.deepEqual([a.endLine, a.savedLine, a.freshness?.state], [8, 3, 'moved']);
  });

  test('an edit inside the snippet makes it changed, with a similarity, shown by its tree node', async () => {
    const editor = vscode.window.activeTextEditor!;
    const line = editor.document.lineAt(6); // '  return schedule(job, delay);'
    assert.match(line.text, /schedule/);
    assert.ok(await editor.edit((b) => b.replace(line.range, '  return enqueue(job, delay * 2);')));
    assert.ok(await editor.document.save());
    const f = await until(
      'the changed state',
      () => stored().anchor!.freshness?.state === 'changed' && stored().anchor!.freshness,
    );
    assert.ok(f.similarity > 0.5 && f.similarity < 1, `similarity ${f.similarity}`);
    const item = new MemoryNode(stored()).toTreeItem();
    assert.match(String(item.description), /tracked\.ts:5 · changed \(\d+% alike\)/);
    assert.equal(item.contextValue, 'memory.anchored.changed');
  });

  test('Update from Code takes the new code; saving the same lines again updates instead of duplicating', async () => {
    const updated = await run<Memory>('devstream.updateFromCode', memory.id);
    assert.match(updated.content, /enqueue\(job, delay \* 2\)/);
    assert.equal(updated.anchor?.freshness?.state, 'fresh');
    const count = app.stores.memories.count();
    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(4, 0, 8, 0);
    const again = await run<Memory>('devstream.saveSelection', { contentType: 'code', keywords: [] });
    assert.equal(again?.id, memory.id, 'the existing memory is named');
    assert.equal(app.stores.memories.count(), count);
  });

  test('a change on disk, outside the editor, is noticed and the memory follows it', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    fs.writeFileSync(uri.fsPath, `// added by a formatter\n\n\n${text}`);
    const a = await until('the watcher to re-anchor', () => stored().anchor!.startLine === 8 && stored().anchor);
    assert.deepEqual([a.endLine, a.freshness?.state], [11, 'moved']);
  });

  test('Show Memories Touched by My Changes lists the memory a working-tree change touches', async function () {
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
        cwd: root,
        stdio: 'pipe',
      }).toString();
    try {
      if (!fs.existsSync(path.join(root, '.git'))) git('init', '-q');
      git('add', 'src/tracked.ts');
      git('commit', '-qm', 'tracked');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') this.skip(); // no git on this machine
      throw e;
    }
    const none = await run<Impact>('devstream.showImpact', { base: 'HEAD' });
    assert.deepEqual(
      none.memories.map((m) => m.id),
      [],
    );
    fs.writeFileSync(uri.fsPath, fs.readFileSync(uri.fsPath, 'utf8').replace('delay * 2', 'delay * 3'));
    const impact = await run<Impact>('devstream.showImpact', { base: 'HEAD' });
    assert.deepEqual(
      impact.memories.map((m) => [m.id, m.state]),
      [[memory.id, 'changed']],
    );
  });
});
