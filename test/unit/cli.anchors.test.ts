import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { memoriesTouchedTool } from '../../src/core/agents/anchorTools';
import { openStore } from '../../src/core/db/open';
import { runCli } from '../helpers/cli';
import { connectCli, structured, toolError } from '../helpers/mcpClient';
import { tempDir } from '../helpers/tmp';

const QUEUE = [
  '// queue',
  'export function retryQueue(job: Job) {',
  '  const delay = backoff(job.tries);',
  '  return schedule(job, delay);',
  '}',
  '',
  'export function drain(queue: Queue) {',
  '  while (queue.size) queue.pop();',
  '}',
  '',
].join('\n');

/** A real git repository with one commit, a database and two memories of src/queue.ts. */
function repo() {
  const dir = tempDir();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/queue.ts'), QUEUE);
  git('add', '.');
  git('commit', '-qm', 'queue');
  const cli = (...args: string[]) => runCli(dir, args);
  assert.equal(cli('init').code, 0);
  const retry = cli(
    '--json',
    'memory',
    'add',
    '--file',
    'src/queue.ts',
    '--lines',
    '2-5',
    '--type',
    'decision',
    '--no-embed',
  ).json();
  const drain = cli('--json', 'memory', 'add', '--file', 'src/queue.ts', '--lines', '7-9', '--no-embed').json();
  const write = (text: string, file = 'src/queue.ts') => fs.writeFileSync(path.join(dir, file), text);
  return { dir, git, cli, write, retry: retry.id as string, drain: drain.id as string };
}

describe('devstream anchors and impact (a real git repository)', () => {
  it('anchors lists states and current lines; --check fails on changed code; --fix writes moved lines back', () => {
    const r = repo();
    let res = r.cli('anchors', '--check');
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /2 anchored memories: 2 fresh/);

    r.write(['// license', '// header', ...QUEUE.split('\n')].join('\n').replace('queue.pop()', 'queue.shift()'));
    res = r.cli('--json', 'anchors', '--check');
    assert.equal(res.code, 1);
    assert.match(res.err, /1 memory no longer matches the code/);
    const byId = new Map(res.json().memories.map((m: any) => [m.id, m]));
    const retry: any = byId.get(r.retry);
    const drain: any = byId.get(r.drain);
    assert.deepEqual([retry.state, retry.startLine, retry.endLine, retry.storedStartLine], ['moved', 4, 7, 2]);
    assert.equal(drain.state, 'changed');
    assert.ok(drain.similarity > 0.5 && drain.similarity < 1);

    assert.equal(r.cli('--json', 'memory', 'show', r.retry).json().anchor.startLine, 2, 'no --fix: nothing written');
    assert.equal(r.cli('anchors', '--fix').code, 0);
    const stored = r.cli('--json', 'memory', 'show', r.retry).json().anchor;
    assert.deepEqual([stored.startLine, stored.endLine, stored.freshness.state], [4, 7, 'moved']);
    assert.match(r.cli('memory', 'list').out, /src\/queue\.ts:9 \[changed \(\d+% alike\)\]/);

    assert.equal(r.cli('update-from-code', r.drain.slice(0, 8)).code, 0);
    assert.equal(r.cli('anchors', '--check').code, 0, 'updated from the code: fresh again');
  });

  it('a file renamed and edited in one commit is followed through git diff from the stored commit', () => {
    const r = repo();
    r.git('mv', 'src/queue.ts', 'src/jobs.ts');
    r.write(QUEUE.replace('// queue', '// jobs\n// moved here'), 'src/jobs.ts');
    r.git('commit', '-qam', 'rename and edit');
    const res = r.cli('--json', 'anchors', '--fix');
    assert.equal(res.code, 0, res.err);
    const retry = res.json().memories.find((m: any) => m.id === r.retry);
    assert.deepEqual([retry.state, retry.renamedTo, retry.startLine], ['moved', 'src/jobs.ts', 3]);
    assert.equal(r.cli('--json', 'memory', 'show', r.retry).json().anchor.file, 'src/jobs.ts');
    const noGit = r.cli('--json', 'anchors', '--no-git').json().memories;
    assert.ok(
      noGit.every((m: any) => m.file === 'src/jobs.ts'),
      'stored under the new path',
    );
  });

  it('impact lists the memories whose lines the working tree changes against HEAD or --base', () => {
    const r = repo();
    let res = r.cli('impact');
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /touches no code with memories/);

    r.write(QUEUE.replace('queue.pop()', 'queue.shift()'));
    res = r.cli('--json', 'impact');
    assert.deepEqual(
      res.json().memories.map((m: any) => m.id),
      [r.drain],
    );
    assert.match(
      r.cli('impact').out,
      /touches code with 1 memory:\nID .*\n\S+ +code +src\/queue\.ts:7-9 +changed \(\d+% alike\)/,
    );

    r.git('commit', '-qam', 'shift');
    assert.deepEqual(r.cli('--json', 'impact').json().memories, [], 'committed: nothing against HEAD');
    assert.deepEqual(
      r
        .cli('--json', 'impact', '--base', 'HEAD~1')
        .json()
        .memories.map((m: any) => m.id),
      [r.drain],
    );

    fs.rmSync(path.join(r.dir, 'src/queue.ts'));
    assert.deepEqual(
      new Set(
        r
          .cli('--json', 'impact')
          .json()
          .memories.map((m: any) => m.id),
      ),
      new Set([r.retry, r.drain]),
      'a deleted file touches all',
    );

    const bad = r.cli('impact', '--base', 'no-such-branch');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /cannot compare the working tree with 'no-such-branch'/);
    assert.equal(r.cli('impact', '--base', '--upload-pack=x').code, 2);
  });

  it('impact outside a git repository says so', () => {
    const dir = tempDir();
    assert.equal(runCli(dir, ['init']).code, 0);
    const res = runCli(dir, ['impact']);
    assert.equal(res.code, 1);
    assert.match(res.err, /not inside a git repository/);
  });

  it('memory add refuses a duplicate of the same lines and names the memory', () => {
    const r = repo();
    const dup = r.cli('memory', 'add', '--file', 'src/queue.ts', '--lines', '2-5', '--no-embed');
    assert.equal(dup.code, 1);
    assert.match(dup.err, new RegExp(`Memory ${r.retry} already holds these lines \\(src/queue.ts:2-5`));
    assert.equal(r.cli('--json', 'memory', 'list').json().length, 2, 'nothing saved');
    assert.equal(
      r.cli('memory', 'add', '--file', 'src/queue.ts', '--lines', '2-5', '--no-embed', '--allow-duplicate').code,
      0,
    );
  });
});

describe('the memories-touched agent tool (a real git repository)', () => {
  it('returns the touched memory with its state; a bad revision is an error the agent can read', async () => {
    const r = repo();
    r.write(QUEUE.replace('queue.pop()', 'queue.shift()'));
    const store = openStore(path.join(r.dir, '.devstream/devstream.db'));
    try {
      const ctx = {
        store,
        workspaceRoot: r.dir,
        search: async () => ({ hits: [], vectors: 'used' as const }),
        session: { id: 'S-test', clientName: 'test' },
      };
      const res = await memoriesTouchedTool.handler({}, ctx);
      assert.equal(res.isError, false);
      const data = res.data as { memories: { id: string; state: string; similarity?: number }[] };
      assert.deepEqual(
        data.memories.map((m) => [m.id, m.state]),
        [[r.drain, 'changed']],
      );
      assert.ok(data.memories[0].similarity! > 0.5);
      await assert.rejects(
        memoriesTouchedTool.handler({ base: 'nope' }, ctx),
        /cannot compare the working tree with 'nope'/,
      );
    } finally {
      store.close();
    }
  });
});

describe('freshness over MCP (the official SDK client, a real git repository)', () => {
  it('memories_touched names the changed memory; list and get say it no longer matches the code', async () => {
    const r = repo();
    r.write(QUEUE.replace('queue.pop()', 'queue.shift()'));
    assert.equal(r.cli('anchors', '--fix').code, 0, 'states are stored');
    assert.equal(r.cli('anchors', '--check').code, 1, 'a changed memory fails the check');
    const conn = await connectCli(r.dir);
    try {
      const touched = structured(await conn.client.callTool({ name: 'devstream_memories_touched', arguments: {} }));
      assert.deepEqual(
        touched.memories.map((m: { id: string; state: string }) => [m.id, m.state]),
        [[r.drain, 'changed']],
      );
      const listed = structured(await conn.client.callTool({ name: 'devstream_list_memories', arguments: {} }));
      const drain = listed.memories.find((m: { id: string }) => m.id === r.drain);
      assert.equal(drain.source.freshness, 'changed');
      assert.ok(drain.source.similarity > 0.5 && drain.source.similarity < 1, String(drain.source.similarity));
      const retry = listed.memories.find((m: { id: string }) => m.id === r.retry);
      assert.equal(retry.source.freshness, 'fresh');
      const got = structured(await conn.client.callTool({ name: 'devstream_get_memory', arguments: { id: r.drain } }));
      assert.equal(got.memory.source.freshness, 'changed');
      const bad = toolError(
        await conn.client.callTool({ name: 'devstream_memories_touched', arguments: { base: 'nope' } }),
      );
      assert.match(bad, /nope/);
    } finally {
      await conn.client.close();
    }
  });
});
