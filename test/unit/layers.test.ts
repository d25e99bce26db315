import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

const root = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

const imports = (file: string) =>
  [...fs.readFileSync(file, 'utf8').matchAll(/(?:from|import|require)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);

it('src/core, src/cli and src/mcp never import vscode (they run in plain Node)', () => {
  const offenders = ['src/core', 'src/cli', 'src/mcp'].flatMap(sources).filter((f) => imports(f).includes('vscode'));
  assert.deepEqual(
    offenders.map((f) => path.relative(root, f)),
    [],
  );
});

it('src/core never reaches into the host, the CLI or the MCP server', () => {
  const offenders = sources('src/core').filter((f) =>
    imports(f).some((i) => /\/(host|cli|mcp)\//.test(i) || i.startsWith('../../host')),
  );
  assert.deepEqual(
    offenders.map((f) => path.relative(root, f)),
    [],
  );
});

it('the webview protocol is types only: no vscode, no runtime imports', () => {
  const file = path.join(root, 'src/shared/protocol.ts');
  if (!fs.existsSync(file)) return assert.fail('src/shared/protocol.ts is missing');
  assert.deepEqual(
    imports(file).filter((i) => i === 'vscode' || !i.startsWith('.')),
    [],
  );
});

it('only src/core touches SQL: front-ends call the use-case layer (src/core/devstream.ts)', () => {
  const sql = [/\.(prepare|pragma)\s*\(/, /\bdb\.(exec|transaction)\s*\(/, /\.db\.open\b/];
  const offenders = ['src/host', 'src/cli', 'src/mcp'].flatMap(sources).flatMap((f) => {
    const text = fs.readFileSync(f, 'utf8');
    const found = sql.filter((re) => re.test(text)).map((re) => re.source);
    if (imports(f).includes('better-sqlite3')) found.push("imports 'better-sqlite3'");
    return found.map((what) => `${path.relative(root, f)}: ${what}`);
  });
  assert.deepEqual(offenders, []);
});

it('views refresh from the change reports of the writes themselves, never from hand-placed calls', () => {
  const offenders = sources('src/host').filter((f) => /\bnotifyChanged\s*\(/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(
    offenders.map((f) => path.relative(root, f)),
    [],
  );
});
