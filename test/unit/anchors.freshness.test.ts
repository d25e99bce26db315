import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freshnessOf } from '../../src/core/anchors/freshness';
import { reanchor, staleFiles } from '../../src/core/anchors/reanchor';
import { findDuplicate, keepAsHistory, updateFromCode } from '../../src/core/anchors/resolve';
import { openStore } from '../../src/core/db/open';
import { makeAnchor } from '../../src/core/memory/anchor';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { tempDir } from '../helpers/tmp';
import { after } from 'node:test';

const SOURCE = [
  "import { backoff } from './backoff';",
  '',
  'export function retryQueue(job: Job, attempts = 3) {',
  '  const delay = backoff(job.tries);',
  '  if (job.tries >= attempts) return fail(job);',
  '  return schedule(job, delay);',
  '}',
  '',
  'export const LIMIT = 10;',
  '',
].join('\n');

/** A workspace folder with a real file and a real database holding one memory of lines 3-7. */
function workspace(text = SOURCE, file = 'src/queue.ts', start = 3, end = 7) {
  const root = tempDir();
  fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
  const store = openStore(path.join(root, '.devstream/devstream.db'));
  after(() => store.close());
  const memories = new MemoryRepository(store);
  const content = text
    .split(/\r?\n/)
    .slice(start - 1, end)
    .join('\n');
  const m = memories.add({ content, contentType: 'code', anchor: makeAnchor(text, start, end, { file }) });
  const write = (t: string) => fs.writeFileSync(path.join(root, file), t);
  const check = (write = true) => reanchor(store, root, { write })[0];
  return { root, store, memories, id: m.id, write, check, file };
}

const lines = (t: string) => t.split('\n');

describe('freshness of anchored memories (real files, real database)', () => {
  it('fresh: same text, same place; stored with the time of the check', () => {
    const w = workspace();
    const s = w.check();
    assert.deepEqual([s.state, s.similarity, s.startLine, s.endLine], ['fresh', 1, 3, 7]);
    const f = freshnessOf(w.memories.require(w.id).anchor)!;
    assert.equal(f.state, 'fresh');
    assert.ok(Date.parse(f.checkedAt) > 0);
  });

  it('moved: lines inserted above; --fix-style write moves the anchor and keeps where it was saved', () => {
    const w = workspace();
    w.write(['// header', '// more', ...lines(SOURCE)].join('\n'));
    const dry = w.check(false);
    assert.deepEqual([dry.state, dry.startLine, dry.endLine], ['moved', 5, 9]);
    assert.equal(w.memories.require(w.id).anchor!.startLine, 3, 'a check without write changes nothing');
    w.check(true);
    const a = w.memories.require(w.id).anchor!;
    assert.deepEqual([a.startLine, a.endLine, a.savedLine, a.freshness?.state], [5, 9, 3, 'moved']);
    assert.equal(w.check().state, 'moved', 'checking again gives the same answer');
  });

  it('moved back to where it was saved is fresh again', () => {
    const w = workspace();
    w.write(['// header', ...lines(SOURCE)].join('\n'));
    w.check();
    w.write(SOURCE);
    assert.equal(w.check().state, 'fresh');
  });

  it('whitespace and CRLF line endings do not count as a change', () => {
    const w = workspace();
    w.write(SOURCE.replace(/\n/g, '\r\n').replace('  const delay', '    const  delay'));
    assert.equal(w.check().state, 'fresh');
  });

  it('changed: one line edited inside the snippet, with a similarity below 1', () => {
    const w = workspace();
    w.write(SOURCE.replace('return schedule(job, delay);', 'return enqueue(job, delay * 2);'));
    const s = w.check();
    assert.equal(s.state, 'changed');
    assert.ok(s.similarity > 0.7 && s.similarity < 1, `similarity ${s.similarity}`);
    assert.deepEqual([s.startLine, s.endLine], [3, 7]);
  });

  it('changed: a renamed identifier on every line, after lines inserted above, is followed to its new place', () => {
    const w = workspace();
    const renamed = SOURCE.replace(/job/g, 'task');
    w.write(['// a', '// b', '// c', ...lines(renamed)].join('\n'));
    const s = w.check();
    assert.equal(s.state, 'changed');
    assert.deepEqual([s.startLine, s.endLine], [6, 10]);
    assert.equal(w.memories.require(w.id).anchor!.startLine, 6, 'the anchor follows its code');
  });

  it('changed: a line added inside the snippet widens the range', () => {
    const w = workspace();
    w.write(SOURCE.replace('  return schedule', '  log(job);\n  return schedule'));
    const s = w.check();
    assert.deepEqual([s.state, s.startLine, s.endLine], ['changed', 3, 8]);
  });

  it('lost: the code was rewritten; the stored lines are kept', () => {
    const w = workspace();
    w.write('export default {\n  name: "other",\n  version: 2,\n};\n');
    const s = w.check();
    assert.equal(s.state, 'lost');
    assert.ok(s.similarity < 0.5);
    const a = w.memories.require(w.id).anchor!;
    assert.deepEqual([a.startLine, a.freshness?.state], [3, 'lost']);
  });

  it('file-missing: the file was deleted, and found again when it comes back', () => {
    const w = workspace();
    fs.rmSync(path.join(w.root, w.file));
    assert.equal(w.check().state, 'file-missing');
    assert.equal(w.memories.require(w.id).anchor!.missing, true);
    w.write(SOURCE);
    assert.equal(w.check().state, 'fresh');
    assert.equal(w.memories.require(w.id).anchor!.missing, undefined);
  });

  it('bad input gives a state, never an exception: binary, folder, deleted workspace, outside the workspace', () => {
    const w = workspace();
    fs.writeFileSync(path.join(w.root, w.file), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    const binary = w.check();
    assert.deepEqual([binary.state, binary.reason], ['lost', 'the file is binary now']);
    fs.rmSync(path.join(w.root, w.file));
    fs.mkdirSync(path.join(w.root, w.file));
    assert.deepEqual([w.check().state, w.check().reason], ['file-missing', 'a folder is there now']);

    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'lib.ts'), SOURCE);
    const abs = path.join(outside, 'lib.ts').split(path.sep).join('/');
    const ext = w.memories.add({
      content: 'export const LIMIT = 10;',
      contentType: 'code',
      anchor: makeAnchor(SOURCE, 9, 9, { file: abs }),
    });
    const escaping = w.memories.add({
      content: 'x',
      contentType: 'code',
      anchor: { file: '../../nowhere/x.ts', startLine: 1, endLine: 1 },
    });
    const byId = new Map(reanchor(w.store, w.root, { write: true }).map((s) => [s.id, s]));
    assert.equal(byId.get(ext.id)!.state, 'fresh');
    assert.equal(byId.get(escaping.id)!.state, 'file-missing');

    const gone = path.join(tempDir(), 'deleted-folder');
    const states = reanchor(w.store, gone, { write: false })
      .filter((s) => s.id !== ext.id)
      .map((s) => [s.state, s.reason]);
    assert.deepEqual(states, [
      ['file-missing', 'the workspace folder no longer exists'],
      ['file-missing', 'the workspace folder no longer exists'],
    ]);
  });

  it('a file of 100K lines: a changed snippet near its end is still found', () => {
    const filler = Array.from({ length: 100_000 }, (_, i) => `const v${i} = ${i % 97};`);
    const text = [...filler, ...lines(SOURCE)].join('\n');
    const w = workspace(text, 'big.ts', 100_003, 100_007);
    w.write(['// new first line', ...filler, ...lines(SOURCE.replace('fail(job)', 'failHard(job)'))].join('\n'));
    const s = w.check();
    assert.deepEqual([s.state, s.startLine], ['changed', 100_004]);
  });

  it('staleFiles: only files modified since their last check, and newly missing ones', () => {
    const w = workspace();
    assert.deepEqual(staleFiles(w.store, w.root), ['src/queue.ts'], 'never checked');
    w.check();
    assert.deepEqual(staleFiles(w.store, w.root), []);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(w.root, w.file), later, later);
    assert.deepEqual(staleFiles(w.store, w.root), ['src/queue.ts']);
    w.check();
    fs.rmSync(path.join(w.root, w.file));
    assert.deepEqual(staleFiles(w.store, w.root), ['src/queue.ts']);
    w.check();
    assert.deepEqual(staleFiles(w.store, w.root), [], 'missing and recorded as missing');
  });

  it('Update from Code re-snapshots a changed memory; Keep as History freezes one', () => {
    const w = workspace();
    const edited = SOURCE.replace('return schedule(job, delay);', 'return enqueue(job, delay);');
    w.write(['// top', ...lines(edited)].join('\n'));
    assert.equal(w.check().state, 'changed');
    const m = updateFromCode(w.store, w.root, w.id);
    assert.match(m.content, /return enqueue\(job, delay\);\n\}$/);
    assert.deepEqual([m.anchor!.startLine, m.anchor!.savedLine, m.anchor!.freshness?.state], [4, 4, 'fresh']);
    assert.equal(w.check().state, 'fresh');

    w.write('nothing alike\n');
    assert.equal(w.check().state, 'lost');
    assert.throws(() => updateFromCode(w.store, w.root, w.id), /not in src\/queue.ts any more/);
    keepAsHistory(w.store, w.id);
    w.write(SOURCE);
    const s = w.check();
    assert.deepEqual([s.state, s.history], ['lost', true], 'history is not checked again');
  });

  it('findDuplicate: same file, overlapping lines, same text', () => {
    const w = workspace();
    const same = lines(SOURCE).slice(2, 7).join('\n');
    assert.equal(
      findDuplicate(w.store, { file: w.file, startLine: 3, endLine: 7 }, same.replace('  const', '\tconst'))?.id,
      w.id,
    );
    assert.equal(findDuplicate(w.store, { file: w.file, startLine: 9, endLine: 9 }, same), undefined, 'other lines');
    assert.equal(findDuplicate(w.store, { file: w.file, startLine: 3, endLine: 4 }, 'other text'), undefined);
    assert.equal(findDuplicate(w.store, { file: 'other.ts', startLine: 3, endLine: 7 }, same), undefined);
  });
});
