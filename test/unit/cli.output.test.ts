import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli as cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** A folder with a plan, an active phase and two tasks (the second a sub-task of the first). */
function planFolder() {
  const dir = tempDir();
  const plan = cli(dir, ['--json', 'plan', 'add', 'Ship search', '--outcome', 'found']).json();
  cli(dir, ['plan', 'set-status', plan.id, 'active']);
  const phase = cli(dir, ['--json', 'phase', 'add', plan.id, 'Build']).json();
  cli(dir, ['phase', 'set-status', phase.id, 'active']);
  const parent = cli(dir, ['--json', 'task', 'add', phase.id, 'Write the tokenizer']).json();
  const child = cli(dir, ['--json', 'task', 'add', phase.id, 'Split identifiers', '--parent', parent.id]).json();
  const other = cli(dir, ['--json', 'task', 'add', phase.id, 'Document the tokenizer']).json();
  return { dir, plan, phase, parent, child, other };
}

describe('devstream CLI: plans, lifecycle and output (child processes, real files)', () => {
  it('refuses to complete a phase or a plan while a task is active, naming it', () => {
    const { dir, plan, phase, parent } = planFolder();
    cli(dir, ['task', 'set-status', parent.id, 'active']);
    for (const [kind, id, to] of [
      ['phase', phase.id, 'completed'],
      ['phase', phase.id, 'skipped'],
      ['plan', plan.id, 'completed'],
      ['plan', plan.id, 'cancelled'],
    ]) {
      const r = cli(dir, [kind, 'set-status', id, to]);
      assert.equal(r.code, 1, `${kind} → ${to}`);
      assert.match(r.err, /task "Write the tokenizer" \([0-9a-f]{8}\) is still active/);
    }
    assert.equal(cli(dir, ['--json', 'phase', 'list', plan.id]).json()[0].status, 'active', 'nothing changed');
  });

  it('shows sub-tasks under their parent in plan show', () => {
    const { dir, plan, parent, child, other } = planFolder();
    const lines = cli(dir, ['plan', 'show', plan.id]).out.split('\n');
    const at = (id: string) => lines.findIndex((l) => l.includes(id.slice(0, 8)));
    assert.match(lines[at(parent.id)], /^ {3}- [0-9a-f]{8} \[pending\] Write the tokenizer$/);
    assert.match(lines[at(child.id)], /^ {6}- [0-9a-f]{8} \[pending\] Split identifiers$/, 'indented one level more');
    assert.equal(at(child.id), at(parent.id) + 1, 'right under its parent');
    assert.match(lines[at(other.id)], /^ {3}- /);
  });

  it('edits and deletes tasks and phases, deleting only with --yes', () => {
    const { dir, plan, phase, parent, child, other } = planFolder();
    const edited = cli(dir, [
      '--json',
      'task',
      'edit',
      other.id,
      '--title',
      'Document tokens',
      '--minutes',
      '5',
      '--parent',
      parent.id,
    ]);
    assert.equal(edited.code, 0, edited.err);
    assert.deepEqual(
      [edited.json().title, edited.json().maxDurationMinutes, edited.json().parentTaskId],
      ['Document tokens', 5, parent.id],
    );
    assert.equal(cli(dir, ['--json', 'task', 'edit', other.id, '--no-parent']).json().parentTaskId, null);

    const refused = cli(dir, ['task', 'delete', parent.id]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.err,
      /This deletes task "Write the tokenizer" with its sub-tasks and linked memories\. Add --yes to confirm\./,
    );
    assert.equal(cli(dir, ['task', 'delete', parent.id, '--yes']).code, 0);
    const left = cli(dir, ['--json', 'task', 'list', '--phase', phase.id])
      .json()
      .map((t: { id: string }) => t.id);
    assert.deepEqual(left, [other.id], `the sub-task ${child.id.slice(0, 8)} went with its parent`);

    const second = cli(dir, ['--json', 'phase', 'add', plan.id, 'Ship']).json();
    const phaseEdit = cli(dir, [
      '--json',
      'phase',
      'edit',
      second.id,
      '--name',
      'Release',
      '--criteria',
      'tagged',
      '--depends-on',
      phase.id,
      '--position',
      '1',
    ]);
    assert.equal(phaseEdit.code, 0, phaseEdit.err);
    assert.deepEqual(
      [
        phaseEdit.json().name,
        phaseEdit.json().completionCriteria,
        phaseEdit.json().dependencies,
        phaseEdit.json().sequenceOrder,
      ],
      ['Release', 'tagged', [phase.id], 1],
    );
    assert.equal(cli(dir, ['phase', 'delete', phase.id]).code, 1);
    assert.equal(cli(dir, ['phase', 'delete', phase.id, '--yes']).code, 0);
    const phases = cli(dir, ['--json', 'phase', 'list', plan.id]).json();
    assert.deepEqual(
      phases.map((p: { name: string; dependencies: string[] }) => [p.name, p.dependencies]),
      [['Release', []]],
    );
  });

  it('gives search results as plain snippets with highlight ranges in JSON, colour only when asked for', () => {
    const dir = tempDir();
    cli(dir, ['memory', 'add', '--text', 'Retry webhooks with exponential backoff and jitter']);
    const [hit] = cli(dir, ['--json', 'search', 'backoff', '--mode', 'keyword']).json();
    assert.doesNotMatch(hit.snippet, /[\u0002\u0003]/);
    assert.ok(hit.highlights.length > 0);
    for (const [start, end] of hit.highlights) assert.equal(hit.snippet.slice(start, end).toLowerCase(), 'backoff');

    const plain = cli(dir, ['search', 'backoff', '--mode', 'keyword']);
    assert.match(plain.out, /exponential backoff and jitter/);
    assert.doesNotMatch(plain.out, /[\u0000-\u0008\u001b]/, 'no markers and no colour in a pipe');
    const forced = cli(dir, ['search', 'backoff', '--mode', 'keyword'], { env: { FORCE_COLOR: '1' } });
    assert.match(forced.out, /\u001b\[1;33mbackoff\u001b\[0m/);
    const noColor = cli(dir, ['search', 'backoff', '--mode', 'keyword'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    assert.doesNotMatch(noColor.out, /\u001b/, 'NO_COLOR wins');
  });

  it('returns the memory as stored after embedding, or says the embedding is pending', () => {
    const dir = tempDir();
    const embedded = cli(dir, ['--json', 'memory', 'add', '--text', 'embedded right away']).json();
    assert.equal(embedded.hasEmbedding, true);
    assert.equal(embedded.embeddingModel, 'devstream-builtin-v2');
    assert.equal(embedded.embeddingPending, false);
    const pending = cli(dir, ['--json', 'memory', 'add', '--no-embed', '--text', 'embedded later']).json();
    assert.deepEqual([pending.hasEmbedding, pending.embeddingModel, pending.embeddingPending], [false, null, true]);
    assert.match(
      cli(dir, ['memory', 'add', '--no-embed', '--text', 'later too']).out,
      /its embedding is pending \('devstream embed' adds it\)/,
    );
  });

  it('checks memory add input in the words of the CLI', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(
      path.join(dir, 'src/queue.ts'),
      Array.from({ length: 31 }, (_, i) => `line ${i + 1}`).join('\n') + '\n',
    );
    cli(dir, ['init']);
    const both = cli(dir, ['memory', 'add', '--file', 'src/queue.ts', '--text', 'x']);
    assert.equal(both.code, 2);
    assert.match(both.err, /Give --file or --text, not both\./);
    const reversed = cli(dir, ['memory', 'add', '--file', 'src/queue.ts', '--lines', '30-10']);
    assert.equal(reversed.code, 2);
    assert.match(reversed.err, /--lines 30-10 is reversed: give the first line first \(10-30\)\./);
    const past = cli(dir, ['memory', 'add', '--file', 'src/queue.ts', '--lines', '32-40']);
    assert.equal(past.code, 1);
    assert.match(past.err, /outside the file \(it has 31 lines\)/, 'the final newline does not add a line');
    assert.equal(
      cli(dir, ['--json', 'memory', 'add', '--file', 'src/queue.ts', '--lines', '31']).json().content,
      'line 31',
    );
    const folder = cli(dir, ['memory', 'add', '--file', 'src']);
    assert.equal(folder.code, 1);
    assert.match(folder.err, /^devstream memory add: src is a folder: give a file/);
    assert.doesNotMatch(folder.err, /EISDIR/);
    const empty = cli(dir, ['memory', 'add', '--text', '  ']);
    assert.match(empty.err, /Memory content is empty: give --text TEXT, --file F \[--lines A-B\], or text on stdin\./);
    assert.doesNotMatch(empty.err, /select/);
    const big = cli(dir, ['memory', 'add'], { input: 'a'.repeat(1_100_000) });
    assert.equal(big.code, 1);
    assert.match(big.err, /Memory content is 1\.05 MB; the limit is 1\.0 MB\. Pipe a part of it\./);
  });

  it('agrees in number and ends sentences once', () => {
    const dir = tempDir();
    const key = 'AKIA' + 'Q7RT2ZK4W8XN5M3P';
    const kept = cli(dir, ['memory', 'add', '--keep-secrets', '--text', `aws_access_key_id = ${key}`]);
    assert.match(kept.err, /Kept 1 likely secret .* as asked; it is never sent to an embedding server\./);
    const two = cli(dir, [
      'memory',
      'add',
      '--keep-secrets',
      '--text',
      `aws_access_key_id = ${key}\nother = ${'AKIA' + 'Z9XW3QK5R7TN2M4B'}`,
    ]);
    assert.match(two.err, /Kept 2 likely secrets .* as asked; they are never sent/);
    const fresh = tempDir(); // no vectors yet, so Ollama may take the index
    cli(fresh, ['memory', 'add', '--no-embed', '--text', 'one more']);
    const down = cli(fresh, ['embed', '--embedder', 'ollama', '--ollama-url', 'http://127.0.0.1:9']);
    assert.equal(down.code, 1);
    assert.match(down.out + down.err, /ollama serve/);
    for (const text of [down.out, down.err]) assert.doesNotMatch(text, /\.\.(?!\.)|\.;/);
    assert.match(cli(fresh, ['embed']).out, /^Embedded 1 memory with devstream-builtin-v2/);
  });
});
