import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli as cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const GROUPS = ['plan', 'phase', 'task', 'memory'];
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('devstream CLI: help, parsing and exit codes (child processes, real files)', () => {
  it('prints whole lines at the terminal width, for the program and every group', () => {
    const dir = tempDir();
    for (const columns of [60, 100]) {
      const env = { COLUMNS: String(columns) };
      const root = cli(dir, ['--help'], { env });
      assert.equal(root.code, 0);
      for (const g of GROUPS) {
        const group = cli(dir, [g, '--help'], { env });
        assert.equal(group.code, 0, group.err);
        assert.match(group.out, new RegExp(`^Usage: devstream ${g} COMMAND`), `${g} --help is the group's own help`);
        for (const line of [...root.out.split('\n'), ...group.out.split('\n')]) {
          assert.ok(line.length <= columns, `${line.length} > ${columns} columns: ${JSON.stringify(line)}`);
        }
        // every summary of the group is printed whole: wrapping only ever breaks between words
        for (const m of group.out.matchAll(new RegExp(`^  ${g} (\\S+)`, 'gm'))) {
          const leaf = cli(dir, [g, m[1], '--help'], { env });
          const summary = flat(leaf.out.split('\n\n')[1]);
          assert.ok(flat(group.out).includes(summary), `${g} ${m[1]}: "${summary}" whole in the group help`);
          assert.ok(flat(root.out).includes(summary), `${g} ${m[1]}: "${summary}" whole in the program help`);
        }
      }
    }
  });

  it('documents every option it accepts, with help per command, help COMMAND and --version', () => {
    const dir = tempDir();
    const documented: Record<string, string[]> = {
      'plan add': ['--objective', '--outcome', '--description', '--priority', '--tag', '--hours'],
      'phase add': ['--description', '--position', '--depends-on', '--parallel', '--minutes', '--criteria'],
      'task add': ['--description', '--type', '--priority', '--minutes', '--parent', '--agent', '--input'],
      'memory add': [
        '--file',
        '--lines',
        '--text',
        '--type',
        '--format',
        '--keywords',
        '--task',
        '--source',
        '--keep-secrets',
        '--no-embed',
        '--embedder',
        '--ollama-url',
        '--ollama-model',
      ],
      search: ['--mode', '--type', '--limit', '--file', '--archived', '--advanced', '--rrf-k', '--embedder'],
    };
    for (const [command, flags] of Object.entries(documented)) {
      const help = cli(dir, ['help', ...command.split(' ')]);
      assert.equal(help.code, 0);
      assert.match(help.out, new RegExp(`^Usage: devstream ${command}`));
      for (const flag of [...flags, '--db', '--json', '--verbose'])
        assert.match(help.out, new RegExp(`^  ${flag}\\b`, 'm'), `${command} documents ${flag}`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(cli(dir, ['--version']).out.trim(), pkg.version);
    const unknownHelp = cli(dir, ['help', 'plan', 'ad']);
    assert.equal(unknownHelp.code, 2);
    assert.match(unknownHelp.err, /unknown command 'plan ad'; known: add, list/);
  });

  it('answers a mistyped command or option with the nearest one, exit 2', () => {
    const dir = tempDir();
    const group = cli(dir, ['plan']);
    assert.equal(group.code, 2);
    assert.match(
      group.err,
      /^devstream plan: missing command; give one of: add, list, show, set-status, delete\n[\s\S]*Usage: devstream plan/,
    );
    const typo = cli(dir, ['plan', 'lst']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /^devstream plan: unknown command 'lst'; did you mean list\?/);
    const option = cli(dir, ['search', 'x', '--limt', '3']);
    assert.equal(option.code, 2);
    assert.match(
      option.err,
      /^devstream search: unknown option '--limt'; did you mean --limit\?\nUsage: devstream search QUERY/,
    );
    const negative = cli(dir, ['memory', 'list', '--limit', '-3']);
    assert.equal(negative.code, 2);
    assert.match(
      negative.err,
      /^devstream memory list: --limit must be at least 1, not -3\.\nUsage: devstream memory list/,
    );
    assert.doesNotMatch(negative.err, /ambiguous|ERR_PARSE_ARGS/);
    assert.equal(fs.existsSync(path.join(dir, '.devstream')), false, 'a usage error creates nothing');
  });

  it('saves text that looks like an option: --text -h and --text -- -h', () => {
    const dir = tempDir();
    assert.equal(cli(dir, ['init']).code, 0);
    for (const args of [['--text', '-h'], ['--text', '--', '-h'], ['--text=-h']]) {
      const r = cli(dir, ['--json', 'memory', 'add', '--no-embed', ...args]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.json().content, '-h', `memory add ${args.join(' ')} saves "-h"`);
    }
  });

  it('creates a database only for commands that create; others say there is none, exit 1', () => {
    const dir = tempDir();
    const typo = cli(dir, ['--db', 'typo/x.db', 'plan', 'list']);
    assert.equal(typo.code, 1);
    assert.equal(
      typo.err.trim(),
      `devstream plan list: no DevStream database at ${path.join(dir, 'typo/x.db')} (run devstream init)`,
    );
    assert.equal(fs.existsSync(path.join(dir, 'typo')), false, 'no folder made');
    for (const args of [['search', 'x'], ['memory', 'list'], ['doctor'], ['export'], ['task', 'list'], ['embed']]) {
      const r = cli(dir, args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.err, /no DevStream database at .*\.devstream\/devstream\.db \(run devstream init\)/);
    }
    assert.equal(fs.existsSync(path.join(dir, '.devstream')), false, 'reading commands create nothing');
    assert.equal(cli(dir, ['memory', 'add', '--no-embed', '--text', 'the first memory']).code, 0, 'adding creates');
    assert.ok(fs.existsSync(path.join(dir, '.devstream/devstream.db')));
  });

  it('says nothing about the embedder without --verbose, and one line with the reason with it', () => {
    const dir = tempDir();
    const env = { DEVSTREAM_OLLAMA_URL: 'http://127.0.0.1:9' }; // no Ollama there
    cli(dir, ['init']);
    const quiet = cli(dir, ['memory', 'add', '--text', 'quiet about the embedder'], { env });
    assert.equal(quiet.code, 0);
    assert.equal(quiet.err, '', 'auto falling back to the built-in embedder is the normal case');
    const other = tempDir();
    cli(other, ['init']);
    const verbose = cli(other, ['--verbose', 'memory', 'add', '--text', 'tell me about the embedder'], { env });
    assert.equal(verbose.code, 0);
    const lines = verbose.err.trim().split('\n');
    assert.equal(lines.length, 1, verbose.err);
    assert.match(
      lines[0],
      /^embedder devstream-builtin-v2: Using the built-in embedder: Ollama is not running at http:\/\/127\.0\.0\.1:9/,
    );
    assert.doesNotMatch(verbose.err, /^Start it with/m);
    assert.doesNotMatch(verbose.err, /\.\./);
  });

  it('lists exactly the accepted values of --embedder, from one list', () => {
    const dir = tempDir();
    cli(dir, ['init']);
    for (const args of [['search', 'x'], ['memory', 'add', '--text', 'x'], ['embed'], ['reindex']]) {
      const r = cli(dir, [...args, '--embedder', 'martian']);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /Unknown embedder 'martian'; use one of: auto, builtin, ollama\.\n/);
    }
    assert.match(cli(dir, ['mcp', '--embedder', 'martian']).err, /use one of: auto, builtin, ollama, none\./);
    assert.match(cli(dir, ['help', 'search']).out, /one of: auto, builtin, ollama\b/);
    assert.equal(cli(dir, ['--json', 'memory', 'list']).json().length, 0, 'nothing saved by the refused add');
  });

  it('has one rule for limits and empty queries: usage errors, exit 2', () => {
    const dir = tempDir();
    cli(dir, ['memory', 'add', '--text', 'a memory about limits']);
    for (const args of [
      ['search', 'limits', '--limit', '0'],
      ['memory', 'list', '--limit', '0'],
      ['search', 'x', '--limit', '-1'],
    ]) {
      const r = cli(dir, args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /--limit must be at least 1/);
    }
    for (const q of ['', '   ']) {
      const r = cli(dir, ['search', q]);
      assert.equal(r.code, 2);
      assert.match(r.err, /^devstream search: Give a search query \(it is empty\)\./);
    }
    assert.equal(cli(dir, ['--json', 'search', 'limits', '--limit', '1']).json().length, 1);
  });
});
