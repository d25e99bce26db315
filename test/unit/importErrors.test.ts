import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** A real export of a database with one plan, one phase and one memory. */
function exportOf(dir: string): string[] {
  assert.equal(runCli(dir, ['plan', 'add', 'Ship it', '--objective', 'ship']).code, 0);
  assert.equal(runCli(dir, ['memory', 'add', '--text', 'a memory to export']).code, 0);
  const r = runCli(dir, ['export']);
  assert.equal(r.code, 0, r.err);
  return r.out.trim().split('\n');
}

describe('import: row problems in words on stderr; a failed import leaves no database', () => {
  it('names the line and what is wrong, on stderr, without SQLite text', () => {
    const src = tempDir();
    const [header, ...rows] = exportOf(src);
    const plan = rows.map((l) => JSON.parse(l)).find((r) => r.table === 'intervention_plans');
    const orphanPhase = {
      table: 'phases',
      row: { id: 'PH-ORPHAN', plan_id: 'PLAN-MISSING', name: 'Lost', sequence_order: 1, status: 'pending' },
    };
    const badStatus = { table: 'intervention_plans', row: { ...plan.row, id: 'PLAN-BAD', status: 'someday' } };
    const noTitle = { table: 'intervention_plans', row: { ...plan.row, id: 'PLAN-NOTITLE', title: null } };
    const file = path.join(src, 'mixed.jsonl');
    fs.writeFileSync(
      file,
      [header, ...rows, JSON.stringify(orphanPhase), JSON.stringify(badStatus), JSON.stringify(noTitle)].join('\n') +
        '\n',
    );
    const dest = tempDir();
    const r = runCli(dest, ['import', file]);
    assert.equal(r.code, 1);
    const n = rows.length + 1;
    assert.match(
      r.err,
      new RegExp(
        `line ${n + 1}: phase PH-ORPHAN: plan_id 'PLAN-MISSING' names a plan that is neither in the database nor earlier in the file`,
      ),
    );
    assert.match(r.err, new RegExp(`line ${n + 2}: plan PLAN-BAD: a value is not allowed \\(status is "someday"\\)`));
    assert.match(r.err, new RegExp(`line ${n + 3}: plan PLAN-NOTITLE: title is missing`));
    assert.doesNotMatch(r.err + r.out, /constraint failed/i, 'no raw SQLite text');
    assert.doesNotMatch(r.out, /line \d+:/, 'stdout has the summary only');
    assert.match(r.out, /Imported .*1 intervention_plans.*; 3 rows refused/);
    assert.ok(fs.existsSync(path.join(dest, '.devstream/devstream.db')), 'what could be imported is kept');
  });

  it('a database the import created is removed when nothing could be imported', () => {
    const src = tempDir();
    const [header] = exportOf(src);
    const orphan = {
      table: 'phases',
      row: { id: 'PH-1', plan_id: 'NOPE', name: 'Lost', sequence_order: 1, status: 'pending' },
    };
    const file = path.join(src, 'orphans.jsonl');
    fs.writeFileSync(file, `${header}\n${JSON.stringify(orphan)}\n`);
    const dest = tempDir();
    const r = runCli(dest, ['import', file]);
    assert.equal(r.code, 1);
    assert.match(r.err, /line 2: phase PH-1: plan_id 'NOPE' names a plan/);
    assert.match(r.err, /Nothing could be imported, so no database was created/);
    assert.deepEqual(fs.readdirSync(dest), [], 'no .devstream folder, no database, no .gitignore');

    const notExport = path.join(src, 'notes.txt');
    fs.writeFileSync(notExport, 'just some notes\n');
    const db = path.join(dest, 'sub', 'x.db');
    const r2 = runCli(dest, ['--db', db, 'import', notExport]);
    assert.equal(r2.code, 1);
    assert.match(r2.err, /Not a DevStream export/);
    assert.deepEqual(fs.readdirSync(dest), [], 'the folder made for --db is gone too');
  });

  it('an existing database is kept, unchanged, when an import into it fails', () => {
    const dir = tempDir();
    const [header] = exportOf(dir);
    const file = path.join(dir, 'orphans.jsonl');
    fs.writeFileSync(
      file,
      `${header}\n${JSON.stringify({ table: 'phases', row: { id: 'PH-1', plan_id: 'NOPE', name: 'x', sequence_order: 1 } })}\n`,
    );
    assert.equal(runCli(dir, ['import', file]).code, 1);
    const list = runCli(dir, ['--json', 'memory', 'list']);
    assert.equal(list.code, 0, list.err);
    assert.equal(list.json().length, 1);
  });
});
