import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Bank } from '../../src/core/bank/bank';
import { renderMemoryFile, toRecord } from '../../src/core/bank/memoryFile';
import { DevStream } from '../../src/core/devstream';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const memoryText = (id: string, type: string, content: string) =>
  `---\nid: ${id}\ntype: ${type}\ncreated: 2026-01-01 00:00:00\nupdated: 2026-01-01 00:00:00\n---\n${content}\n`;

// Secret-shaped values are built at run time so this file holds nothing a scanner would flag.
const token = () => 'ghp_' + Array.from({ length: 36 }, (_, i) => 'aB3xY9kQ'[(i * 5) % 8]).join('');

describe('team bank: bad input is skipped with a message naming the file, the rest imported', () => {
  it('skips malformed, unknown-type, duplicate, oversized, binary and escaping files; loses nothing', () => {
    const root = tempDir('devstream-bankin-');
    const outside = tempDir('devstream-outside-');
    const ds = DevStream.open(path.join(root, '.devstream/devstream.db'));
    const bank = new Bank(root, { author: null });
    bank.init(ds);
    const kept = ds.memories.add({ content: 'Kept as it was', contentType: 'decision', metadata: { scope: 'shared' } });
    bank.sync(ds);
    const keptFile = fs.readdirSync(path.join(bank.dir, 'decision'))[0];
    const put = (rel: string, data: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(bank.dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(bank.dir, rel), data);
    };
    put(`decision/${keptFile}`, '---\nid: [unclosed\n---\nbroken by hand\n'); // its memory must survive
    put('context/no-front-matter.md', 'just text\n');
    put('context/unknown-type.md', memoryText('a'.repeat(32), 'poem', 'roses'));
    put('context/dup-one.md', memoryText('b'.repeat(32), 'context', 'first copy'));
    put('context/dup-two.md', memoryText('b'.repeat(32), 'context', 'second copy'));
    put('context/huge.md', Buffer.alloc(20 * 2 ** 20, 'x'));
    put('context/binary.md', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0xff, 0x00]));
    fs.writeFileSync(path.join(outside, 'secret.md'), memoryText('c'.repeat(32), 'context', 'from outside'));
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(bank.dir, 'context/link.md'));
    put('plans/bad-plan.md', '---\nid: p\ntitle: P\nstatus: dancing\nobjectives: []\noutcome: o\ncreated: x\n---\n');
    put('learning/good.md', memoryText('d'.repeat(32), 'learning', 'Imported despite the rest'));
    put('learning/notes.txt', 'not a bank file: ignored');
    put('learning/by-hand.md', `---\nid: ${'e'.repeat(32)}\ntype: learning\n---\nWritten by hand, no times\n`);

    const r = bank.sync(ds);
    const why = Object.fromEntries(r.skipped.map((s) => [s.file.replace('.devstream/bank/', ''), s.message]));
    assert.match(why[`decision/${keptFile}`], /not valid YAML/);
    assert.match(why['context/no-front-matter.md'], /front matter/);
    assert.match(why['context/unknown-type.md'], /unknown type 'poem'/);
    assert.match(why['context/dup-one.md'], /also in \.devstream\/bank\/context\/dup-two\.md/);
    assert.match(why['context/dup-two.md'], /also in \.devstream\/bank\/context\/dup-one\.md/);
    assert.match(why['context/huge.md'], /20\.0 MB/);
    assert.match(why['context/binary.md'], /binary/);
    assert.match(why['context/link.md'], /outside the workspace/);
    assert.match(why['plans/bad-plan.md'], /plan status 'dancing'/);
    assert.equal(Object.keys(why).length, 9);
    assert.deepEqual(r.imported, ['.devstream/bank/learning/by-hand.md', '.devstream/bank/learning/good.md']);
    assert.match(ds.memories.require('e'.repeat(32)).createdAt, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(ds.memories.require(kept.id).content, 'Kept as it was', 'a broken file deletes nothing');
    assert.equal(ds.memories.get('b'.repeat(32)), undefined);
    assert.equal(ds.memories.get('c'.repeat(32)), undefined);
    assert.match(
      fs.readFileSync(path.join(bank.dir, 'decision', keptFile), 'utf8'),
      /broken by hand/,
      'not overwritten',
    );
    assert.equal(ds.memories.count(), 3);
    ds.close();
  });

  it('never writes a likely secret to the bank; bank check exits 1 on one placed by hand', () => {
    const root = tempDir('devstream-banksecret-');
    assert.equal(spawnSync('git', ['init', '-q'], { cwd: root }).status, 0);
    assert.equal(runCli(root, ['init']).code, 0);
    assert.equal(runCli(root, ['bank', 'init']).code, 0);
    const add = runCli(root, [
      '--json',
      'memory',
      'add',
      '--no-embed',
      '--scope',
      'shared',
      '--keep-secrets',
      '--text',
      `deploy with GITHUB_TOKEN=${token()}`,
    ]);
    assert.equal(add.code, 0, add.err);
    assert.match(add.err, /is not written to the bank: it holds/);
    assert.equal(fs.readdirSync(path.join(root, '.devstream/bank')).filter((d) => d !== 'plans').length, 0);
    assert.equal(runCli(root, ['bank', 'check']).code, 0);

    const ds = DevStream.open(path.join(root, '.devstream/devstream.db'));
    const m = ds.memories.list()[0];
    ds.close();
    fs.mkdirSync(path.join(root, '.devstream/bank/context'));
    fs.writeFileSync(path.join(root, '.devstream/bank/context/leak.md'), renderMemoryFile(toRecord(m, null)));
    const check = runCli(root, ['bank', 'check']);
    assert.equal(check.code, 1);
    assert.match(check.out, /\.devstream\/bank\/context\/leak\.md: holds/);

    // The database and the state file stay ignored by git; the bank does not.
    const ignored = (rel: string) => spawnSync('git', ['check-ignore', '-q', rel], { cwd: root }).status === 0;
    assert.equal(ignored('.devstream/devstream.db'), true);
    assert.equal(ignored('.devstream/bank-state.json'), true);
    assert.equal(ignored('.devstream/bank/context/leak.md'), false);
    assert.equal(ignored('.devstream/.gitignore'), false);
  });

  it('refuses to treat a missing bank folder as the deletion of every memory', () => {
    const root = tempDir('devstream-bankgone-');
    const ds = DevStream.open(path.join(root, '.devstream/devstream.db'));
    const bank = new Bank(root, { author: null });
    bank.init(ds);
    ds.memories.add({ content: 'Still here', contentType: 'context', metadata: { scope: 'shared' } });
    bank.sync(ds);
    const lock = path.join(root, '.devstream/bank-state.json.lock');
    fs.writeFileSync(lock, '99999');
    fs.utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    assert.deepEqual(bank.sync(ds).notices, [], 'a lock left by a crashed process is taken over');
    assert.equal(fs.existsSync(lock), false);
    fs.rmSync(bank.dir, { recursive: true });
    fs.mkdirSync(bank.dir);
    const r = bank.sync(ds);
    assert.match(r.notices.join('\n'), /nothing deleted/);
    assert.equal(ds.memories.count(), 1);
    ds.close();
  });
});
