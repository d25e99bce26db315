// The agent tools as VS Code Language Model tools, in the real extension host: registered
// with VS Code, confirmations for writes, results written to and read from the workspace
// database, errors raised as tool errors, and the hand-over recorded in context_injections.
// invokeTool needs a chat request's token for tools that confirm, so the registered tool
// objects are called directly, as VS Code would after the user confirmed.
/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { AGENT_TOOLS } from '../../src/core/agents';
import type { App } from '../../src/host/app';
import { MemoriesTreeProvider } from '../../src/host/views/memories/memoriesTree';

suite('Language Model tools (extension host)', () => {
  let app: App;
  const token = new vscode.CancellationTokenSource().token;

  const tool = (name: string) => {
    const def = AGENT_TOOLS.find((t) => t.name === name);
    assert.ok(def, name);
    return app.lmTools.toLanguageModelTool(def);
  };
  const invoke = async (name: string, input: Record<string, unknown>) => {
    const result = await tool(name).invoke({ input, toolInvocationToken: undefined }, token);
    const part = result?.content[0];
    assert.ok(part instanceof vscode.LanguageModelTextPart, 'a text result');
    return JSON.parse(part.value) as Record<string, any>;
  };

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<App>('devstream.devstream');
    assert.ok(ext);
    app = await ext.activate();
  });

  test('every agent tool is registered with VS Code', () => {
    const names = new Set(vscode.lm.tools.map((t) => t.name));
    for (const t of AGENT_TOOLS) assert.ok(names.has(t.name), `${t.name} is in vscode.lm.tools`);
  });

  test('writes ask for confirmation, reads do not', async () => {
    const store = await tool('devstream_store_memory').prepareInvocation!(
      { input: { content: 'x', content_type: 'decision' } },
      token,
    );
    assert.match(
      String((store?.confirmationMessages?.message as vscode.MarkdownString)?.value),
      /Save a decision memory/,
    );
    const search = await tool('devstream_search_memory').prepareInvocation!({ input: { query: 'x' } }, token);
    assert.equal(search?.confirmationMessages, undefined);
  });

  test('deletes and archives ask first, saying what will happen; lookups do not', async () => {
    const del = await tool('devstream_delete_memory').prepareInvocation!({ input: { id: 'abcd1234' } }, token);
    assert.match(
      String((del?.confirmationMessages?.message as vscode.MarkdownString)?.value),
      /Delete memory abcd1234.*cannot be undone/,
    );
    const archive = await tool('devstream_archive_memory').prepareInvocation!({ input: { id: 'abcd1234' } }, token);
    assert.match(
      String((archive?.confirmationMessages?.message as vscode.MarkdownString)?.value),
      /Archive memory abcd1234/,
    );
    const get = await tool('devstream_get_memory').prepareInvocation!({ input: { id: 'abcd1234' } }, token);
    assert.equal(get?.confirmationMessages, undefined);
  });

  test('store, then search: the memory comes back with its id, and the hand-over is recorded', async () => {
    const stored = await invoke('devstream_store_memory', {
      content: 'Agents: the cache key includes the tenant id to avoid cross-tenant leaks',
      content_type: 'decision',
      keywords: ['cache'],
    });
    assert.equal(stored.stored, true);
    const found = await invoke('devstream_search_memory', { query: 'cache key tenant' });
    const ids = (found.results as { id: string }[]).map((r) => r.id);
    assert.ok(ids.includes(stored.id), 'the stored memory is found');
    const injected = app.stores.store.db
      .prepare(
        `SELECT injected_memory_ids, injection_trigger FROM context_injections ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      )
      .get() as { injected_memory_ids: string; injection_trigger: string };
    assert.equal(injected.injection_trigger, 'devstream_search_memory');
    assert.ok((JSON.parse(injected.injected_memory_ids) as string[]).includes(stored.id));
  });

  test('an invalid task transition is a tool error and changes nothing', async () => {
    const plan = await vscode.commands.executeCommand<{ id: string }>('devstream.createPlan', {
      title: 'LM tool plan',
      objectives: 'x',
      expectedOutcome: 'y',
    });
    const phase = await vscode.commands.executeCommand<{ id: string }>('devstream.addPhase', {
      planId: plan.id,
      name: 'P',
    });
    const created = await invoke('devstream_create_task', { phase_id: phase.id, title: 'Agent task' });
    const taskId = (created.task?.id ?? created.id) as string;
    assert.ok(taskId, 'the task id comes back');
    await assert.rejects(
      tool('devstream_update_task').invoke(
        { input: { task_id: taskId, status: 'completed' }, toolInvocationToken: undefined },
        token,
      ) as Promise<unknown>,
      /pending.*completed|completed.*pending/,
    );
    assert.equal(app.stores.plans.getTask(taskId).status, 'pending');
  });

  test('Record Insight stores a learning insight, listed in the Memories view', async () => {
    await vscode.commands.executeCommand('devstream.recordInsight', {
      type: 'anti_pattern',
      title: 'Blocking I/O in request handlers',
      description: 'Use fs/promises; the event loop serves every request.',
    });
    const tree = new MemoriesTreeProvider(app);
    try {
      const group = tree.getChildren().find((n) => n.kind === 'insightGroup');
      assert.ok(group, 'an Insights group');
      const rows = tree.getChildren(group).map((n) => tree.getTreeItem(n));
      const row = rows.find((r) => r.label === 'Blocking I/O in request handlers');
      assert.ok(row, 'the insight is a row');
      assert.equal(row.description, 'Anti-pattern');
    } finally {
      tree.dispose();
    }
  });
});
