import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Bank } from '../../src/core/bank/bank';
import { DevStream } from '../../src/core/devstream';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

function git(cwd: string, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

function mustGit(cwd: string, ...args: string[]): string {
  const r = git(cwd, ...args);
  assert.equal(r.code, 0, `git ${args.join(' ')} in ${path.basename(cwd)}: ${r.out}`);
  return r.out;
}

/** The built CLI in a clone; fails the test with its stderr when it exits non-zero (unless expected). */
function ds(cwd: string, args: string[], expectCode = 0) {
  const r = runCli(cwd, args);
  assert.equal(r.code, expectCode, `devstream ${args.join(' ')} in ${path.basename(cwd)}: ${r.err}`);
  return r;
}

function clone(remote: string, dir: string, user: string): string {
  mustGit(path.dirname(dir), 'clone', '-q', remote, dir);
  mustGit(dir, 'config', 'user.name', user);
  mustGit(dir, 'config', 'user.email', `${user.toLowerCase()}@example.com`);
  mustGit(dir, 'config', 'pull.rebase', 'false');
  return dir;
}

function commitAll(dir: string, message: string): void {
  mustGit(dir, 'add', '-A', '.');
  mustGit(dir, 'commit', '-q', '-m', message);
}

/** An edit made through the use-case layer, as VS Code or the MCP server would make it. */
async function editMemory(dir: string, id: string, content: string): Promise<void> {
  const dbPath = path.join(dir, '.devstream/devstream.db');
  const store = DevStream.open(dbPath);
  const bank = Bank.forDatabase(dbPath);
  assert.ok(bank, 'the clone has a bank');
  const warnings: string[] = [];
  store.attachBank(bank, (w) => warnings.push(w));
  store.memories.update(id, { content });
  await new Promise((r) => setImmediate(r)); // the change report runs on the next microtask
  store.close();
  assert.deepEqual(warnings, []);
}

const shown = (dir: string, id: string) => ds(dir, ['--json', 'memory', 'show', id]).json();

describe('team bank through git: two clones of one bare repository', () => {
  it('shares, merges concurrent edits, propagates deletes and reports a same-memory conflict', async () => {
    const root = tempDir('devstream-bank-');
    const remote = path.join(root, 'team.git');
    mustGit(root, 'init', '-q', '--bare', '-b', 'main', remote);
    const a = clone(remote, path.join(root, 'a'), 'Ann');
    mustGit(a, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    fs.writeFileSync(path.join(a, 'README.md'), '# project\n');
    commitAll(a, 'start');
    mustGit(a, 'push', '-q', '-u', 'origin', 'main');
    const b = clone(remote, path.join(root, 'b'), 'Bob');

    // A shares two memories and a plan; a private note stays on A's machine.
    ds(a, ['init']);
    ds(a, ['bank', 'init']);
    const add = (dir: string, text: string, extra: string[] = ['--scope', 'shared']) =>
      ds(dir, ['--json', 'memory', 'add', '--no-embed', '--type', 'decision', '--text', text, ...extra]).json()
        .id as string;
    const m1 = add(a, 'Retry webhooks with exponential backoff and jitter.');
    const m4 = add(a, 'Cache tokenizer output per file hash.');
    add(a, 'Private zebra note about my own setup.', []);
    const plan = ds(a, ['--json', 'plan', 'add', 'Ship search', '--objective', 'fast', '--outcome', 'found']).json().id;
    const phase = ds(a, ['--json', 'phase', 'add', plan, 'Build']).json().id;
    const t1 = ds(a, ['--json', 'task', 'add', phase, 'Write the tokenizer', '--minutes', '8']).json().id;
    const t2 = ds(a, ['--json', 'task', 'add', phase, 'Write the ranker', '--minutes', '5']).json().id;
    commitAll(a, 'share memories and a plan');
    const tracked = mustGit(a, 'ls-files', '.devstream');
    assert.match(tracked, /^\.devstream\/bank\/decision\/retry-webhooks-with-exponential-backoff-and-\w{8}\.md$/m);
    assert.match(tracked, /^\.devstream\/bank\/plans\/ship-search-\w{8}\.md$/m);
    assert.doesNotMatch(
      tracked,
      /devstream\.db|bank-state\.json|zebra/,
      'database, state and private notes stay local',
    );
    mustGit(a, 'push', '-q');

    // B pulls, syncs (the database is created from the files) and finds A's memory by search.
    mustGit(b, 'pull', '-q');
    const before = ds(b, ['--json', 'bank', 'status']).json();
    assert.equal(before.new.length, 3, 'status tells what a sync would import, without importing');
    const first = ds(b, ['--json', 'bank', 'sync']).json();
    assert.equal(first.imported.length, 3, 'two memories and one plan (status imported nothing)');
    const hits = ds(b, ['--json', 'search', 'webhooks backoff']).json();
    assert.equal(hits[0]?.id, m1);
    assert.equal(ds(b, ['--json', 'search', 'zebra', '--mode', 'keyword']).json().length, 0);
    assert.deepEqual(
      ds(b, ['--json', 'task', 'list', '--plan', plan])
        .json()
        .map((t: { id: string }) => t.id),
      [t1, t2],
    );
    assert.equal(git(b, 'status', '--porcelain').out, '', 'importing then re-exporting changes no byte');
    const m1File = first.imported.find((f: string) => f.includes(m1.slice(0, 8)));
    assert.match(fs.readFileSync(path.join(b, m1File), 'utf8'), /^author: Ann <ann@example.com>$/m);

    // Concurrent edits of different memories and different tasks of one phase.
    await editMemory(a, m1, 'Retry webhooks with exponential backoff, jitter and a cap of 5 tries.');
    const m2 = add(a, 'Invalidate caches when the model changes.');
    ds(a, ['task', 'set-status', t1, 'active']);
    commitAll(a, 'A: edits');
    mustGit(a, 'push', '-q');
    await editMemory(b, m4, 'Cache tokenizer output per file hash and model.');
    const m3 = add(b, 'Log every retry with its attempt number.');
    ds(b, ['task', 'set-status', t2, 'active']);
    commitAll(b, 'B: edits');
    mustGit(b, 'pull', '-q', '--no-edit'); // a merge: different files, different task lines
    ds(b, ['bank', 'sync']);
    mustGit(b, 'push', '-q');
    mustGit(a, 'pull', '-q');
    ds(a, ['bank', 'sync']);
    for (const dir of [a, b]) {
      assert.match(shown(dir, m1).content, /cap of 5 tries/);
      assert.match(shown(dir, m4).content, /and model/);
      assert.equal(shown(dir, m2).content, 'Invalidate caches when the model changes.');
      assert.equal(shown(dir, m3).content, 'Log every retry with its attempt number.');
      const status = ds(dir, ['--json', 'task', 'list', '--plan', plan])
        .json()
        .map((t: { status: string }) => t.status);
      assert.deepEqual(status, ['active', 'active'], `${path.basename(dir)} sees both started tasks`);
      assert.equal(git(dir, 'status', '--porcelain').out, '', `${path.basename(dir)}: sync leaves the merge as it is`);
    }

    // A deletes a memory: after pulling, B no longer has it.
    ds(a, ['memory', 'delete', m2]);
    commitAll(a, 'A: delete');
    mustGit(a, 'push', '-q');
    mustGit(b, 'pull', '-q');
    const afterDelete = ds(b, ['--json', 'bank', 'sync']).json();
    assert.equal(afterDelete.deleted.length, 1);
    assert.match(ds(b, ['memory', 'show', m2], 1).err, /No memory/);

    // Both edit the same memory: a text conflict in one file; nothing imported from it until resolved.
    await editMemory(a, m3, 'Log every retry (version A).');
    commitAll(a, 'A: m3');
    mustGit(a, 'push', '-q');
    await editMemory(b, m3, 'Log every retry (version B).');
    commitAll(b, 'B: m3');
    assert.notEqual(git(b, 'pull', '-q', '--no-edit').code, 0, 'git reports the conflict');
    const conflicted = ds(b, ['bank', 'sync'], 1);
    const file = /Team bank: not imported (\S+\.md)/.exec(conflicted.err)?.[1];
    assert.ok(file?.startsWith('.devstream/bank/decision/log-every-retry'), conflicted.err);
    assert.equal(shown(b, m3).content, 'Log every retry (version B).', 'the conflicted file is not imported');
    assert.deepEqual(ds(b, ['--json', 'bank', 'status']).json().conflicted, [file]);
    mustGit(b, 'checkout', '--theirs', file!);
    commitAll(b, 'B: take A for m3');
    ds(b, ['bank', 'sync']);
    assert.equal(shown(b, m3).content, 'Log every retry (version A).');
    assert.equal(git(b, 'status', '--porcelain').out, '');
  });
});
