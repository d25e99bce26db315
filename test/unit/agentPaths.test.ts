// Agents' `file` arguments: inside the workspace or refused, and a refused path is never read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveWorkspaceFile } from '../../src/core/agents';
import { connectCli, structured, toolError } from '../helpers/mcpClient';
import { tempDir } from '../helpers/tmp';

const outside = tempDir('devstream-outside-');
const workspace = tempDir('devstream-ws-');
fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET\n');
fs.mkdirSync(path.join(workspace, 'src'));
fs.writeFileSync(path.join(workspace, 'src/a.ts'), 'one\ntwo\nthree\n');
fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, 'leak.txt'));
fs.symlinkSync(outside, path.join(workspace, 'elsewhere'));
fs.symlinkSync(path.join(workspace, 'src/a.ts'), path.join(workspace, 'alias.ts'));
fs.symlinkSync('/dev/zero', path.join(workspace, 'zero'));
const fifo = path.join(workspace, 'pipe');
const hasFifo = (() => {
  try {
    execFileSync('mkfifo', [fifo]);
    return true;
  } catch {
    return false;
  }
})();

describe('resolveWorkspaceFile', () => {
  const refused = (file: string, re: RegExp) => assert.throws(() => resolveWorkspaceFile(workspace, file), re, file);

  it('keeps files inside, relative and with forward slashes', () => {
    assert.deepEqual(resolveWorkspaceFile(workspace, 'src/a.ts').relative, 'src/a.ts');
    assert.deepEqual(resolveWorkspaceFile(workspace, path.join(workspace, 'src/a.ts')).relative, 'src/a.ts');
    assert.equal(resolveWorkspaceFile(workspace, 'src/../src/a.ts').relative, 'src/a.ts');
    assert.equal(
      resolveWorkspaceFile(workspace, 'alias.ts').relative,
      'alias.ts',
      'a symlink that stays inside is fine',
    );
    assert.deepEqual(
      resolveWorkspaceFile(workspace, 'src/new.ts'),
      { relative: 'src/new.ts' },
      'a file not written yet',
    );
  });

  it('refuses .., absolute paths outside, symlinks out, devices, folders and FIFOs', () => {
    refused('../../etc/passwd', /outside the workspace/);
    refused('/etc/passwd', /outside the workspace/);
    refused(path.join(outside, 'secret.txt'), /outside the workspace/);
    refused('leak.txt', /symbolic link leads it outside/);
    refused('elsewhere/secret.txt', /symbolic link leads it outside/);
    refused('elsewhere/not-there.txt', /symbolic link leads it outside/);
    refused('zero', /symbolic link leads it outside/);
    refused('src', /is a folder/);
    refused('.', /is a folder/);
    refused('a\0b', /NUL/);
    if (hasFifo) refused('pipe', /not a regular file/);
  });
});

describe('over MCP', () => {
  let conn: Awaited<ReturnType<typeof connectCli>>;
  before(async () => {
    conn = await connectCli(workspace, ['--db', path.join(workspace, 'x.db')]);
  });
  after(() => conn.client.close());
  const call = (name: string, args: Record<string, unknown>) => conn.client.callTool({ name, arguments: args });

  it('refuses escaping anchors with a tool error, reading and storing nothing', async () => {
    for (const file of [
      '../../etc/passwd',
      '/etc/passwd',
      'leak.txt',
      'elsewhere/secret.txt',
      'zero',
      'src',
      ...(hasFifo ? ['pipe'] : []),
    ]) {
      const message = toolError(
        await call('devstream_store_memory', { content: 'x', content_type: 'code', file, start_line: 1 }),
      );
      assert.match(message, /is refused: /, file);
      assert.doesNotMatch(message, /TOP SECRET/);
    }
    for (const file of ['../outside.ts', 'leak.txt']) {
      assert.match(toolError(await call('devstream_memories_for_file', { file })), /is refused/, file);
    }
    assert.match(toolError(await call('devstream_list_memories', { file_prefix: '../' })), /outside the workspace/);
    assert.deepEqual(
      structured(await call('devstream_list_memories', { include_archived: true })).memories,
      [],
      'nothing was stored',
    );
    const inside = structured(
      await call('devstream_store_memory', { content: 'two', content_type: 'code', file: 'src/a.ts', start_line: 2 }),
    );
    assert.equal(inside.source.file, 'src/a.ts');
  });
});
