import type * as Commander from 'commander' with { 'resolution-mode': 'import' };
import { translateSqliteError } from '../core/db/open';
import { isDevStreamError } from '../core/errors';
import { oneOf, str, UsageError, type CommandSpec, type GroupSpec, type OptionSpec, type Values } from './command';
import { CliContext } from './context';
import { useColor } from './format';
import { packageVersion } from './version';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd?: string;
  /** Help is wrapped at this width (default: $COLUMNS or the terminal's, at most 100). */
  columns?: number;
}

// commander 15 is an ES module: Node 22.12+ loads it with require(), esbuild bundles it.
// A static import would make tsc emit require() of an ES module by a path Node refuses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Command, CommanderError, Option } = require('commander') as typeof Commander;
type Command = Commander.Command;
type Option = Commander.Option;

const MAX_HELP_WIDTH = 100;

const GLOBAL_OPTIONS: OptionSpec[] = [
  { flags: '--db <path>', description: 'database file (default: .devstream/devstream.db under the current folder)' },
  { flags: '--json', description: 'machine-readable output' },
  { flags: '--verbose', description: 'say more on stderr (which embedder is used, and why)' },
];

/**
 * `--text -- -h`: a `--` right after an option that takes a value marks the next word as that
 * value, taken literally, so text that looks like an option can still be given.
 */
class CliCommand extends Command {
  override createCommand(name?: string): Command {
    return new CliCommand(name);
  }

  override parseOptions(argv: string[]): { operands: string[]; unknown: string[] } {
    const args: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const option = this.options.find((o) => o.long === argv[i] || o.short === argv[i]);
      args.push(argv[i]);
      if (argv[i] === '--') {
        args.push(...argv.slice(i + 1));
        break;
      }
      if (!option || !(option.required || option.optional)) continue;
      if (argv[i + 1] === '--' && i + 2 < argv.length) i++; // drop the `--`, keep its value
      if (i + 1 < argv.length) args.push(argv[++i]);
    }
    return super.parseOptions(args);
  }
}

/** What one run found out, for the error message and the exit code. */
interface RunState {
  current: Command;
  code: number;
  ctx?: CliContext;
  errText: string;
}

/** Runs one CLI invocation over the declared commands; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runProgram(specs: CommandSpec[], groups: GroupSpec[], argv: string[], io: Io): Promise<number> {
  const width = Math.min(io.columns ?? (Number(process.env.COLUMNS) || process.stdout.columns || 80), MAX_HELP_WIDTH);
  const program = new CliCommand('devstream');
  const state: RunState = { current: program, code: 0, errText: '' };
  program
    .description('A workspace-local memory and plan tracker: plans, phases, micro-tasks and searchable memories.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .enablePositionalOptions() // global options before the command are the program's, after it the command's
    .helpCommand(false)
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({
      helpWidth: width,
      sortSubcommands: false,
      minWidthToWrap: 20,
      // The program's help lists every command, not just the groups: `plan add TITLE`, `search QUERY`.
      visibleCommands: (cmd: Command) =>
        cmd.parent ? [...cmd.commands] : cmd.commands.flatMap((c) => (c.commands.length ? c.commands : [c])),
      // "plan set-status PLAN_ID STATUS": the words and the arguments; the options are in its own help
      subcommandTerm: (cmd: Command) =>
        [
          ...(cmd.parent?.parent ? [cmd.parent.name()] : []),
          cmd.name(),
          ...cmd.registeredArguments.map((a) => {
            const n = a.name() + (a.variadic ? '...' : '');
            return a.required ? n : `[${n}]`;
          }),
        ].join(' '),
    })
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => {
        state.errText += s;
      },
      outputError: () => {}, // printed by the catch below, with the command's usage
    })
    .addHelpText('after', "\nRun 'devstream help COMMAND' for a command's options.");
  for (const o of GLOBAL_OPTIONS) program.addOption(makeOption(o));
  const track = (cmd: Command) =>
    cmd.hook('preSubcommand', (_parent, sub) => {
      state.current = sub;
    });
  track(program);

  const groupCommands = new Map<string, Command>();
  const group = (name: string): Command => {
    // made where its first command comes, so help keeps the spec order
    const g = groups.find((x) => x.name === name);
    if (!g) throw new Error(`no group '${name}' declared`);
    let cmd = groupCommands.get(name);
    if (!cmd) {
      cmd = track(
        program.command(name).description(g.summary).usage('COMMAND [options]').helpCommand(false),
      ).addHelpText('after', `\nRun 'devstream help ${name} COMMAND' for a command's options.`);
      groupCommands.set(name, cmd);
    }
    return cmd;
  };
  for (const spec of specs) {
    const words = spec.name.split(' ');
    const parent = words.length > 1 ? group(words[0]) : program;
    defineLeaf(parent.command(words[words.length - 1]), spec, program, state, io);
  }
  defineHelp(program, state);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.code;
  } catch (e) {
    return report(e, state, io);
  } finally {
    state.ctx?.close();
  }
}

function defineLeaf(cmd: Command, spec: CommandSpec, program: Command, state: RunState, io: Io): void {
  const args = spec.args ?? [];
  cmd.description(spec.summary).usage([...args, '[options]'].join(' '));
  for (const a of args) cmd.argument(a.startsWith('[') ? a : `<${a}>`);
  const options = (spec.options ?? []).map((o) => [o, makeOption(o)] as const);
  for (const [, option] of options) cmd.addOption(option);
  for (const o of GLOBAL_OPTIONS) cmd.addOption(makeOption(o).helpGroup('Global options:'));
  cmd.action(async () => {
    const values: Values = { ...program.opts(), ...cmd.opts() };
    for (const [o, option] of options) {
      const v = values[option.attributeName()];
      if (o.choices && typeof v === 'string') oneOf(v, o.choices, o.choiceOf ?? option.name());
    }
    const db = str(values, 'db');
    if (db !== undefined && (db.trim() === '' || db.startsWith('-'))) {
      throw new UsageError('--db needs a file path (e.g. --db .devstream/devstream.db).');
    }
    const ctx = new CliContext({
      dbPath: CliContext.resolveDb(db, io.cwd),
      json: values.json === true,
      verbose: values.verbose === true,
      creates: spec.creates === true,
      color: useColor(process.stdout),
      out: io.out,
      warn: io.err,
    });
    state.ctx = ctx;
    const positionals = (cmd.processedArgs as (string | undefined)[]).filter((a): a is string => a !== undefined);
    await spec.run(ctx, values, positionals);
    state.code = ctx.exitCode;
  });
}

/** `devstream help plan add`: the help of any command or group, by its words. */
function defineHelp(program: Command, state: RunState): void {
  program
    .command('help')
    .description('Show the help of a command (e.g. devstream help plan add).')
    .argument('[COMMAND...]')
    .usage('[COMMAND...]')
    .action((words: string[]) => {
      let target: Command = program;
      for (const w of words) {
        const next = target.commands.find((c) => c.name() === w);
        if (!next) {
          state.current = target;
          const known = target.commands.map((c) => c.name()).filter((n) => n !== 'help');
          const asked = [...commandPath(target).slice(1), w].join(' ');
          throw new UsageError(`unknown command '${asked}'; known: ${known.join(', ')}`);
        }
        target = next;
      }
      target.outputHelp();
    });
}

function makeOption(o: OptionSpec): Option {
  const choices = o.choices ? `; one of: ${o.choices.join(', ')}` : '';
  const option = new Option(o.flags, o.description + choices + (o.repeat ? '; repeatable' : ''));
  if (o.repeat) option.argParser((v: string, prev: unknown) => [...(Array.isArray(prev) ? prev : []), v]);
  return option;
}

function commandPath(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names;
}

/** Prints what went wrong, once, prefixed with the command; returns the exit code. */
function report(e: unknown, state: RunState, io: Io): number {
  const cmd = state.current;
  const label = commandPath(cmd).join(' ');
  const usage = `Usage: ${label} ${cmd.usage()}`;
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    if (e.code === 'commander.help') {
      // a group (or the program) without a command: its help, on stderr
      const known = cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');
      io.err(`${label}: missing command; give one of: ${known.join(', ')}\n\n${state.errText.replace(/\n$/, '')}`);
      return 2;
    }
    const message = e.message.replace(/^error: /, '').replace(/\n\(Did you mean (.+)\?\)/, '; did you mean $1?');
    io.err(
      cmd.commands.length > 0
        ? `${label}: ${message} (run '${label} --help' for the commands)`
        : `${label}: ${message}\n${usage}\nRun '${label} --help' for its options.`,
    );
    return 2;
  }
  if (e instanceof UsageError) {
    io.err(`${label}: ${e.message}${cmd.commands.length > 0 ? '' : `\n${usage}`}`);
    return 2;
  }
  const shown = translateSqliteError(e, state.ctx?.dbPath ?? ''); // SQLite's codes become messages that say what to do
  io.err(`${label}: ${shown.message ?? String(e)}`);
  if (!isDevStreamError(e) && process.env.DEVSTREAM_DEBUG) io.err((e as Error).stack ?? '');
  return 1;
}
