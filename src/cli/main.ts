import type { CommandSpec, GroupSpec } from './command';
import { anchorCommands } from './commands/anchors';
import { bankCommands } from './commands/bank';
import { maintenanceCommands } from './commands/maintenance';
import { mcpCommands } from './commands/mcp';
import { memoryCommands } from './commands/memory';
import { phaseCommands, planCommands, taskCommands } from './commands/plans';
import { searchCommands } from './commands/search';
import { runProgram, type Io } from './program';

export type { Io } from './program';

/** In the order the help lists them. */
const GROUPS: GroupSpec[] = [
  { name: 'plan', summary: 'intervention plans: add, list, show, set-status, delete' },
  { name: 'phase', summary: 'the phases of a plan: add, list, edit, set-status, delete' },
  { name: 'task', summary: 'micro-tasks of at most 10 minutes: add, list, edit, set-status, delete' },
  { name: 'memory', summary: 'memories: add (a file range, stdin or --text), list, show, archive, delete' },
  { name: 'bank', summary: 'the team memory bank in git: init, sync, status, check, share, unshare' },
];

const COMMANDS: CommandSpec[] = [
  ...maintenanceCommands,
  ...planCommands,
  ...phaseCommands,
  ...taskCommands,
  ...memoryCommands,
  ...bankCommands,
  ...searchCommands,
  ...anchorCommands,
  ...mcpCommands,
];

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failed, 2 usage). */
const CONSOLE: Io = { out: (t) => console.log(t), err: (t) => console.error(t) };

export function main(argv: string[], io: Io = CONSOLE): Promise<number> {
  return runProgram(COMMANDS, GROUPS, argv, io);
}

/** Entry point for bin/devstream.js: a closed pipe (`devstream export | head`) ends quietly. */
export function run(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) run();
