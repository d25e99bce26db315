import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  AGENT_TOOLS,
  costOf,
  estimateTokens,
  fitToBudget,
  hybridSearchFn,
  keywordSearchFn,
  languageModelToolContributions,
  runTool,
  startWorkSession,
  validateInput,
  type SearchFn,
  type ToolContext,
  type ToolResult,
} from '../../src/core/agents';
import { BUILTIN_MODEL, BuiltinEmbedder } from '../../src/core/embeddings';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { keywordSearch } from '../../src/core/search/keywordSearch';
import { PlanRepository } from '../../src/core/plans';
import { openTempStore, tempDir } from '../helpers/tmp';

const store = openTempStore();
const plans = new PlanRepository(store);
const memories = new MemoryRepository(store);
const workspace = tempDir();
const session = startWorkSession(store, { name: 'unit-agent', role: 'test', transport: 'test' });
const ctx: ToolContext = { store, search: keywordSearchFn(store), session, workspaceRoot: workspace };

const call = (name: string, input: unknown, c: ToolContext = ctx) => runTool(name, input, c);
const data = (r: ToolResult) => {
  assert.equal(r.isError, false, `expected success, got: ${r.text}`);
  return JSON.parse(r.text) as Record<string, any>;
};
const count = (sql: string, ...p: unknown[]) =>
  store.db
    .prepare(sql)
    .pluck()
    .get(...p) as number;

function newTask(title = 'Write the parser') {
  const plan = plans.createPlan({ title: 'Plan ' + title, objectives: ['ship'], expectedOutcome: 'shipped' });
  const phase = plans.addPhase({ planId: plan.id, name: 'Build' });
  return { plan, phase, task: plans.addTask({ phaseId: phase.id, title, description: 'do it' }) };
}

describe('input validation', () => {
  const schema = AGENT_TOOLS.find((t) => t.name === 'devstream_update_task')!.input;

  it('names the missing field, the allowed values, the unknown field and the range', () => {
    assert.match((validateInput(schema, {}) as { message: string }).message, /missing required field 'task_id'/);
    assert.match(
      (validateInput(schema, { task_id: 'abcd', status: 'done' }) as { message: string }).message,
      /'status' must be one of: pending, active, completed, failed, skipped; got 'done'/,
    );
    assert.match(
      (validateInput(schema, { task_id: 'abcd', taskId: 'x' }) as { message: string }).message,
      /unknown field 'taskId'.*task_id, status, notes/,
    );
    assert.match(
      (validateInput(schema, { task_id: 42 }) as { message: string }).message,
      /'task_id' must be a string, got number 42/,
    );
    const search = AGENT_TOOLS.find((t) => t.name === 'devstream_search_memory')!.input;
    assert.match(
      (validateInput(search, { query: 'x', limit: 0 }) as { message: string }).message,
      /'limit' must be at least 1/,
    );
    assert.match((validateInput(search, { query: 'x', limit: 2.5 }) as { message: string }).message, /whole number/);
    assert.match((validateInput(search, { query: '   ' }) as { message: string }).message, /'query' must not be empty/);
  });

  it('treats null optional fields as left out, and keeps the given ones', () => {
    const v = validateInput(schema, { task_id: 'abcd', status: null, notes: 'n' });
    assert.deepEqual(v, { ok: true, value: { task_id: 'abcd', notes: 'n' } });
  });

  it('turns bad input into a tool error before any handler runs', async () => {
    const before = count(`SELECT count(*) FROM micro_tasks`);
    const r = await call('devstream_create_task', { phase_id: 'abcd', title: 'Too long', max_duration_minutes: 45 });
    assert.equal(r.isError, true);
    assert.match(r.text, /Invalid input for devstream_create_task: 'max_duration_minutes' must be at most 10, got 45/);
    assert.equal(count(`SELECT count(*) FROM micro_tasks`), before);
    const wrongType = await call('devstream_store_memory', { content: 'x', content_type: 'thought' });
    assert.equal(wrongType.isError, true);
    assert.match(wrongType.text, /'content_type' must be one of: code, documentation/);
  });
});

describe('tool errors', () => {
  it('turns an exception in the search into a tool error and still records the call', async () => {
    const failing: SearchFn = async () => {
      throw new Error('index exploded');
    };
    const r = await call(
      'devstream_search_memory',
      { query: 'anything' },
      { ...ctx, search: failing, log: () => undefined },
    );
    assert.equal(r.isError, true);
    assert.match(r.text, /devstream_search_memory failed unexpectedly: index exploded/);
    const metric = store.db
      .prepare(
        `SELECT metric_type, entity_type, metric_unit, context FROM performance_metrics WHERE entity_id = ? ORDER BY rowid DESC LIMIT 1`,
      )
      .get('devstream_search_memory') as Record<string, string>;
    assert.deepEqual([metric.metric_type, metric.entity_type, metric.metric_unit], ['execution_time', 'tool', 'ms']);
    assert.deepEqual(JSON.parse(metric.context), { session_id: session.id, is_error: true });
  });

  it('answers an unknown tool name with the list of tools', async () => {
    const r = await call('devstream_delete_everything', {});
    assert.equal(r.isError, true);
    assert.match(r.text, /no DevStream tool named 'devstream_delete_everything'.*devstream_search_memory/);
  });

  it('reports a missing id as not found, not as success', async () => {
    const r = await call('devstream_update_task', { task_id: 'ffffffff', status: 'active' });
    assert.equal(r.isError, true);
    assert.match(r.text, /No task has an id starting with "ffffffff"/);
  });
});

describe('devstream_search_memory', () => {
  const marker = 'zebracorn';
  const long = (n: number, word: string) =>
    Array.from({ length: n }, (_, i) => `line ${i} ${word} ${marker} with some filler text`).join('\n');

  it('returns whole results within the budget, cuts the next one with a marker, and logs the hand-off', async () => {
    const ids = [1, 2, 3, 4].map(
      (i) =>
        memories.add({
          content: long(6 * i, `w${i}`),
          contentType: 'learning',
          anchor: { file: `src/f${i}.ts`, startLine: 10, endLine: 10 + 6 * i },
        }).id,
    );
    const r = data(await call('devstream_search_memory', { query: marker, max_tokens: 400 }));
    const results = r.results as Record<string, any>[];
    assert.ok(r.tokens <= 400, `tokens ${r.tokens} within budget`);
    assert.equal(
      r.tokens,
      results.reduce((s, e) => s + costOf(e), 0),
    );
    const cut = results.filter((e) => e.truncated);
    assert.equal(cut.length, 1, 'exactly one result cut');
    assert.equal(results.at(-1), cut[0], 'the cut one is last');
    assert.match(
      cut[0].content,
      /… \[truncated: \d+ of \d+ characters shown; open src\/f\d\.ts lines 10-\d+ for the rest\]$/,
    );
    for (const e of results.filter((x) => !x.truncated))
      assert.equal(e.content, memories.get(e.id)!.content, 'whole results are whole');
    assert.ok(results.length < 4 && r.omitted === 4 - results.length, 'the rest is counted as omitted');
    assert.match(r.note, /did not fit in max_tokens=400/);
    assert.ok(results.every((e) => ids.includes(e.id)));
    assert.deepEqual(results[0].source.file.startsWith('src/f'), true);

    const row = store.db.prepare(`SELECT * FROM context_injections ORDER BY rowid DESC LIMIT 1`).get() as Record<
      string,
      any
    >;
    assert.deepEqual(
      JSON.parse(row.injected_memory_ids),
      results.map((e) => e.id),
    );
    assert.equal(row.tokens_injected, r.tokens);
    assert.equal(row.injection_trigger, 'devstream_search_memory');
    assert.equal(row.session_id, session.id);
    for (const e of results) assert.equal(memories.get(e.id)!.accessCount, 1, 'access is tracked');
  });

  it('cuts a single result longer than the whole budget instead of returning nothing', async () => {
    const m = memories.add({ content: long(400, 'giraffe'), contentType: 'code' });
    const r = data(await call('devstream_search_memory', { query: 'giraffe', max_tokens: 150 }));
    assert.equal(r.results.length, 1);
    assert.equal(r.results[0].id, m.id);
    assert.equal(r.results[0].truncated, true);
    assert.match(r.results[0].content, /truncated: .*search again with a larger max_tokens/);
    assert.ok(r.tokens <= 150);
  });

  it('leaves archived memories out unless asked, and says so when they are in', async () => {
    const kept = memories.add({ content: 'okapi migration notes', contentType: 'context' });
    const old = memories.add({ content: 'okapi migration notes, old version', contentType: 'context' });
    memories.archive(old.id);
    const plain = data(await call('devstream_search_memory', { query: 'okapi' }));
    assert.deepEqual(
      plain.results.map((e: any) => e.id),
      [kept.id],
    );
    const all = data(await call('devstream_search_memory', { query: 'okapi', include_archived: true }));
    assert.deepEqual(new Set(all.results.map((e: any) => e.id)), new Set([kept.id, old.id]));
    assert.equal(all.results.find((e: any) => e.id === old.id).archived, true);
    // even a search function that ignores the flag cannot leak archived memories
    const leaky: SearchFn = async (q, o) => keywordSearchFn(store)(q, { ...o, includeArchived: true });
    const guarded = data(await call('devstream_search_memory', { query: 'okapi' }, { ...ctx, search: leaky }));
    assert.deepEqual(
      guarded.results.map((e: any) => e.id),
      [kept.id],
    );
  });

  it('filters by task prefix and records the task on the injection', async () => {
    const { task } = newTask('Tune the cache');
    const linked = memories.add({ content: 'narwhal cache sizing', contentType: 'decision', taskId: task.id });
    memories.add({ content: 'narwhal unrelated', contentType: 'decision' });
    const r = data(await call('devstream_search_memory', { query: 'narwhal', task_id: task.id.slice(0, 8) }));
    assert.deepEqual(
      r.results.map((e: any) => e.id),
      [linked.id],
    );
    const row = store.db.prepare(`SELECT task_id FROM context_injections ORDER BY rowid DESC LIMIT 1`).get() as {
      task_id: string;
    };
    assert.equal(row.task_id, task.id);
  });

  it('hands nothing over (and logs nothing) when nothing matches', async () => {
    const before = count(`SELECT count(*) FROM context_injections`);
    const r = data(await call('devstream_search_memory', { query: 'quetzalcoatlus' }));
    assert.deepEqual(r.results, []);
    assert.equal(count(`SELECT count(*) FROM context_injections`), before);
  });
});

describe('devstream_store_memory', () => {
  it('anchors to a workspace file, fingerprints the lines and links the task', async () => {
    fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'src/retry.ts'), 'a\nexport function retry() {\n  return 1;\n}\n');
    const { task } = newTask('Retry');
    const r = data(
      await call('devstream_store_memory', {
        content: 'retry() returns 1 on purpose',
        content_type: 'decision',
        keywords: ['Retry'],
        file: 'src/retry.ts',
        start_line: 2,
        end_line: 4,
        task_id: task.id.slice(0, 6),
      }),
    );
    const m = memories.get(r.id)!;
    assert.equal(m.anchor?.file, 'src/retry.ts');
    assert.deepEqual([m.anchor?.startLine, m.anchor?.endLine, m.anchor?.language], [2, 4, 'typescript']);
    assert.match(m.anchor?.fingerprint ?? '', /^[0-9a-f]{16}:[0-9a-f]{16}$/);
    assert.equal(m.taskId, task.id);
    assert.deepEqual(m.keywords, ['retry']);
    assert.equal(m.source, 'test:unit-agent');
    assert.deepEqual(r.source, { file: 'src/retry.ts', start_line: 2, end_line: 4, language: 'typescript' });
  });

  it('redacts likely secrets unless the server was told to keep them', async () => {
    const token = 'ghp_' + 'Zq8x'.repeat(9);
    const r = data(
      await call('devstream_store_memory', { content: `deploy uses token ${token}`, content_type: 'context' }),
    );
    assert.match(String(r.secrets), /Redacted 1 likely secret/);
    assert.equal(memories.get(r.id)!.content, 'deploy uses token [REDACTED:github-token]');
    const kept = data(
      await call(
        'devstream_store_memory',
        { content: `deploy uses token ${token}`, content_type: 'context' },
        { ...ctx, keepSecrets: true },
      ),
    );
    assert.ok(memories.get(kept.id)!.content.includes(token));
  });

  it('refuses lines without a file, lines past the end, and end before start', async () => {
    const n = count(`SELECT count(*) FROM semantic_memory`);
    for (const [input, msg] of [
      [{ start_line: 3 }, /need 'file'/],
      [{ file: 'src/retry.ts', start_line: 99 }, /has 5 lines; 'start_line' 99 is past its end/],
      [{ file: 'src/retry.ts', start_line: 3, end_line: 2 }, /'end_line' \(2\) is before 'start_line' \(3\)/],
      [{ file: 'src/retry.ts' }, /'file' needs 'start_line'/],
    ] as const) {
      const r = await call('devstream_store_memory', { content: 'x', content_type: 'code', ...input });
      assert.equal(r.isError, true);
      assert.match(r.text, msg);
    }
    assert.equal(count(`SELECT count(*) FROM semantic_memory`), n, 'nothing stored');
  });
});

describe('task tools', () => {
  it('lists tasks by status, plan prefix and priority', async () => {
    const { plan, phase, task } = newTask('List me');
    plans.addTask({ phaseId: phase.id, title: 'Urgent', description: '', priority: 9 });
    const byPlan = data(await call('devstream_list_tasks', { plan_id: plan.id.slice(0, 8) }));
    assert.deepEqual(
      byPlan.tasks.map((t: any) => t.title),
      ['List me', 'Urgent'],
    );
    assert.equal(byPlan.tasks[0].plan_id, plan.id);
    const urgent = data(await call('devstream_list_tasks', { plan_id: plan.id, min_priority: 8 }));
    assert.deepEqual(
      urgent.tasks.map((t: any) => t.title),
      ['Urgent'],
    );
    plans.setTaskStatus(task.id, 'active');
    const active = data(await call('devstream_list_tasks', { status: 'active', plan_id: plan.id }));
    assert.deepEqual(
      active.tasks.map((t: any) => t.id),
      [task.id],
    );
  });

  it('creates a task in a phase given by prefix', async () => {
    const { phase } = newTask('Seed');
    const r = data(
      await call('devstream_create_task', {
        phase_id: phase.id.slice(0, 7),
        title: 'Add index',
        task_type: 'testing',
        priority: 8,
        max_duration_minutes: 5,
      }),
    );
    const t = plans.getTask(r.task.id);
    assert.deepEqual(
      [t.phaseId, t.title, t.taskType, t.priority, t.maxDurationMinutes, t.status],
      [phase.id, 'Add index', 'testing', 8, 5, 'pending'],
    );
  });

  it('moves a task through its lifecycle, keeping the session and agent counts true', async () => {
    const { task } = newTask('Lifecycle');
    const agent = () =>
      store.db
        .prepare(`SELECT total_tasks, successful_tasks, success_rate FROM agents WHERE id = 'unit-agent'`)
        .get() as Record<string, number>;
    const sessionRow = () =>
      store.db
        .prepare(`SELECT active_tasks, completed_tasks FROM work_sessions WHERE id = ?`)
        .get(session.id) as Record<string, string>;
    const start = agent();

    data(await call('devstream_update_task', { task_id: task.id, status: 'active' }));
    assert.ok(JSON.parse(sessionRow().active_tasks).includes(task.id));

    const bad = await call('devstream_update_task', { task_id: task.id, status: 'active', notes: 'again' });
    assert.equal(bad.isError, false, 'same status is a no-op, notes still saved');

    const done = data(
      await call('devstream_update_task', {
        task_id: task.id,
        status: 'completed',
        notes: 'Chose a trie because lookups dominate.',
      }),
    );
    assert.equal(done.task.previous_status, 'active');
    const note = memories.get(done.note_memory_id)!;
    assert.deepEqual(
      [note.contentType, note.taskId, note.content],
      ['decision', task.id, 'Chose a trie because lookups dominate.'],
    );
    assert.ok(!JSON.parse(sessionRow().active_tasks).includes(task.id));
    assert.ok(JSON.parse(sessionRow().completed_tasks).includes(task.id));
    assert.deepEqual(agent(), {
      total_tasks: start.total_tasks + 1,
      successful_tasks: start.successful_tasks + 1,
      success_rate: (start.successful_tasks + 1) / (start.total_tasks + 1),
    });

    const memoriesBefore = count(`SELECT count(*) FROM semantic_memory`);
    const refused = await call('devstream_update_task', {
      task_id: task.id,
      status: 'active',
      notes: 'should not be saved',
    });
    assert.equal(refused.isError, true);
    assert.match(refused.text, /Cannot change task "Lifecycle" from completed to active: completed is final/);
    assert.equal(plans.getTask(task.id).status, 'completed');
    assert.equal(count(`SELECT count(*) FROM semantic_memory`), memoriesBefore, 'a refused change saves no note');
    assert.equal(agent().total_tasks, start.total_tasks + 1, 'and counts nothing');

    const other = newTask('Doomed').task;
    await call('devstream_update_task', { task_id: other.id, status: 'active' });
    await call('devstream_update_task', { task_id: other.id, status: 'failed', notes: 'API key missing' });
    assert.equal(plans.getTask(other.id).errorLog, 'API key missing');
    assert.deepEqual(agent(), {
      total_tasks: start.total_tasks + 2,
      successful_tasks: start.successful_tasks + 1,
      success_rate: (start.successful_tasks + 1) / (start.total_tasks + 2),
    });

    const empty = await call('devstream_update_task', { task_id: other.id });
    assert.equal(empty.isError, true);
    assert.match(empty.text, /Give 'status', 'notes' or both/);
  });

  it('lists plans with their progress counts', async () => {
    const { plan, phase, task } = newTask('Counted');
    const second = plans.addTask({ phaseId: phase.id, title: 'Second', description: '' });
    plans.addTask({ phaseId: phase.id, title: 'Third', description: '' });
    plans.setTaskStatus(task.id, 'active');
    plans.setTaskStatus(task.id, 'completed');
    plans.setTaskStatus(second.id, 'skipped');
    plans.setPlanStatus(plan.id, 'active');
    const r = data(await call('devstream_list_plans', { status: 'active' }));
    const p = r.plans.find((x: any) => x.id === plan.id);
    assert.deepEqual(p.progress, {
      total: 3,
      pending: 1,
      active: 0,
      completed: 1,
      failed: 0,
      skipped: 1,
      percent_done: 67,
      minutes_left: 10,
    });
    assert.deepEqual(
      p.phases.map((x: any) => x.id),
      [phase.id],
    );
    assert.ok(r.plans.every((x: any) => x.status === 'active'));
  });
});

describe('with hybrid search and an embedder', () => {
  it('embeds saved memories, so the vector channel finds them when no word is shared', async () => {
    const own = openTempStore();
    const embedder = new BuiltinEmbedder();
    const s = startWorkSession(own, { name: 'hybrid-agent', role: 'test', transport: 'test' });
    const hctx: ToolContext = { store: own, search: hybridSearchFn(own, embedder), embedder, session: s };
    const saved = data(
      await call(
        'devstream_store_memory',
        { content: 'The automobile engine overheats when idling in traffic.', content_type: 'learning' },
        hctx,
      ),
    );
    assert.equal(saved.embedded, true);
    const m = new MemoryRepository(own).get(saved.id)!;
    assert.deepEqual([m.hasEmbedding, m.embeddingModel, m.embeddingProvider], [true, BUILTIN_MODEL, 'builtin']);
    assert.deepEqual(keywordSearch(own, 'car motor'), [], 'no shared word: keywords alone cannot find it');
    const r = data(await call('devstream_search_memory', { query: 'car motor' }, hctx));
    assert.deepEqual(
      r.results.map((e: any) => e.id),
      [saved.id],
    );
    assert.equal(m.accessCount, 0);
    assert.equal(new MemoryRepository(own).get(saved.id)!.accessCount, 1, 'access counted once, by the tool');
  });

  it('saves without a vector when the index holds another model, and still finds it by keywords', async () => {
    const own = openTempStore();
    own.db.prepare(`UPDATE devstream_meta SET value = 'nomic-embed-text' WHERE key = 'embedding_model'`).run();
    const embedder = new BuiltinEmbedder();
    const s = startWorkSession(own, { name: 'hybrid-agent', role: 'test', transport: 'test' });
    const hctx: ToolContext = { store: own, search: hybridSearchFn(own, embedder), embedder, session: s };
    const saved = data(
      await call(
        'devstream_store_memory',
        { content: 'pelican deployment checklist', content_type: 'documentation' },
        hctx,
      ),
    );
    assert.equal(saved.embedded, false);
    const r = data(await call('devstream_search_memory', { query: 'pelican' }, hctx));
    assert.deepEqual(
      r.results.map((e: any) => e.id),
      [saved.id],
    );
  });
});

describe('definitions', () => {
  it('have a confirmation exactly for the tools that change project data, mentioning what they will do', () => {
    const confirmed = AGENT_TOOLS.filter((t) => t.confirmation)
      .map((t) => t.name)
      .sort();
    assert.deepEqual(confirmed, [
      'devstream_add_phase',
      'devstream_archive_memory',
      'devstream_create_plan',
      'devstream_create_task',
      'devstream_delete_memory',
      'devstream_store_memory',
      'devstream_update_memory',
      'devstream_update_task',
    ]);
    // Search and file recall only count accesses and log the hand-off: not read-only, but nothing to confirm.
    const bookkeeping = AGENT_TOOLS.filter((t) => !t.readOnly && !t.confirmation)
      .map((t) => t.name)
      .sort();
    assert.deepEqual(bookkeeping, ['devstream_memories_for_file', 'devstream_search_memory']);
    for (const t of AGENT_TOOLS.filter((x) => x.destructive)) assert.ok(t.confirmation && !t.readOnly, t.name);
    assert.deepEqual(
      AGENT_TOOLS.filter((t) => t.destructive)
        .map((t) => t.name)
        .sort(),
      ['devstream_archive_memory', 'devstream_delete_memory'],
    );
    const by = (n: string) => AGENT_TOOLS.find((t) => t.name === n)!.confirmation!;
    assert.match(
      by('devstream_update_task').message({ task_id: 'abcd1234', status: 'completed', notes: 'done it' }),
      /Set task abcd1234 to completed and save the notes: "done it"/,
    );
    assert.match(by('devstream_create_task').message({ phase_id: 'ph12', title: 'Add index' }), /"Add index".*ph12/);
    assert.match(
      by('devstream_store_memory').message({ content: 'x', content_type: 'decision', file: 'a.ts' }),
      /decision memory about a\.ts/,
    );
    assert.match(
      by('devstream_delete_memory').message({ id: 'abcd1234' }),
      /Delete memory abcd1234 .*cannot be undone/,
    );
    assert.match(
      by('devstream_archive_memory').message({ id: 'abcd1234' }),
      /Archive memory abcd1234\?.*can be restored/,
    );
    assert.match(
      by('devstream_archive_memory').message({ id: 'abcd1234', archived: false }),
      /Bring archived memory abcd1234/,
    );
    assert.match(
      by('devstream_update_memory').message({ id: 'abcd', keywords: [] }),
      /Change memory abcd; keywords \(none\)/,
    );
    assert.match(
      by('devstream_create_plan').message({ title: 'Ship', phases: ['A', 'B'] }),
      /"Ship" with the phases "A", "B"/,
    );
    assert.match(by('devstream_add_phase').message({ plan_id: 'pl12', name: 'Review' }), /"Review" to plan pl12/);
  });

  it('give VS Code the same schemas the MCP server serves', () => {
    const entries = languageModelToolContributions();
    assert.deepEqual(
      entries.map((e) => e.name),
      AGENT_TOOLS.map((t) => t.name),
    );
    for (const [i, e] of entries.entries()) {
      assert.equal(e.inputSchema, AGENT_TOOLS[i].inputSchema);
      assert.ok(String(e.modelDescription).length > 80);
    }
    assert.equal(entries[0].toolReferenceName, 'searchMemory');
  });
});

describe('fitToBudget', () => {
  const e = (id: string, chars: number) => ({ id, content: 'x'.repeat(chars) });
  it('keeps whole entries in order and stops after cutting one', () => {
    const entries = [e('a', 400), e('b', 400), e('c', 4000), e('d', 10)];
    const fit = fitToBudget(entries, 400, () => 'more');
    assert.deepEqual(
      fit.included.map((x) => x.id),
      ['a', 'b', 'c'],
    );
    assert.equal(fit.truncatedId, 'c');
    assert.equal(fit.omitted, 1);
    assert.ok(fit.tokens <= 400 && fit.tokens > 300, `fills the budget (${fit.tokens})`);
    assert.equal(estimateTokens('abcdefgh'), 2);
  });
  it('skips the cut when the room left is too small to be useful', () => {
    const fit = fitToBudget([e('a', 1500), e('b', 4000)], 420, () => 'more');
    assert.deepEqual(
      fit.included.map((x) => x.id),
      ['a'],
    );
    assert.equal(fit.truncatedId, undefined);
    assert.equal(fit.omitted, 1);
  });
});
