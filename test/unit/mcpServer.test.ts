import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import Database from 'better-sqlite3';
import { openStore } from '../../src/core/db/open';
import { PlanRepository } from '../../src/core/plans';
import { tempDir } from '../helpers/tmp';

const OUT = path.resolve(__dirname, '../..');
const MAIN = path.join(OUT, 'src/cli/main.js');
// `devstream mcp` once main.ts registers mcpCommands; until then the same command object run
// through the same CliContext, so the test exercises everything but the one registration line.
const REGISTERED = fs.readFileSync(MAIN, 'utf8').includes('commands/mcp');
const FALLBACK = `
const { mcpCommands } = require(${JSON.stringify(path.join(OUT, 'src/cli/commands/mcp.js'))});
const { CliContext } = require(${JSON.stringify(path.join(OUT, 'src/cli/context.js'))});
const a = process.argv.slice(1), i = a.indexOf('--db');
const ctx = new CliContext(CliContext.resolveDb(i >= 0 ? a[i + 1] : undefined), false, (t) => console.log(t), (t) => console.error(t));
mcpCommands[0].run(ctx, {}, []).finally(() => ctx.close());`;

function serverParams(cwd: string, db?: string) {
  const dbArgs = db ? ['--db', db] : [];
  return {
    command: process.execPath,
    args: REGISTERED ? [MAIN, ...dbArgs, 'mcp'] : ['-e', FALLBACK, '--', ...dbArgs],
    cwd,
    stderr: 'pipe' as const,
  };
}

async function connect(cwd: string, db?: string) {
  const transport = new StdioClientTransport(serverParams(cwd, db));
  const stderr: string[] = [];
  transport.stderr?.on('data', (c: Buffer) => stderr.push(c.toString()));
  const protocolErrors: Error[] = [];
  const client = new Client({ name: 'claude-code', version: '9.9.9' });
  client.onerror = (e) => protocolErrors.push(e);
  await client.connect(transport);
  return { client, transport, stderr, protocolErrors };
}

type CallResult = { isError?: boolean; content: { type: string; text?: string }[] };
const text = (r: unknown) => (r as CallResult).content.map((c) => c.text ?? '').join('');
const json = (r: unknown) => {
  assert.notEqual((r as CallResult).isError, true, text(r));
  return JSON.parse(text(r)) as Record<string, any>;
};

function seed(db: string) {
  const store = openStore(db);
  const plans = new PlanRepository(store);
  const plan = plans.createPlan({ title: 'Ship MCP', objectives: ['agents'], expectedOutcome: 'served' });
  const phase = plans.addPhase({ planId: plan.id, name: 'Build' });
  const good = plans.addTask({ phaseId: phase.id, title: 'Serve tools', description: '' });
  const bad = plans.addTask({ phaseId: phase.id, title: 'Flaky thing', description: '' });
  store.close();
  return { plan, phase, good, bad };
}

describe(`devstream mcp over stdio (${REGISTERED ? 'CLI' : 'mcp command via CliContext'})`, () => {
  it('serves the tools, keeps the database true, and ends the session when the client leaves', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'x.db');
    const { good, bad, plan } = seed(db);
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(
      path.join(dir, 'src/auth.ts'),
      'import x from "y";\nexport function login() {\n  return rotateToken();\n}\n',
    );
    const { client, transport, stderr, protocolErrors } = await connect(dir, db);

    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'devstream_add_phase',
      'devstream_archive_memory',
      'devstream_create_plan',
      'devstream_create_task',
      'devstream_delete_memory',
      'devstream_get_memory',
      'devstream_list_memories',
      'devstream_list_plans',
      'devstream_list_tasks',
      'devstream_memories_for_file',
      'devstream_memories_touched',
      'devstream_search_memory',
      'devstream_store_memory',
      'devstream_update_memory',
      'devstream_update_task',
    ]);
    const search = tools.find((t) => t.name === 'devstream_search_memory')!;
    assert.deepEqual(search.inputSchema.required, ['query']);
    assert.deepEqual((search.inputSchema.properties as any).content_type.enum, [
      'code',
      'documentation',
      'context',
      'output',
      'error',
      'decision',
      'learning',
    ]);
    // It writes access counts and context_injections: not read-only, and says so.
    assert.equal(search.annotations?.readOnlyHint, false);
    assert.equal(tools.find((t) => t.name === 'devstream_list_tasks')!.annotations?.readOnlyHint, true);
    assert.equal(tools.find((t) => t.name === 'devstream_update_task')!.annotations?.readOnlyHint, false);

    const stored = json(
      await client.callTool({
        name: 'devstream_store_memory',
        arguments: {
          content: 'login() rotates the session token on every call',
          content_type: 'decision',
          keywords: ['auth'],
          file: 'src/auth.ts',
          start_line: 2,
          end_line: 4,
        },
      }),
    );
    const found = json(
      await client.callTool({ name: 'devstream_search_memory', arguments: { query: 'rotates session token' } }),
    );
    assert.equal(found.results[0].id, stored.id);
    assert.deepEqual(found.results[0].source, {
      file: 'src/auth.ts',
      start_line: 2,
      end_line: 4,
      language: 'typescript',
    });
    assert.equal(found.results[0].content, 'login() rotates the session token on every call');
    assert.equal(stored.embedded, true, 'the built-in embedder is the default');

    const refused = await client.callTool({
      name: 'devstream_update_task',
      arguments: { task_id: good.id, status: 'completed' },
    });
    assert.equal(refused.isError, true);
    assert.match(
      text(refused),
      /Cannot change task "Serve tools" from pending to completed: from pending it can only go to active or skipped/,
    );

    const missing = await client.callTool({ name: 'devstream_store_memory', arguments: { content: 'no type' } });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /missing required field 'content_type'/);
    const wrongEnum = await client.callTool({ name: 'devstream_list_tasks', arguments: { status: 'done' } });
    assert.equal(wrongEnum.isError, true);
    assert.match(text(wrongEnum), /'status' must be one of: pending, active, completed, failed, skipped; got 'done'/);
    await assert.rejects(client.callTool({ name: 'devstream_nope', arguments: {} }), /Unknown tool 'devstream_nope'/);

    // prefixes work; one task completed and one failed through the tools
    for (const [id, status] of [
      [good.id.slice(0, 8), 'active'],
      [good.id, 'completed'],
      [bad.id, 'active'],
      [bad.id.slice(0, 10), 'failed'],
    ] as const) {
      json(await client.callTool({ name: 'devstream_update_task', arguments: { task_id: id, status } }));
    }
    const listed = json(await client.callTool({ name: 'devstream_list_plans', arguments: {} }));
    assert.deepEqual(
      [
        listed.plans[0].id,
        listed.plans[0].progress.completed,
        listed.plans[0].progress.failed,
        listed.plans[0].progress.total,
      ],
      [plan.id, 1, 1, 2],
    );

    // while connected: the session is open
    const live = new Database(db, { readonly: true });
    const open = live.prepare(`SELECT * FROM work_sessions`).all() as Record<string, any>[];
    live.close();
    assert.equal(open.length, 1);
    assert.deepEqual([open[0].session_name, open[0].status, open[0].ended_at], ['mcp:claude-code', 'active', null]);

    await client.close();
    assert.equal(transport.pid, null, 'the server process exited');
    assert.deepEqual(protocolErrors, [], 'stdout carried only protocol messages');
    assert.match(stderr.join(''), /session [0-9a-f]{32} started for claude-code/);
    assert.match(stderr.join(''), /embedder: devstream-builtin-v2/);

    const check = new Database(db, { readonly: true });
    const q = (sql: string) => check.prepare(sql).all() as Record<string, any>[];
    const [session] = q(`SELECT * FROM work_sessions`);
    assert.equal(session.status, 'completed');
    assert.ok(session.ended_at, 'ended_at is set');
    assert.deepEqual(JSON.parse(session.completed_tasks), [good.id]);
    assert.deepEqual(JSON.parse(session.active_tasks), []);

    const injections = q(`SELECT * FROM context_injections`);
    assert.equal(injections.length, 1);
    assert.deepEqual(JSON.parse(injections[0].injected_memory_ids), [stored.id]);
    assert.equal(injections[0].tokens_injected, found.tokens);
    assert.ok(found.tokens > 10);
    assert.equal(injections[0].injection_trigger, 'devstream_search_memory');
    assert.equal(injections[0].session_id, session.id);
    assert.equal(session.tokens_used, found.tokens);

    const [memory] = q(`SELECT embedding_model, source FROM semantic_memory WHERE id = '${stored.id}'`);
    assert.deepEqual([memory.embedding_model, memory.source], ['devstream-builtin-v2', 'mcp:claude-code']);

    const [agent] = q(`SELECT * FROM agents WHERE id = 'claude-code'`);
    assert.deepEqual(
      [agent.role, agent.total_tasks, agent.successful_tasks, agent.success_rate],
      ['mcp-client', 2, 1, 0.5],
    );
    assert.match(agent.config, /"version":"9.9.9"/);

    const [{ n }] = q(
      `SELECT count(*) AS n FROM performance_metrics WHERE metric_type = 'execution_time' AND entity_type = 'tool'`,
    );
    assert.equal(n, 10, 'one latency row per tool call that reached a tool (not the unknown one)');
    assert.deepEqual(
      q(`SELECT id, status FROM micro_tasks ORDER BY status`).map((t) => [t.id, t.status]),
      [
        [good.id, 'completed'],
        [bad.id, 'failed'],
      ],
    );
    check.close();
  });

  it('ends the session and exits on SIGTERM, creating the default database under the folder', async () => {
    const dir = tempDir();
    const { client, transport } = await connect(dir);
    json(await client.callTool({ name: 'devstream_list_tasks', arguments: {} }));
    const pid = transport.pid!;
    const exited = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        try {
          process.kill(pid, 0);
        } catch {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    process.kill(pid, 'SIGTERM');
    await exited;
    await client.close();
    const db = path.join(dir, '.devstream/devstream.db');
    assert.ok(fs.existsSync(path.join(dir, '.devstream/.gitignore')));
    const check = new Database(db, { readonly: true });
    const rows = check.prepare(`SELECT status, ended_at FROM work_sessions`).all() as {
      status: string;
      ended_at: string | null;
    }[];
    check.close();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'completed');
    assert.ok(rows[0].ended_at);
  });
});
