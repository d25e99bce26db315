import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { tempDir } from '../helpers/tmp';

// The compiled entry point of this build (bin/devstream.js prefers a bundled dist/ that may be stale).
const BIN = path.resolve(__dirname, '../../src/cli/main.js');

function cli(cwd: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) };
}

describe('devstream CLI (child processes, real files)', () => {
  it('creates the database with a .gitignore, and manages plans, phases and tasks', () => {
    const dir = tempDir();
    assert.equal(cli(dir, ['init']).code, 0);
    assert.ok(fs.existsSync(path.join(dir, '.devstream/devstream.db')));
    assert.match(fs.readFileSync(path.join(dir, '.devstream/.gitignore'), 'utf8'), /^\*$/m);

    const plan = cli(dir, [
      '--json',
      'plan',
      'add',
      'Ship search',
      '--objective',
      'fast',
      '--objective',
      'offline',
      '--outcome',
      'found',
    ]).json();
    assert.deepEqual(plan.objectives, ['fast', 'offline']);
    const phase = cli(dir, ['phase', 'add', plan.id.slice(0, 6), 'Build', '--json']).json();
    assert.equal(phase.sequenceOrder, 1);
    const task = cli(dir, [
      '--json',
      'task',
      'add',
      phase.id,
      'Write the tokenizer',
      '--minutes',
      '8',
      '--type',
      'coding',
    ]).json();

    const tooLong = cli(dir, ['task', 'add', phase.id, 'Rewrite everything', '--minutes', '45']);
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.err, /at most 10 minutes/);

    assert.equal(cli(dir, ['plan', 'set-status', plan.id, 'active']).code, 0);
    assert.equal(cli(dir, ['task', 'set-status', task.id, 'active']).code, 0);
    assert.equal(cli(dir, ['task', 'set-status', task.id, 'completed']).code, 0);
    const list = cli(dir, ['--json', 'plan', 'list']).json();
    assert.equal(list[0].progress.completed, 1);
    assert.match(cli(dir, ['plan', 'list']).out, /1\/1/);

    assert.equal(cli(dir, ['plan', 'set-status', plan.id, 'completed']).code, 0);
    const back = cli(dir, ['plan', 'set-status', plan.id, 'active']);
    assert.equal(back.code, 1);
    assert.match(back.err, /completed.*active/);
    assert.equal(
      cli(dir, ['--json', 'plan', 'show', plan.id]).json().status,
      'completed',
      'a refused transition changes nothing',
    );
  });

  it('saves memories from stdin and from a file range, and finds them', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(
      path.join(dir, 'src/queue.ts'),
      ['// queue', 'export function retryQueue(job: Job) {', '  return backoff(job);', '}', ''].join('\n'),
    );
    const note = cli(
      dir,
      ['--json', 'memory', 'add', '--type', 'decision', '--keywords', 'webhooks,retries'],
      'Retry webhooks with exponential backoff.',
    ).json();
    assert.equal(note.contentType, 'decision');
    const code = cli(dir, ['--json', 'memory', 'add', '--file', 'src/queue.ts', '--lines', '2-4']).json();
    assert.equal(code.content, 'export function retryQueue(job: Job) {\n  return backoff(job);\n}');
    assert.equal(code.anchor.file, 'src/queue.ts');
    assert.deepEqual([code.anchor.startLine, code.anchor.endLine, code.anchor.language], [2, 4, 'typescript']);
    assert.match(code.anchor.fingerprint, /^[0-9a-f]{16}:[0-9a-f]{16}$/);

    assert.equal(note.hasEmbedding, true, 'embedded at once by the built-in embedder (no Ollama here)');
    const pending = cli(dir, [
      '--json',
      'memory',
      'add',
      '--no-embed',
      '--text',
      'a note about connection pooling',
    ]).json();
    assert.equal(pending.hasEmbedding, false);
    assert.match(cli(dir, ['embed']).out, /Embedded 1 memory with devstream-builtin-v2/);
    const down = cli(dir, [
      '--json',
      'memory',
      'add',
      '--embedder',
      'ollama',
      '--ollama-url',
      'http://127.0.0.1:9',
      '--text',
      'saved even when the embedder fails',
    ]);
    assert.equal(down.code, 0);
    assert.equal(down.json().hasEmbedding, false);
    assert.match(down.err, /Saved without an embedding/);
    assert.equal(cli(dir, ['--json', 'search', 'embedder fails', '--mode', 'keyword']).json()[0].id, down.json().id);
    assert.equal(
      cli(dir, ['--json', 'search', 'sql connection pool', '--mode', 'vector']).json()[0].id,
      pending.id,
      'semantic match by the built-in embedder',
    );

    const hits = cli(dir, ['--json', 'search', 'retry queue']).json();
    assert.equal(hits[0].id, code.id, 'identifier parts match');
    assert.deepEqual(
      cli(dir, ['--json', 'search', 'backoff', '--type', 'decision'])
        .json()
        .map((h: { id: string }) => h.id),
      [note.id],
    );
    const bad = cli(dir, ['search', 'retry AND (', '--advanced']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /Invalid search syntax/);
    assert.equal(cli(dir, ['search', 'retry AND (']).code, 0, 'plain mode never fails on syntax');

    assert.match(cli(dir, ['memory', 'show', code.id.slice(0, 6)]).out, /src\/queue\.ts:2-4/);
    assert.equal(cli(dir, ['memory', 'delete', note.id]).code, 0);
    assert.equal(cli(dir, ['--json', 'memory', 'list']).json().length, 3);
    const key = 'AKIA' + 'Q7RT2ZK4W8XN5M3P';
    const redacted = cli(dir, ['--json', 'memory', 'add', '--text', `aws_access_key_id = ${key}`]);
    assert.match(redacted.err, /Redacted 1 likely secret/);
    assert.ok(!redacted.json().content.includes(key));
    assert.match(redacted.json().content, /\[REDACTED:aws-access-key\]/);
    assert.ok(
      cli(dir, ['--json', 'memory', 'add', '--keep-secrets', '--text', `aws_access_key_id = ${key}`])
        .json()
        .content.includes(key),
      '--keep-secrets keeps it',
    );

    const empty = cli(dir, ['memory', 'add', '--text', '   ']);
    assert.equal(empty.code, 1);
    assert.match(empty.err, /empty/);
  });

  it('round-trips everything through export and import, and importing twice adds nothing', () => {
    const a = tempDir();
    const plan = cli(a, ['--json', 'plan', 'add', 'P', '--outcome', 'o']).json();
    const phase = cli(a, ['--json', 'phase', 'add', plan.id, 'Ph']).json();
    const parent = cli(a, ['--json', 'task', 'add', phase.id, 'parent']).json();
    cli(a, ['task', 'add', phase.id, 'child', '--parent', parent.id]);
    cli(a, [
      'memory',
      'add',
      '--task',
      parent.id,
      '--type',
      'learning',
      '--text',
      'café naïve ünïcode 🙂 and "quotes"',
    ]);
    // a memory with an embedding of the index's (built-in) model, written as any SQL client could
    const db = new Database(path.join(a, '.devstream/devstream.db'));
    sqliteVec.load(db);
    const vec = new Float32Array(768).map((_, i) => Math.cos(i) / 20);
    db.prepare(
      `INSERT INTO semantic_memory (id, content, content_type, embedding, embedding_model, embedding_dimension) VALUES ('E1', 'embedded', 'context', ?, 'devstream-builtin-v2', 768)`,
    ).run(Buffer.from(vec.buffer));
    db.close();

    const exportFile = path.join(a, 'export.jsonl');
    assert.equal(cli(a, ['export', '--out', exportFile]).code, 0);
    const b = tempDir();
    const first = cli(b, ['--json', 'import', exportFile]).json();
    assert.deepEqual(first.errors, []);
    assert.equal(first.inserted.semantic_memory, 2);
    assert.equal(first.embeddingsDropped, 0);
    const again = cli(b, ['--json', 'import', exportFile]).json();
    assert.deepEqual(again.inserted, {});
    assert.equal(
      again.skipped,
      first.skipped + Object.values(first.inserted as Record<string, number>).reduce((x, y) => x + y, 0),
    );

    const strip = (text: string) => text.split('\n').slice(1).join('\n');
    const reexport = cli(b, ['export']).out;
    assert.equal(
      strip(reexport),
      strip(fs.readFileSync(exportFile, 'utf8')),
      'every row identical after the round trip',
    );
    const bad = path.join(a, 'bad.jsonl');
    fs.writeFileSync(
      bad,
      fs.readFileSync(exportFile, 'utf8').split('\n')[0] + '\n{not json\n{"table":"nope","row":{}}\n',
    );
    const r = cli(b, ['import', bad]);
    assert.equal(r.code, 1);
    assert.match(r.err, /line 2: not valid JSON/, 'row problems go to stderr');
    assert.match(r.err, /line 3: expected/);
  });

  it('doctor finds index drift and repairs it; moves a damaged file aside on --repair', () => {
    const dir = tempDir();
    cli(dir, ['memory', 'add', '--text', 'one memory']);
    cli(dir, ['memory', 'add', '--text', 'another memory']);
    assert.equal(cli(dir, ['doctor']).code, 0);
    const file = path.join(dir, '.devstream/devstream.db');
    const db = new Database(file);
    db.exec(`DELETE FROM fts_semantic_memory`);
    db.close();
    const sick = cli(dir, ['--json', 'doctor']);
    assert.equal(sick.code, 1);
    assert.equal(sick.json().problems.ftsMissing, 2);
    const fixed = cli(dir, ['--json', 'doctor', '--repair']);
    assert.equal(fixed.code, 0);
    assert.equal(fixed.json().repair.ftsRebuilt, 2);
    assert.equal(cli(dir, ['--json', 'search', 'another', '--mode', 'keyword']).json().length, 1);

    fs.writeFileSync(file, 'garbage, not a database'.repeat(50));
    fs.rmSync(file + '-wal', { force: true });
    fs.rmSync(file + '-shm', { force: true });
    const refused = cli(dir, ['memory', 'list']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /not a SQLite database/);
    const moved = cli(dir, ['--json', 'doctor', '--repair']).json();
    assert.match(fs.readFileSync(moved.movedAside, 'utf8'), /^garbage/);
    assert.equal(cli(dir, ['--json', 'memory', 'list']).json().length, 0);
  });

  it('doctor --repair moves a damaged file that still opens aside and salvages what it can read', () => {
    const dir = tempDir();
    for (let i = 0; i < 40; i++)
      cli(dir, ['memory', 'add', '--no-embed', '--text', `memory number ${i} about retries and queues`]);
    const file = path.join(dir, '.devstream/devstream.db');
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const ftsRoot = db
      .prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'fts_semantic_memory_data'`)
      .pluck()
      .get() as number;
    db.close();
    const bytes = fs.readFileSync(file);
    bytes.fill(0xa5, (ftsRoot - 1) * pageSize + 8, ftsRoot * pageSize); // scribble over one FTS page
    fs.writeFileSync(file, bytes);
    const r = cli(dir, ['--json', 'doctor', '--repair']);
    assert.equal(r.code, 0, r.err);
    const out = r.json();
    assert.ok(fs.existsSync(out.movedAside), 'the damaged file is kept beside');
    assert.equal(out.salvaged.inserted.semantic_memory, 40, 'every memory row was still readable');
    const healthy = cli(dir, ['--json', 'doctor']);
    assert.equal(healthy.code, 0, healthy.out);
    assert.equal(cli(dir, ['--json', 'search', 'number 7', '--mode', 'keyword']).json().length > 0, true);
  });

  it('reports usage mistakes with exit code 2', () => {
    const dir = tempDir();
    const unknown = cli(dir, ['plan', 'list', '--bogus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Usage: devstream plan list/);
    assert.equal(cli(dir, ['frobnicate']).code, 2);
    assert.equal(cli(dir, ['plan', 'add']).code, 2);
    assert.match(cli(dir, ['--help']).out, /memory add/);
  });
});
