// Smoke tests in the real extension host: the real `vscode` API, the bundled dist/extension.js.
/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'devstream.devstream';

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string }[];
    viewsContainers: { activitybar: { id: string; title: string }[] };
    views: Record<string, { id: string; name: string }[]>;
  };
}

suite('DevStream extension host smoke', () => {
  let ext: vscode.Extension<unknown>;
  let manifest: Manifest;

  suiteSetup(() => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is loaded`);
    ext = found;
    manifest = ext.packageJSON as Manifest;
  });

  test('activation is lazy: not active before a DevStream view opens', () => {
    assert.ok(manifest.activationEvents?.includes('onView:devstream.plans'));
    assert.ok(!manifest.activationEvents?.includes('*'));
    assert.equal(ext.isActive, false);
  });

  test('opening the Plans view activates the extension', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.devstream');
    await vscode.commands.executeCommand('devstream.plans.focus');
    for (let i = 0; i < 100 && !ext.isActive; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ext.isActive, true);
  });

  test('activates', async () => {
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('devstream.showInfo is registered and runs', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('devstream.showInfo'));
    await vscode.commands.executeCommand('devstream.showInfo');
  });

  test('every contributed command is registered', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !commands.has(id));
    assert.deepEqual(missing, []);
  });

  test('the DevStream view container holds the Plans, Memories and Search views', async () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === 'devstream');
    assert.equal(container?.title, 'DevStream');
    assert.deepEqual(
      manifest.contributes.views.devstream.map((v) => v.id),
      ['devstream.plans', 'devstream.memories', 'devstream.search'],
    );
    // The workbench generates these commands only for containers and views it registered.
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of [
      'workbench.view.extension.devstream',
      'devstream.plans.focus',
      'devstream.memories.focus',
      'devstream.search.focus',
    ]) {
      assert.ok(commands.has(id), `${id} is registered`);
    }
  });

  test('runs on Node 22 or later', () => {
    assert.ok(Number(process.versions.node.split('.')[0]) >= 22, process.versions.node);
    console.log(
      `extension host: node ${process.versions.node}, ${vscode.env.appName} ${vscode.version}, remote ${vscode.env.remoteName ?? 'none'}`,
    );
  });
});
