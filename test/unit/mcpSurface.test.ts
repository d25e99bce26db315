// Every tool, resource and prompt of `devstream mcp`, driven by the official SDK client over
// stdio against the built CLI and a real database file: valid input, and invalid input.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import Database from 'better-sqlite3';
import { openStore } from '../../src/core/db/open';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { connectCli, structured, toolError } from '../helpers/mcpClient';
import { tempDir } from '../helpers/tmp';

const dir = tempDir();
const db = path.join(dir, 'x.db');
let conn: Awaited<ReturnType<typeof connectCli>>;
const call = (name: string, args: Record<string, unknown>) => conn.client.callTool({ name, arguments: args });

before(async () => {
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(
    path.join(dir, 'src/auth.ts'),
    'import x from "y";\nexport function login() {\n  return rotateToken();\n}\n',
  );
  conn = await connectCli(dir, ['--db', db]);
});
after(() => conn.client.close());

describe('tools over MCP', () => {
  it('declare input and output schemas and true hints', async () => {
    const { tools } = await conn.client.listTools();
    assert.equal(tools.length, 15);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(t.outputSchema?.type, 'object', `${t.name} has an outputSchema`);
      assert.equal((t.inputSchema as { additionalProperties?: unknown }).additionalProperties, false, t.name);
      assert.equal(t.annotations?.openWorldHint, false);
    }
    const hint = (n: string) => tools.find((t) => t.name === n)!.annotations!;
    assert.deepEqual(
      [hint('devstream_delete_memory').destructiveHint, hint('devstream_archive_memory').destructiveHint],
      [true, true],
    );
    assert.deepEqual(
      [hint('devstream_get_memory').readOnlyHint, hint('devstream_list_memories').readOnlyHint],
      [true, true],
    );
    assert.equal(hint('devstream_store_memory').destructiveHint, false);
    assert.equal(hint('devstream_search_memory').readOnlyHint, false, 'search counts accesses');
  });

  it('lay out a plan, a phase and a task; refuse bad plans', async () => {
    const created = structured(
      await call('devstream_create_plan', {
        title: 'Rate limiting',
        objectives: ['no abuse'],
        expected_outcome: 'limits enforced',
        phases: ['Design', 'Build'],
      }),
    );
    assert.deepEqual(
      created.plan.phases.map((p: any) => p.name),
      ['Design', 'Build'],
    );
    assert.equal(created.plan.status, 'draft');
    const phase = structured(
      await call('devstream_add_phase', { plan_id: created.plan.id.slice(0, 8), name: 'Review', position: 1 }),
    );
    assert.deepEqual([phase.phase.position, phase.phase.plan_id], [1, created.plan.id]);
    const task = structured(
      await call('devstream_create_task', { phase_id: phase.phase.id, title: 'Pick an algorithm' }),
    );
    assert.equal(task.task.plan_id, created.plan.id);
    const plans = structured(await call('devstream_list_plans', {}));
    assert.deepEqual(
      plans.plans[0].phases.map((p: any) => p.name),
      ['Review', 'Design', 'Build'],
    );
    const tasks = structured(await call('devstream_list_tasks', { plan_id: created.plan.id }));
    assert.equal(tasks.total, 1);
    structured(await call('devstream_update_task', { task_id: task.task.id, status: 'active' }));

    assert.match(
      toolError(await call('devstream_create_plan', { title: 'x', objectives: [], expected_outcome: 'y' })),
      /'objectives' needs at least 1 items/,
    );
    assert.match(toolError(await call('devstream_add_phase', { plan_id: 'ffffffff', name: 'x' })), /No plan/);
    assert.match(
      toolError(await call('devstream_add_phase', { plan_id: created.plan.id, name: 'x', position: 9 })),
      /position/i,
    );
    assert.equal(structured(await call('devstream_list_plans', {})).plans.length, 1, 'nothing half-made was left');
  });

  it('save, read, correct (keeping history), list, archive and delete a memory', async () => {
    const stored = structured(
      await call('devstream_store_memory', {
        content: 'login() rotates the session token',
        content_type: 'decision',
        file: 'src/auth.ts',
        start_line: 2,
        end_line: 4,
        keywords: ['auth'],
      }),
    );
    assert.equal(stored.stored, true);
    const got = structured(await call('devstream_get_memory', { id: stored.id.slice(0, 6) }));
    assert.equal(got.memory.content, 'login() rotates the session token');
    assert.deepEqual(got.memory.source, { file: 'src/auth.ts', start_line: 2, end_line: 4, language: 'typescript' });
    assert.match(String(got.memory.anchor.fingerprint), /\w+/, 'the anchor as stored, fingerprint included');

    const updated = structured(
      await call('devstream_update_memory', {
        id: stored.id,
        content: 'login() rotates the token every call',
        keywords: ['auth', 'token'],
      }),
    );
    assert.equal(updated.updated, true);
    assert.equal(updated.memory.embedded, true, 'the new content is embedded again');
    assert.deepEqual(
      updated.memory.metadata.history.map((h: any) => h.content),
      ['login() rotates the session token'],
    );
    assert.equal(updated.memory.metadata.history[0].replaced_by, 'mcp:surface-test');
    const found = structured(await call('devstream_search_memory', { query: 'rotates token every call' }));
    assert.equal(found.results[0].id, stored.id);
    assert.equal(found.vectors, 'used');

    const listed = structured(await call('devstream_list_memories', { file_prefix: 'src/', limit: 5 }));
    assert.deepEqual(
      listed.memories.map((m: any) => m.id),
      [stored.id],
    );
    assert.equal(structured(await call('devstream_list_memories', { file_prefix: 'docs/' })).memories.length, 0);

    const archived = structured(await call('devstream_archive_memory', { id: stored.id }));
    assert.deepEqual([archived.archived, archived.was_archived], [true, false]);
    assert.equal(structured(await call('devstream_list_memories', {})).memories.length, 0, 'archived: left out');
    assert.equal(structured(await call('devstream_list_memories', { include_archived: true })).memories.length, 1);
    structured(await call('devstream_archive_memory', { id: stored.id, archived: false }));

    const deleted = structured(await call('devstream_delete_memory', { id: stored.id }));
    assert.equal(deleted.deleted, true);
    assert.match(toolError(await call('devstream_get_memory', { id: stored.id })), /No memory with id/);
    assert.match(toolError(await call('devstream_delete_memory', { id: stored.id })), /No memory with id/);
  });

  it('say what is recorded about a file or lines, and say so when nothing is', async () => {
    const a = structured(
      await call('devstream_store_memory', {
        content: 'imports y for x',
        content_type: 'context',
        file: 'src/auth.ts',
        start_line: 1,
      }),
    );
    const b = structured(
      await call('devstream_store_memory', {
        content: 'login is the entry point',
        content_type: 'learning',
        file: 'src/auth.ts',
        start_line: 2,
        end_line: 3,
      }),
    );
    const all = structured(await call('devstream_memories_for_file', { file: 'src/auth.ts' }));
    assert.deepEqual(
      all.memories.map((m: any) => m.id),
      [a.id, b.id],
      'in line order',
    );
    const lines = structured(
      await call('devstream_memories_for_file', { file: './src/auth.ts', start_line: 3, end_line: 4 }),
    );
    assert.deepEqual(
      lines.memories.map((m: any) => m.id),
      [b.id],
    );
    const none = structured(await call('devstream_memories_for_file', { file: 'src/auth.ts', start_line: 4 }));
    assert.deepEqual(none.memories, []);
    assert.equal(none.note, 'Nothing is recorded about lines 4-4 of src/auth.ts.');
    assert.match(
      toolError(await call('devstream_memories_for_file', { file: 'src/auth.ts', end_line: 2 })),
      /'end_line' needs 'start_line'/,
    );
  });

  it('answer invalid input of every tool with a tool error naming the field', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['devstream_search_memory', { query: '  ' }, /'query' must not be empty/],
      ['devstream_store_memory', { content: 'x' }, /missing required field 'content_type'/],
      ['devstream_get_memory', { id: 'ab' }, /'id' must have at least 4 characters/],
      ['devstream_update_memory', { id: 'abcd' }, /nothing to change/],
      ['devstream_archive_memory', { id: 'abcd', archived: 'yes' }, /'archived' must be true or false/],
      ['devstream_delete_memory', {}, /missing required field 'id'/],
      ['devstream_list_memories', { limit: 1000 }, /'limit' must be at most 100/],
      ['devstream_memories_for_file', { file: 'src/auth.ts', start_line: 0 }, /'start_line' must be at least 1/],
      ['devstream_list_tasks', { status: 'done' }, /'status' must be one of/],
      [
        'devstream_create_task',
        { phase_id: 'abcd', title: 'x', max_duration_minutes: 45 },
        /'max_duration_minutes' must be at most 10/,
      ],
      ['devstream_update_task', { task_id: 'abcd', colour: 'red' }, /unknown field 'colour'/],
      ['devstream_list_plans', { status: 'open' }, /'status' must be one of/],
      ['devstream_create_plan', { title: 'x', objectives: ['a'] }, /missing required field 'expected_outcome'/],
      ['devstream_add_phase', { plan_id: 'abcd' }, /missing required field 'name'/],
    ];
    for (const [name, args, re] of cases) assert.match(toolError(await call(name, args)), re, name);
    await assert.rejects(call('devstream_nope', {}), (e: Error) => {
      assert.match(e.message, /Unknown tool 'devstream_nope'/);
      assert.equal(e.message.match(/-32602/g)?.length, 1, `the code is said once: ${e.message}`);
      return true;
    });
  });
});

describe('resources over MCP', () => {
  it('lists plans and memories, with templates, and reads each kind', async () => {
    const { resources } = await conn.client.listResources();
    assert.ok(resources.some((r) => r.uri === 'devstream://plans'));
    const plan = resources.find((r) => r.uri.startsWith('devstream://plan/'))!;
    const memory = resources.find((r) => r.uri.startsWith('devstream://memory/'))!;
    assert.ok(plan && memory);
    const { resourceTemplates } = await conn.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), [
      'devstream://file/{+path}',
      'devstream://memory/{id}',
      'devstream://plan/{id}',
    ]);

    const read = async (uri: string) =>
      JSON.parse(String(((await conn.client.readResource({ uri })).contents[0] as { text: string }).text)) as Record<
        string,
        any
      >;
    assert.equal((await read('devstream://plans')).plans.length, 1);
    const detail = await read(plan.uri);
    assert.deepEqual(
      detail.plan.phases.map((p: any) => p.tasks.length),
      [1, 0, 0],
    );
    assert.ok((await read(memory.uri)).memory.content);
    assert.equal((await read('devstream://file/src/auth.ts')).memories.length, 2);
    assert.equal((await read('devstream://file/src%2Fauth.ts')).memories.length, 2, 'an encoded slash works too');
  });

  it('refuses unknown, missing and escaping resources with JSON-RPC errors', async () => {
    const rejects = (uri: string, code: number, re: RegExp) =>
      assert.rejects(conn.client.readResource({ uri }), (e: any) => {
        assert.equal(e.code, code, `${uri}: ${e.message}`);
        assert.match(e.message, re);
        return true;
      });
    await rejects('devstream://memory/ffffffffffff', -32002, /No memory/);
    await rejects('devstream://nothing', -32602, /Unknown resource/);
    await rejects('devstream://file/..%2F..%2Fetc%2Fpasswd', -32602, /outside the workspace/);
  });

  it('notifies list_changed when another process adds a memory', async () => {
    let notified = 0;
    conn.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      notified++;
    });
    const store = openStore(db);
    new MemoryRepository(store).add({ content: 'written by the editor', contentType: 'context' });
    store.close();
    const started = Date.now();
    while (notified === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    assert.equal(notified, 1);
    structured(await call('devstream_store_memory', { content: 'written by the agent', content_type: 'context' }));
    while (notified === 1 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    assert.equal(notified, 2, 'own writes notify too');
  });
});

describe('prompts over MCP', () => {
  it('lists devstream_recall and devstream_wrap_up and fills them for the active task or a file', async () => {
    const { prompts } = await conn.client.listPrompts();
    assert.deepEqual(
      prompts.map((p) => p.name),
      ['devstream_recall', 'devstream_wrap_up'],
    );
    const recall = await conn.client.getPrompt({ name: 'devstream_recall', arguments: {} });
    const text = String((recall.messages[0].content as { text: string }).text);
    assert.match(text, /## Task [0-9a-f]+: Pick an algorithm \(active\)/, 'the active task by default');
    const file = await conn.client.getPrompt({
      name: 'devstream_recall',
      arguments: { file: 'src/auth.ts', max_tokens: '500' },
    });
    const fileText = String((file.messages[0].content as { text: string }).text);
    assert.match(fileText, /## Recorded about src\/auth\.ts[\s\S]*imports y for x[\s\S]*login is the entry point/);
    const wrap = await conn.client.getPrompt({ name: 'devstream_wrap_up', arguments: {} });
    const wrapText = String((wrap.messages[0].content as { text: string }).text);
    assert.match(
      wrapText,
      /devstream_store_memory[\s\S]*devstream_update_task with task_id "[0-9a-f]+", status "completed"/,
    );
  });

  it('refuses unknown prompts and bad arguments with -32602', async () => {
    const rejects = (name: string, args: Record<string, string>, re: RegExp) =>
      assert.rejects(conn.client.getPrompt({ name, arguments: args }), (e: any) => {
        assert.equal(e.code, -32602, e.message);
        assert.match(e.message, re);
        return true;
      });
    await rejects('devstream_nope', {}, /Unknown prompt 'devstream_nope'/);
    await rejects('devstream_recall', { max_tokens: 'lots' }, /'max_tokens'/);
    await rejects('devstream_recall', { colour: 'red' }, /unknown field 'colour'/);
    await rejects('devstream_wrap_up', { task_id: 'ffffffff' }, /No task/);
    await rejects('devstream_recall', { file: '../outside.txt' }, /outside the workspace/);
  });

  it('kept stdout clean and the database consistent', () => {
    assert.deepEqual(conn.protocolErrors, []);
    const check = new Database(db, { readonly: true });
    const injections = check.prepare(`SELECT injection_trigger FROM context_injections`).pluck().all() as string[];
    check.close();
    assert.ok(injections.includes('devstream_memories_for_file'));
    assert.ok(injections.includes('devstream_recall'));
  });
});
