import { parseArgs } from 'node:util';
import { translateSqliteError } from '../core/db/open';
import { isDevStreamError } from '../core/errors';
import { UsageError, type Command, type Values } from './command';
import { maintenanceCommands } from './commands/maintenance';
import { mcpCommands } from './commands/mcp';
import { memoryCommands } from './commands/memory';
import { planCommands } from './commands/plans';
import { searchCommands } from './commands/search';
import { CliContext } from './context';

const COMMANDS: Command[] = [...maintenanceCommands, ...planCommands, ...memoryCommands, ...searchCommands, ...mcpCommands];

const GLOBAL_HELP = `devstream: workspace-local memory and plan tracker

Usage: devstream [--db PATH] [--json] <command> [arguments]

  --db PATH   database file (default: .devstream/devstream.db under the current folder)
  --json      machine-readable output

Commands:
${COMMANDS.map((c) => `  ${(c.name + ' ' + c.usage.split('   ')[0]).padEnd(30).slice(0, 30)}  ${c.summary}`).join('\n')}

Run 'devstream <command> --help' for a command's options.`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd?: string;
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function main(argv: string[], io: Io = { out: (t) => console.log(t), err: (t) => console.error(t) }): Promise<number> {
  const global = { db: undefined as string | undefined, json: false, help: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') global.json = true;
    else if (a === '--help' || a === '-h') global.help = true;
    else if (a === '--db' || a.startsWith('--db=')) {
      const value = a === '--db' ? argv[++i] : a.slice(5);
      if (!value || value.startsWith('--')) {
        io.err('devstream: --db needs a file path (e.g. --db .devstream/devstream.db).');
        return 2;
      }
      global.db = value;
    }
    else rest.push(a);
  }
  const command = findCommand(rest);
  if (!command) {
    if (global.help || rest.length === 0) {
      io.out(GLOBAL_HELP);
      return global.help ? 0 : 2;
    }
    io.err(`devstream: unknown command '${rest.slice(0, 2).join(' ')}'. Run 'devstream --help'.`);
    return 2;
  }
  const usage = `Usage: devstream ${command.name} ${command.usage}`;
  if (global.help) {
    io.out(`${usage}\n\n${command.summary}`);
    return 0;
  }
  const ctx = new CliContext(CliContext.resolveDb(global.db, io.cwd), global.json, io.out, io.err);
  try {
    const { values, positionals } = parseArgs({ args: rest.slice(command.name.split(' ').length), options: command.options ?? {}, allowPositionals: true, strict: true });
    const [min, max] = command.args ?? [0, 0];
    if (positionals.length < min || positionals.length > max) throw new UsageError(positionals.length < min ? 'Missing arguments.' : `Unexpected argument '${positionals[max]}'.`);
    await command.run(ctx, values as Values, positionals);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`devstream ${command.name}: ${(e as Error).message}\n${usage}`);
      return 2;
    }
    const shown = translateSqliteError(e, ctx.dbPath); // SQLite's codes become messages that say what to do
    io.err(`devstream ${command.name}: ${shown.message ?? String(e)}`);
    if (!isDevStreamError(e) && process.env.DEVSTREAM_DEBUG) io.err((e as Error).stack ?? '');
    return 1;
  } finally {
    ctx.close();
  }
}

function findCommand(words: string[]): Command | undefined {
  const two = words.slice(0, 2).join(' ');
  return COMMANDS.find((c) => c.name === two) ?? COMMANDS.find((c) => c.name === words[0]);
}

/** Entry point for bin/devstream.js: a closed pipe (`devstream export | head`) ends quietly. */
export function run(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}

if (require.main === module) run();
