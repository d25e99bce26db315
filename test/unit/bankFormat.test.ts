import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { keywordSearchFn, runTool, startWorkSession } from '../../src/core/agents';
import { Bank } from '../../src/core/bank/bank';
import { parseMemoryFile, renderMemoryFile, type MemoryRecord } from '../../src/core/bank/memoryFile';
import { parsePlanFile, renderPlanFile, type PlanDoc } from '../../src/core/bank/planFile';
import { DevStream } from '../../src/core/devstream';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { PlanRepository } from '../../src/core/plans/planRepository';
import { tempDir } from '../helpers/tmp';

const record: MemoryRecord = {
  id: '0123456789abcdef0123456789abcdef',
  contentType: 'code',
  contentFormat: 'code',
  keywords: ['yes', '123', 'a: b', 'ünïcode'],
  anchor: { file: 'src/q.ts', startLine: 3, endLine: 9, language: 'typescript', commit: 'abc1234', fingerprint: 'f:g' },
  planId: 'p1',
  phaseId: 'ph1',
  taskId: 't1',
  source: 'cli',
  isArchived: true,
  metadata: { z: 1, a: { nested: [true, null, 'x'] } },
  author: 'Ann <ann@example.com>',
  createdAt: '2026-01-02 03:04:05',
  updatedAt: '2026-01-03 03:04:05',
  content: '\n---\nkey: value\n---\n  indented\ttab\n\n',
};

/** A workspace folder with a database and a bank, the bank attached as the CLI attaches it. */
function workspace(): { root: string; ds: DevStream; bank: Bank } {
  const root = tempDir('devstream-bankfmt-');
  const ds = DevStream.open(path.join(root, '.devstream/devstream.db'));
  const bank = new Bank(root, { author: 'Ann <ann@example.com>' });
  bank.init(ds);
  return { root, ds, bank };
}

describe('team bank file formats', () => {
  it('round-trips a memory exactly, content with --- lines and blank edges included', () => {
    const text = renderMemoryFile(record);
    assert.deepEqual(parseMemoryFile(text), record);
    assert.equal(renderMemoryFile(parseMemoryFile(text)), text);
    assert.ok(text.startsWith('---\nid: 0123456789abcdef0123456789abcdef\ntype: code\nformat: code\nkeywords:\n'));
    assert.match(text, /^metadata:\n {2}a:\n/m, 'metadata keys sorted');
    assert.equal(parseMemoryFile(text.replace(/\n/g, '\r\n')).content, record.content, 'CRLF checkouts read the same');
  });

  it('round-trips a plan with phases, task statuses, sub-tasks and multi-line text', () => {
    const root = tempDir();
    const ds = DevStream.open(path.join(root, 'x.db'));
    const plan = ds.plans.createPlan({
      title: 'Ship\nsearch',
      objectives: ['fast'],
      expectedOutcome: 'found',
      tags: ['s'],
    });
    const build = ds.plans.addPhase({ planId: plan.id, name: 'Build', description: 'two\nlines' });
    const test = ds.plans.addPhase({ planId: plan.id, name: 'Test', dependencies: [build.id] });
    const t1 = ds.plans.addTask({
      phaseId: build.id,
      title: 'Tokenizer',
      description: 'a <!-- b --> c',
      maxDurationMinutes: 8,
    });
    ds.plans.addTask({ phaseId: build.id, title: 'Sub', parentTaskId: t1.id, inputFiles: ['a.ts'] });
    const t3 = ds.plans.addTask({ phaseId: test.id, title: 'Check [x] it', taskType: 'testing' });
    ds.plans.setTaskStatus(t1.id, 'active');
    ds.plans.setTaskStatus(t3.id, 'skipped');
    const doc = (d: DevStream, id: string): PlanDoc => ({
      plan: d.plans.getPlan(id),
      phases: d.plans.listPhases(id).map((phase) => ({ phase, tasks: d.plans.listTasks({ phaseId: phase.id }) })),
    });
    const text = renderPlanFile(doc(ds, plan.id));
    assert.equal(renderPlanFile(parsePlanFile(text)), text);
    assert.match(text, /^- \[~\] Tokenizer <!-- task \{"id":"\w+"/m);
    assert.match(text, /^- \[-\] Check \[x\] it <!-- task /m);
    assert.match(text, /\}\s-->\n\n- \[/, 'a blank line between tasks, so edits of neighbours merge');
    ds.close();
  });

  it('re-exporting an unchanged memory changes no byte; edits in the same second still reach the file', async () => {
    const { root, ds, bank } = workspace();
    ds.attachBank(bank);
    const m = ds.memories.add({ content: 'Use WAL mode.', contentType: 'decision', metadata: { scope: 'shared' } });
    await new Promise((r) => setImmediate(r));
    const file = path.join(bank.dir, `decision/use-wal-mode-${m.id.slice(0, 8)}.md`);
    const before = fs.readFileSync(file);
    assert.deepEqual(bank.exportChanges(ds).exported, []);
    assert.deepEqual(bank.sync(ds).exported, []);
    assert.ok(fs.readFileSync(file).equals(before));
    ds.memories.update(m.id, { content: 'Use WAL mode, always.' }); // most likely the same second as the add
    await new Promise((r) => setImmediate(r));
    assert.match(fs.readFileSync(file, 'utf8'), /^Use WAL mode, always\.$/m);
    ds.memories.update(m.id, { metadata: { scope: 'private' } });
    await new Promise((r) => setImmediate(r));
    assert.equal(fs.existsSync(file), false, 'made private: the file goes, the memory stays');
    assert.ok(ds.memories.get(m.id));
    assert.equal(fs.existsSync(path.join(root, '.devstream/bank-state.json')), true);
    ds.close();
  });

  it('exports writes made past the use-case layer (as the MCP server makes them) when asked', () => {
    const { ds, bank } = workspace();
    assert.equal(bank.exportIfWritten(ds)?.exported.length, 0, 'the first call looks');
    assert.equal(bank.exportIfWritten(ds), undefined, 'nothing written since: one query, no export');
    const plan = new PlanRepository(ds.store).createPlan({ title: 'Agent plan', objectives: [], expectedOutcome: 'o' });
    const raw = new MemoryRepository(ds.store);
    const m = raw.add({ content: 'Raw shared', contentType: 'context', metadata: { scope: 'shared' } });
    const file = `.devstream/bank/context/raw-shared-${m.id.slice(0, 8)}.md`;
    const planFile = `.devstream/bank/plans/agent-plan-${plan.id.slice(0, 8)}.md`;
    assert.deepEqual(bank.exportIfWritten(ds)?.exported, [file, planFile]);
    raw.delete(m.id);
    assert.deepEqual(bank.exportIfWritten(ds)?.removed, [file], 'a delete past the layer is seen too');
    ds.close();
  });

  it('an agent saving with scope shared reaches the bank at the next check; private ones never', async () => {
    const { ds, bank } = workspace();
    bank.exportIfWritten(ds);
    const session = startWorkSession(ds.store, { name: 'unit-agent', role: 'test', transport: 'test' });
    const ctx = { store: ds.store, search: keywordSearchFn(ds.store), session };
    const save = async (content: string, scope?: string) => {
      const r = await runTool('devstream_store_memory', { content, content_type: 'decision', scope }, ctx);
      assert.equal(r.isError, false, r.text);
    };
    await save('Agents share this decision.', 'shared');
    await save('Agents keep this one.');
    const r = bank.exportIfWritten(ds);
    assert.equal(r?.exported.length, 1);
    assert.match(r!.exported[0], /^\.devstream\/bank\/decision\/agents-share-this-decision-\w{8}\.md$/);
    ds.close();
  });

  it('tells when a row changed here without its file and the file changed too (the file wins)', () => {
    const { ds, bank } = workspace();
    const m = ds.memories.add({ content: 'Original', contentType: 'context', metadata: { scope: 'shared' } });
    bank.sync(ds);
    const file = path.join(bank.dir, `context/original-${m.id.slice(0, 8)}.md`);
    ds.store.db.prepare(`UPDATE semantic_memory SET updated_at = '2099-01-01 00:00:00' WHERE id = ?`).run(m.id);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Original', 'Pulled'));
    const r = bank.sync(ds);
    assert.match(
      r.notices.join('\n'),
      /changed in the file and here; the file's version was imported \(this database had: "Original"\)/,
    );
    assert.equal(ds.memories.require(m.id).content, 'Pulled');
    ds.close();
  });

  it('journals state changes of single saves, and a new process reads them (a torn last line ignored)', async () => {
    const { root, ds, bank } = workspace();
    ds.attachBank(bank);
    const ids = ['One note', 'Two note', 'Three note'].map(
      (content) => ds.memories.add({ content, contentType: 'context', metadata: { scope: 'shared' } }).id,
    );
    await new Promise((r) => setImmediate(r));
    ds.memories.delete(ids[1]);
    await new Promise((r) => setImmediate(r));
    const journal = path.join(root, '.devstream/bank-state.json.log');
    assert.ok(fs.existsSync(journal), 'single saves append to the journal');
    fs.appendFileSync(journal, '{"p":"context/torn');
    const fresh = new Bank(root, { author: 'Ann <ann@example.com>' });
    const status = fresh.status(ds);
    assert.deepEqual([status.new, status.changed, status.deleted, status.unexported], [[], [], [], 0]);
    assert.equal(status.files, 2);
    const r = fresh.sync(ds);
    assert.deepEqual([r.imported, r.exported, r.deleted, r.removed], [[], [], [], []]);
    assert.equal(fs.existsSync(journal), false, 'a sync folds the journal into the state file');
    ds.close();
  });

  it('exports to a second database and back byte for byte (ids, times and author kept)', () => {
    const one = workspace();
    const plan = one.ds.plans.createPlan({ title: 'P', objectives: [], expectedOutcome: 'o' });
    const phase = one.ds.plans.addPhase({ planId: plan.id, name: 'F' });
    const task = one.ds.plans.addTask({ phaseId: phase.id, title: 'T' });
    one.ds.memories.add({
      content: 'Linked note',
      contentType: 'learning',
      taskId: task.id,
      keywords: ['k'],
      metadata: { scope: 'shared' },
    });
    one.ds.memories.add({ content: 'Mine only', contentType: 'learning' });
    one.bank.sync(one.ds);
    const two = workspace();
    fs.cpSync(one.bank.dir, two.bank.dir, { recursive: true });
    const r = new Bank(two.root, { author: 'Bob <bob@example.com>' }).sync(two.ds);
    assert.equal(r.imported.length, 2);
    assert.deepEqual(r.exported, [], 'nothing rewritten: the imported rows render to the same bytes');
    const [mem] = two.ds.memories.list();
    assert.equal(mem.taskId, task.id);
    assert.equal(mem.hasEmbedding, false, 'vectors are never imported: the embedding queue adds them');
    assert.equal(two.ds.memories.count(), 1, 'the private memory stayed in the first database');
    for (const f of fs.readdirSync(one.bank.dir, { recursive: true }) as string[]) {
      const a = path.join(one.bank.dir, f);
      if (fs.statSync(a).isFile()) assert.ok(fs.readFileSync(a).equals(fs.readFileSync(path.join(two.bank.dir, f))), f);
    }
    one.ds.close();
    two.ds.close();
  });
});
