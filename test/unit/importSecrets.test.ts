import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

// A Hugging Face user access token has the shape hf_ + 34 letters; this one is made up.
const TOKEN = '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';

function exportWithSecret(): string {
  const a = tempDir();
  assert.equal(runCli(a, ['init']).code, 0);
  const added = runCli(a, [
    'memory',
    'add',
    '--type',
    'context',
    '--keep-secrets',
    '--embedder',
    'builtin',
    '--text',
    `The staging job reads HF_TOKEN=${TOKEN} from the runner.`,
  ]);
  assert.equal(added.code, 0, added.err);
  const file = path.join(a, 'export.jsonl');
  assert.equal(runCli(a, ['export', '--out', file]).code, 0);
  assert.ok(fs.readFileSync(file, 'utf8').includes(TOKEN), 'the export holds the secret, as kept');
  return file;
}

it('import redacts likely secrets like every other writer, and drops the vector made from them', () => {
  const file = exportWithSecret();
  const b = tempDir();
  const r = runCli(b, ['--json', 'import', file]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.json().secretsRedacted, 1);
  assert.match(r.err, /Redacted likely secrets in 1 memory \(--trusted keeps them\)/);
  const [m] = runCli(b, ['--json', 'memory', 'list']).json();
  assert.ok(!m.content.includes(TOKEN), m.content);
  assert.match(m.content, /\[REDACTED:/);
  assert.equal(m.hasEmbedding, false, 'a vector of the secret text is not kept');
});

it('import --trusted keeps an own export as written, vector included', () => {
  const file = exportWithSecret();
  const b = tempDir();
  const r = runCli(b, ['--json', 'import', '--trusted', file]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.json().secretsRedacted, 0);
  const [m] = runCli(b, ['--json', 'memory', 'list']).json();
  assert.ok(m.content.includes(TOKEN));
  assert.equal(m.hasEmbedding, true);
});
